"""Minimised findings of tools/fuzz/run.py and of the state-machine properties.

Each test is the smallest input found for one failure class. A finding that is
not fixed yet is ``xfail(strict=True)`` with the reason, so the fix turns it
into a plain pass (and forgetting to remove the mark fails the run).
"""

from __future__ import annotations

from typing import Any

import h11_connection as h11
import pytest
from conn_support import one_by_one, one_read_and_byte_by_byte, verdict

#: Heads with a bare CR whose status depended on the read sizes (400 when an
#: incomplete head was checked early, 505 or 431 when the complete or oversize head
#: was checked first). Fixed: every split now gives the same status.
BARE_CR_CASES = [
    pytest.param(b"GET / HTTP/2.0\r\nHost: a\rX\r\n\r\n", h11.SERVER, 16384, id="request-505"),
    pytest.param(b"HTTP/2.0 200 OK\r\nA: \rb\r\n\r\n", h11.CLIENT, 16384, id="response-505"),
    pytest.param(b"GET / HTTP/1.1\r\nA: \rb\r\n" + b"X" * 80, h11.SERVER, 64, id="request-431"),
    # Shrunk by the fuzzer:
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


@pytest.mark.differs_from_h11
def test_request_after_the_servers_failed_send_raises_only_protocol_errors() -> None:
    """h11 0.16 raises AttributeError from next_event here (found by the state machine).

    Reading the Request (ours today) or refusing it with RemoteProtocolError are
    both sound: the server, in ERROR, can answer nothing either way.
    """
    server = h11.Connection(h11.SERVER)
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.InformationalResponse(status_code=100, headers=[]))
    assert server.our_state is h11.ERROR
    server.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    try:
        event = server.next_event()
    except h11.RemoteProtocolError:
        assert server.their_state is h11.ERROR
    else:
        assert type(event) is h11.Request
    assert server.our_state is h11.ERROR


UNSOLICITED = [
    pytest.param(b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n", id="complete"),
    pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", id="in-body"),
]


@pytest.mark.differs_from_h11
@pytest.mark.parametrize("response", UNSOLICITED)
@pytest.mark.parametrize("method", ["GET", "CONNECT"])
def test_client_request_after_an_unsolicited_response_is_refused(
    response: bytes, method: str
) -> None:
    client = h11.Connection(h11.CLIENT)
    client.receive_data(response)
    assert type(client.next_event()) is h11.Response
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method=method, target="/", headers=[("Host", "a")]))
    assert client.our_state is h11.ERROR


@pytest.mark.differs_from_h11
@pytest.mark.parametrize("finish", [False, True], ids=["in-body", "complete"])
def test_request_after_the_servers_unsolicited_response_is_refused(finish: bool) -> None:
    server = h11.Connection(h11.SERVER)
    server.send(h11.Response(status_code=408, headers=[("Content-Length", "0")]))
    if finish:
        server.send(h11.EndOfMessage())
    server.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()
    assert server.their_state is h11.ERROR


@pytest.mark.differs_from_h11
def test_response_after_an_accepted_connect_is_a_local_error() -> None:
    """h11 0.16 raises AttributeError here (found by tools/fuzz/differential_states.py)."""
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"CONNECT a:1 HTTP/1.1\r\nHost: a\r\n\r\n")
    assert type(server.next_event()) is h11.Request
    server.send(h11.Response(status_code=200, headers=[]))
    assert server.our_state is h11.SWITCHED_PROTOCOL
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.Response(status_code=204, headers=[]))
    assert server.our_state is h11.ERROR


@pytest.mark.differs_from_h11
def test_a_refused_connect_proposes_no_switch() -> None:
    """A CONNECT that send() refused was never sent, so a 2xx is a plain response.

    h11 0.16 records the proposal anyway and pauses as if the switch happened
    (the one difference tools/fuzz/differential_states.py finds outside h11 crashes).
    """
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method="CONNECT", target="a:1", headers=[("Host", "a")]))
    assert client.our_state is h11.ERROR
    client.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert type(client.next_event()) is h11.Response
    assert type(client.next_event()) is h11.EndOfMessage
    assert client.their_state is h11.MUST_CLOSE  # done, facing a client in ERROR


@pytest.mark.differs_from_h11
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
    # A bare CR beyond the limit of a trailer section: one read saw the CR (400),
    # small reads hit the limit first (431).
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


@pytest.mark.differs_from_h11  # h11 gives one status (it does not refuse bare CR early)
@pytest.mark.parametrize(("data", "role"), TRAILER_BARE_CR)
def test_oversize_trailers_with_a_bare_cr_give_one_status_for_every_split(
    data: bytes, role: Any
) -> None:
    whole, byte_by_byte = one_read_and_byte_by_byte(data, role, 64)
    assert whole == byte_by_byte


@pytest.mark.differs_from_h11  # h11 refuses empty lines before a request line outright
def test_empty_lines_filling_the_limit_then_a_byte_is_a_protocol_error() -> None:
    server = h11.Connection(h11.SERVER, max_incomplete_event_size=4)
    server.receive_data(b"\n\n\n\n")
    assert server.next_event() is h11.NEED_DATA
    server.receive_data(b"G")
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()


@pytest.mark.differs_from_h11
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
    # Fuzz finding (nox -s fuzz): a CR right after a head of exactly the limit may
    # begin its final CRLF, so the trickle path looks at the next byte before the
    # size; one read must look at that CR too. 400 however the bytes arrive.
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
    # Fuzz finding: the CR just past the limit can't begin an exact fit's final
    # CRLF (no LF before it), so the size decides: 431 in one read and byte by byte.
    outcomes = one_read_and_byte_by_byte(data, role, limit=16)
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == 431


@pytest.mark.differs_from_h11
def test_empty_lines_over_the_limit_are_431_before_a_bare_cr_after_them() -> None:
    # Fuzz finding: empty lines past the limit, then a bare CR. Reads of two bytes
    # met the bare CR before the size check (400); one read gave 431.
    data = b"\n" + b"\r\n" * 2 + b"\r\x00" + b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    pairs = [data[i : i + 2] for i in range(0, len(data), 2)]
    whole = verdict([data], h11.SERVER, 4)
    assert whole == verdict(pairs, h11.SERVER, 4)
    assert whole == verdict(one_by_one(data), h11.SERVER, 4)
    assert whole[1] == 431
