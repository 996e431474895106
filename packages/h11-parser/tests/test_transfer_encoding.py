"""Transfer-Encoding (RFC 9112 6.1, 6.3): which codings frame a body, and with Content-Length.

A request with a coding we cannot honour is refused, never read by its Content-Length (the
CL.TE desync); chunked wins over Content-Length on receive, and no writer sends both. Empty
list members: refused in requests (llhttp strict: a front end may not read such a field as
chunked), ignored in responses (RFC 9110 5.6.1).
"""

from __future__ import annotations

import pytest
from h11_events import NEED_DATA, Data, EndOfMessage, LocalProtocolError, Request, Response
from h11_parser import RequestParser, RequestWriter, ResponseParser, ResponseWriter
from parser_support import (
    ABOUT_FIELD,
    ABOUT_TRANSFER_ENCODING,
    CHUNKED_HELLO,
    assert_rejected,
    both_ways,
    eom,
    parse_request,
    post,
)

# ---- requests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [b"chunked", b"Chunked", b"CHUNKED", b"  chunked  ", b"\tchunked"]
)
def test_transfer_encoding_chunked_accepted(value: bytes) -> None:
    events = parse_request(post(b"Transfer-Encoding: " + value) + CHUNKED_HELLO)
    request = events[0]
    assert type(request) is Request
    assert [v.lower() for v in request.headers.get_all(b"transfer-encoding")] == [b"chunked"]
    assert events[1:] == [
        Data(data=b"hello", chunk_start=True, chunk_end=True),
        eom(),
        NEED_DATA,
    ]


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        ([b"Transfer-Encoding: deflate"], 501),
        ([b"Transfer-Encoding: gzip", b"Transfer-Encoding: chunked"], 501),
        ([b"Transfer-Encoding: chunked", b"Transfer-Encoding: gzip"], 400),
    ],
    ids=[
        "deflate",
        "gzip-then-chunked-fields",
        "chunked-not-last-fields",
    ],
)
def test_unsupported_transfer_encoding(lines: list[bytes], status: int) -> None:
    data = post(*lines) + CHUNKED_HELLO
    assert_rejected(RequestParser, data, status, ABOUT_TRANSFER_ENCODING)


@pytest.mark.parametrize(
    "lines",
    [
        [b"Content-Length: 3", b"Transfer-Encoding: chunked"],
        [b"Transfer-Encoding: chunked", b"Content-Length: 3"],
        [b"Content-Length: 100", b"Transfer-Encoding: chunked"],
    ],
    ids=["cl-first", "te-first", "long-cl"],
)
def test_chunked_wins_over_content_length(lines: list[bytes]) -> None:
    """Smuggling guard: with both, the body is the chunked one, never CL bytes."""
    parser = RequestParser()
    parser.feed(post(*lines) + CHUNKED_HELLO)
    events = []
    for _ in range(10):
        event = parser.next_event()
        events.append(event)
        if type(event) is EndOfMessage:
            break
    assert type(events[0]) is Request
    assert events[1:] == [Data(data=b"hello", chunk_start=True, chunk_end=True), eom()]


@pytest.mark.parametrize(
    ("line", "status"),
    [
        (b"Transfer-Encoding: xchunked", 501),
        (b'Transfer-Encoding: "chunked"', 501),
        (b"Transfer-Encoding: chunk", 501),
        (b"Transfer-Encoding: chunked-false", 501),
        (b"Transfer-Encoding: \x0bchunked", 400),
        (b"Transfer-Encoding: chunked\x00", 400),
        (b"Transfer-Encoding : chunked", 400),
        (b"Transfer-Encoding\t: chunked", 400),
        (b"Transfer-Encoding\r\n: chunked", 400),
    ],
)
def test_bad_transfer_encoding_never_falls_back_to_content_length(line: bytes, status: int) -> None:
    """CL.TE: a Transfer-Encoding we cannot honour is refused, never ignored for CL."""
    data = post(b"Content-Length: 3", line) + CHUNKED_HELLO
    assert_rejected(RequestParser, data, status, ABOUT_TRANSFER_ENCODING + "|" + ABOUT_FIELD)


# ---- empty list members (RFC 9110 5.6.1) ---------------------------------------------------


EMPTY_MEMBERS = [b",chunked", b"chunked,", b" , chunked , ", b"Chunked,,"]


@pytest.mark.parametrize("value", EMPTY_MEMBERS)
def test_empty_transfer_encoding_members_are_400_in_requests(value: bytes) -> None:
    data = post(b"Transfer-Encoding: " + value) + b"5\r\nhello\r\n0\r\n\r\n"
    assert_rejected(RequestParser, data, 400, r"empty list member")


def test_an_empty_second_transfer_encoding_field_is_400_in_requests() -> None:
    data = post(b"Transfer-Encoding: chunked", b"Transfer-Encoding:") + b"0\r\n\r\n"
    assert_rejected(RequestParser, data, 400, r"empty list member")


@pytest.mark.parametrize("value", EMPTY_MEMBERS)
def test_empty_transfer_encoding_members_are_ignored_in_responses(value: bytes) -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: " + value + b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    events = both_ways(ResponseParser, data)
    assert events[1:] == [Data(data=b"hello"), EndOfMessage(), NEED_DATA]


def test_an_empty_second_transfer_encoding_field_is_ignored_in_responses() -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding:\r\n\r\n0\r\n\r\n"
    assert both_ways(ResponseParser, data)[1:] == [EndOfMessage(), NEED_DATA]


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (b",", 400),
        (b"chunked, gzip,", 400),
        (b",chunked,chunked", 400),
        (b"gzip,", 501),
        (b",x", 501),
    ],
)
def test_empty_members_do_not_hide_a_bad_response_transfer_encoding(
    value: bytes, status: int
) -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: " + value + b"\r\n\r\n0\r\n\r\n"
    assert_rejected(ResponseParser, data, status, ABOUT_TRANSFER_ENCODING)


@pytest.mark.parametrize("value", [b",", b"gzip,", b",x", b"chunked, gzip,"])
def test_request_transfer_encoding_with_empty_members_is_400_whatever_else(value: bytes) -> None:
    data = post(b"Transfer-Encoding: " + value) + b"0\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_TRANSFER_ENCODING)


# ---- RFC 9112 6.2: a sender never sends both Transfer-Encoding and Content-Length ----------


TE_AND_CL = [(b"Transfer-Encoding", b"chunked"), (b"Content-Length", b"5")]


def test_request_writer_refuses_te_with_cl() -> None:
    writer = RequestWriter()
    request = Request(method=b"POST", target=b"/", headers=[(b"Host", b"a"), *TE_AND_CL])
    with pytest.raises(LocalProtocolError, match="Transfer-Encoding and Content-Length"):
        writer.send(request)


def test_response_writer_refuses_te_with_cl() -> None:
    with pytest.raises(LocalProtocolError, match="Transfer-Encoding and Content-Length"):
        ResponseWriter().send(Response(status_code=200, headers=TE_AND_CL))
