"""Line ends (RFC 9112 2.2) through the h11 API: bare LF, bare CR, empty lines.

A server reads every line of a request (head, chunk, trailer) up to CRLF: a bare LF is 400
(llhttp strict), a bare CR too, with one verdict however the bytes arrive, also where the
size limit is near. A client takes a bare LF as a line end in a response, as h11 0.16 does.
Empty lines before a request line are skipped (RFC 9112 2.2). The standalone parsers'
checks are h11-parser's test_line_ends.py.
"""

from __future__ import annotations

from typing import Any

import h11_connection as h11
import pytest
from conn_support import (
    CHUNKED_REQUEST,
    DIFFERS,
    SMUGGLED,
    client_done,
    first_message_events,
    next_events,
    one_by_one,
    one_read_and_byte_by_byte,
    rejected,
    verdict,
)

# ---- bare LF: 400 in a request, a line end in a response -----------------------------------


@DIFFERS
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"GET / HTTP/1.1\nHost: a\n\n", id="bare-lf-head"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: a\r\n\n", id="bare-lf-head-end"),
        pytest.param(CHUNKED_REQUEST + b"0\r\n\n" + SMUGGLED, id="bare-lf-chunked-end"),
        pytest.param(CHUNKED_REQUEST + b"0\r\nX: y\n\r\n", id="bare-lf-trailer"),
    ],
)
def test_bare_lf_in_a_request_is_400(data: bytes) -> None:
    rejected(data, 400)


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\nContent-Length: 2\n\nhi",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX: a\n b\n\n",
    ],
    ids=["bare-lf", "chunked-trailer-lf-fold"],
)
@pytest.mark.parametrize("split", [False, True])
def test_bare_lf_in_a_response_is_a_line_end(data: bytes, split: bool) -> None:
    events = first_message_events(client_done(), data, split=split)
    assert [type(e) for e in events] == [h11.Response, h11.Data, h11.EndOfMessage]
    assert events[1] == h11.Data(data=b"hi")


# ---- bare CR: 400 with one verdict for every split, also near the size limit ---------------


#: Heads with a bare CR and a second fault (a version we do not speak, the size limit):
#: the status must not depend on which the read sizes let the reader meet first.
BARE_CR_CASES = [
    pytest.param(b"GET / HTTP/2.0\r\nHost: a\rX\r\n\r\n", h11.SERVER, 16384, id="request-505"),
    pytest.param(b"HTTP/2.0 200 OK\r\nA: \rb\r\n\r\n", h11.CLIENT, 16384, id="response-505"),
    pytest.param(b"GET / HTTP/1.1\r\nA: \rb\r\n" + b"X" * 80, h11.SERVER, 64, id="request-431"),
    # Shrunk by tools/fuzz/run.py:
    pytest.param(b"\rHTTP/0.0\n\n", h11.CLIENT, 16384, id="response-shrunk"),
    pytest.param(b" HTTP/2.1\r\x01\n\n", h11.SERVER, 16384, id="request-shrunk"),
    pytest.param(b"\x00" * 63 + b"\r\x00", h11.SERVER, 64, id="oversize-shrunk"),
]


@pytest.mark.parametrize(("data", "role", "limit"), BARE_CR_CASES)
def test_bare_cr_in_a_head_gives_one_verdict_for_every_split(
    data: bytes, role: Any, limit: int
) -> None:
    whole, byte_by_byte = one_read_and_byte_by_byte(data, role, limit)
    assert whole == byte_by_byte
    assert whole[0] == []
    assert whole[1] is not None


@DIFFERS
@pytest.mark.parametrize(
    "pieces",
    [[b"GET / HTTP/1.1\r", b"Host"], [b"GET / HTTP/1.1", b"\rHost"]],
    ids=["cr-then-rest", "rest-with-cr"],
)
def test_bare_cr_within_the_limit_is_400_however_the_rest_arrives(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    assert verdict([data], h11.SERVER, 16) == ([], 400)
    assert verdict(pieces, h11.SERVER, 16) == ([], 400)


TRAILER_BARE_CR = [
    # A bare CR beyond the limit of a trailer section: one read sees the CR, small
    # reads reach the limit first; both must give one status.
    pytest.param(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + b"X" * 70 + b"\rY",
        h11.CLIENT,
        id="response",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        + b"X" * 70
        + b"\rY",
        h11.SERVER,
        id="request",
    ),
]


@pytest.mark.parametrize(("data", "role"), TRAILER_BARE_CR)
def test_oversize_trailers_with_a_bare_cr_give_one_status_for_every_split(
    data: bytes, role: Any
) -> None:
    whole, byte_by_byte = one_read_and_byte_by_byte(data, role, 64)
    assert whole == byte_by_byte


@DIFFERS
@pytest.mark.parametrize(
    ("data", "role"),
    [
        pytest.param(b"!" + b"\x00" * 14 + b"\n\r\x00", h11.CLIENT, id="response"),
        pytest.param(b"G" + b"\x00" * 14 + b"\n\r\x00", h11.SERVER, id="request"),
    ],
)
def test_bare_cr_that_could_start_the_final_crlf_of_an_exact_fit_is_400(
    data: bytes, role: Any
) -> None:
    # A CR right after a head of exactly the limit may begin its final CRLF, so the
    # next byte decides before the size does, in one read as byte by byte: 400.
    outcomes = one_read_and_byte_by_byte(data, role, limit=16)
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == 400


@pytest.mark.parametrize(
    ("data", "role"),
    [
        pytest.param(b"!" + b"\x00" * 15 + b"\r\x00", h11.CLIENT, id="response"),
        pytest.param(b"G" + b"\x00" * 15 + b"\r\x00", h11.SERVER, id="request"),
    ],
)
def test_bare_cr_just_past_the_limit_is_431_however_the_bytes_arrive(
    data: bytes, role: Any
) -> None:
    # The CR just past the limit can't begin an exact fit's final CRLF (no LF before
    # it), so the size decides: 431 in one read and byte by byte.
    outcomes = one_read_and_byte_by_byte(data, role, limit=16)
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == 431


# ---- empty lines before a request line -----------------------------------------------------


@DIFFERS
def test_empty_lines_before_pipelined_request_ignored() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(
        b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\n\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
    )
    next_events(server)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(h11.EndOfMessage())
    server.start_next_cycle()
    assert next_events(server)[0].target == b"/2"


@DIFFERS  # h11 refuses empty lines before a request line outright
def test_empty_lines_filling_the_limit_then_a_byte_is_a_protocol_error() -> None:
    server = h11.Connection(h11.SERVER, max_incomplete_event_size=4)
    server.receive_data(b"\n\n\n\n")
    assert server.next_event() is h11.NEED_DATA
    server.receive_data(b"G")
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()


@DIFFERS
def test_empty_lines_over_the_limit_are_431_before_a_bare_cr_after_them() -> None:
    # Empty lines past the limit, then a bare CR: the size decides (431) whether the
    # reads are of two bytes, one byte or all of it.
    data = b"\n" + b"\r\n" * 2 + b"\r\x00" + b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    pairs = [data[i : i + 2] for i in range(0, len(data), 2)]
    whole = verdict([data], h11.SERVER, 4)
    assert whole == verdict(pairs, h11.SERVER, 4)
    assert whole == verdict(one_by_one(data), h11.SERVER, 4)
    assert whole[1] == 431
