"""ResponseParser: the API a client reads responses with, and how it frames their bodies.

Framing (RFC 9112 6.3): HEAD responses, 1xx, 204 and 304 have no body; a 2xx
to CONNECT ends the message; chunked wins over Content-Length; otherwise
Content-Length; otherwise the body runs until the connection closes.
"""

from __future__ import annotations

import pytest
from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    RemoteProtocolError,
    Response,
)
from h11_parser import ResponseParser
from parser_support import (
    ABOUT_EOF,
    ABOUT_TRANSFER_ENCODING,
    assert_rejected,
    body_of,
    chunks_of,
    drain,
    eom,
    head_bytes,
    merge_data,
    ok_response,
    parse_response,
    run,
)

OK_EMPTY = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


def test_nothing_fed_needs_data() -> None:
    assert ResponseParser().next_event() is NEED_DATA


def test_content_length_body() -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 5") + b"hello"
    assert parse_response(data) == [
        ok_response(200, (b"Content-Length", b"5")),
        Data(data=b"hello"),
        eom(),
        NEED_DATA,
    ]


def test_content_length_body_split_across_reads() -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 5") + b"hello" + OK_EMPTY
    events = run(ResponseParser(), [data[:-45], data[-45:-40], data[-40:]])
    assert body_of(events) == b"hello"
    assert [type(e) for e in events if type(e) is not Data] == [
        Response,
        EndOfMessage,
        Response,
        EndOfMessage,
        type(NEED_DATA),
    ]


def test_data_never_exceeds_content_length() -> None:
    data = (
        head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 3") + b"abcHTTP/1.1 204 No Content\r\n\r\n"
    )
    events = parse_response(data)
    assert [e for e in events if type(e) is Data] == [Data(data=b"abc")]
    assert events[-3:] == [ok_response(204, reason=b"No Content"), eom(), NEED_DATA]


def test_chunked_body_with_trailers() -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked")
    data += b'3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nETag: "1"\r\nX-Sum: 5\r\n\r\n'
    assert parse_response(data) == [
        ok_response(200, (b"Transfer-Encoding", b"chunked")),
        Data(data=b"abc", chunk_start=True, chunk_end=True),
        Data(data=b"de", chunk_start=True, chunk_end=True),
        eom((b"ETag", b'"1"'), (b"X-Sum", b"5")),
        NEED_DATA,
    ]


def test_chunked_wins_over_content_length() -> None:
    """With both, the body is the chunked one (the rest of the stream is not looked at)."""
    data = head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 2", b"Transfer-Encoding: chunked")
    parser = ResponseParser()
    parser.feed(data + b"5\r\nhello\r\n0\r\n\r\n")
    events = [parser.next_event() for _ in range(3)]
    assert type(events[0]) is Response
    assert events[1:] == [Data(data=b"hello", chunk_start=True, chunk_end=True), eom()]


def test_close_delimited_body() -> None:
    parser = ResponseParser()
    parser.feed(head_bytes(b"HTTP/1.1 200 OK", b"Server: x") + b"hel")
    assert drain(parser) == [ok_response(200, (b"Server", b"x")), Data(data=b"hel"), NEED_DATA]
    parser.feed(b"lo\r\n\r\nHTTP/1.1 200 OK\r\n\r\n")
    assert body_of(drain(parser)) == b"lo\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"
    parser.feed(b"")
    assert drain(parser) == [eom(), ConnectionClosed()]
    assert parser.next_event() == ConnectionClosed()


def test_close_delimited_empty_body() -> None:
    assert parse_response(head_bytes(b"HTTP/1.1 200 OK"), eof=True) == [
        ok_response(200),
        eom(),
        ConnectionClosed(),
    ]


def test_http10_response_without_length_reads_until_close() -> None:
    data = head_bytes(b"HTTP/1.0 200 OK") + b"all of it"
    assert parse_response(data, eof=True) == [
        ok_response(200, version=b"1.0"),
        Data(data=b"all of it"),
        eom(),
        ConnectionClosed(),
    ]


@pytest.mark.parametrize(
    "lines",
    [[b"Transfer-Encoding: chunked"], [b"Transfer-Encoding: chunked", b"Content-Length: 3"]],
    ids=["te", "te-and-cl"],
)
def test_http10_response_with_transfer_encoding_is_decoded_then_closes(lines: list[bytes]) -> None:
    """RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 is faulty framing: the chunks are
    decoded (as h11 and llhttp do) and the connection must close after the message."""
    wire = head_bytes(b"HTTP/1.0 200 OK", *lines) + b"5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"
    for pieces in ([wire], [wire[i : i + 1] for i in range(len(wire))]):
        parser = ResponseParser()
        events = run(parser, pieces)
        assert type(events[0]) is Response
        assert events[0].http_version == b"1.0"
        assert merge_data(events[1:]) == [Data(data=b"hello"), eom((b"x-t", b"1")), NEED_DATA]
        assert chunks_of(events) == [b"hello"]
        assert parser.must_close
        parser.feed(b"HTTP/1.0 200 OK\r\n\r\n")
        with pytest.raises(RemoteProtocolError, match="expecting EOF"):
            parser.next_event()


@pytest.mark.parametrize("coding", [b"gzip", b"gzip, chunked"])
def test_http10_response_with_another_coding_is_501_as_in_http11(coding: bytes) -> None:
    data = (
        head_bytes(b"HTTP/1.0 200 OK", b"Transfer-Encoding: " + coding) + b"5\r\nhello\r\n0\r\n\r\n"
    )
    assert_rejected(ResponseParser, data, 501, ABOUT_TRANSFER_ENCODING)


def test_eof_inside_content_length_body_is_error() -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 5") + b"hel"
    assert_rejected(ResponseParser, data, 400, ABOUT_EOF, eof=True)


def test_eof_inside_chunked_body_is_error() -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked") + b"5\r\nhello\r\n"
    assert_rejected(ResponseParser, data, 400, ABOUT_EOF, eof=True)


@pytest.mark.parametrize("cut", [1, 8, 12, 20])
def test_eof_inside_head_is_error(cut: int) -> None:
    assert_rejected(ResponseParser, OK_EMPTY[:cut], 400, ABOUT_EOF, eof=True)


def test_eof_at_boundary_is_connection_closed() -> None:
    assert parse_response(OK_EMPTY, eof=True) == [
        ok_response(200, (b"Content-Length", b"0")),
        eom(),
        ConnectionClosed(),
    ]


def test_feed_after_eof_is_runtime_error() -> None:
    parser = ResponseParser()
    parser.feed(b"")
    with pytest.raises(RuntimeError):
        parser.feed(OK_EMPTY)


# ---- responses without a body ---------------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [[b"Content-Length: 5"], [b"Transfer-Encoding: chunked"], []],
    ids=["content-length", "chunked", "nothing"],
)
def test_head_response_has_no_body(lines: list[bytes]) -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", *lines) + OK_EMPTY
    events = parse_response(data, method=b"HEAD")
    assert type(events[0]) is Response
    assert events[1] == eom()
    assert not [e for e in events if type(e) is Data]


@pytest.mark.parametrize("status", [204, 304])
@pytest.mark.parametrize(
    "lines",
    [[b"Content-Length: 5"], [b"Transfer-Encoding: chunked"], []],
    ids=["content-length", "chunked", "nothing"],
)
def test_204_and_304_have_no_body(status: int, lines: list[bytes]) -> None:
    status_line = b"HTTP/1.1 %d X" % status
    events = parse_response(head_bytes(status_line, *lines) + OK_EMPTY)
    assert [type(e) for e in events] == [
        Response,
        EndOfMessage,
        Response,
        EndOfMessage,
        type(NEED_DATA),
    ]
    assert events[0].status_code == status
    assert events[2] == ok_response(200, (b"Content-Length", b"0"))


def test_request_method_applies_to_next_response() -> None:
    parser = ResponseParser(request_method=b"GET")
    parser.feed(head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 2") + b"hi")
    assert [type(e) for e in drain(parser)] == [Response, Data, EndOfMessage, type(NEED_DATA)]
    parser.request_method = b"HEAD"
    parser.feed(head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 2") + OK_EMPTY)
    events = drain(parser)
    assert [type(e) for e in events] == [
        Response,
        EndOfMessage,
        Response,
        EndOfMessage,
        type(NEED_DATA),
    ]


def test_informational_responses_then_final() -> None:
    data = head_bytes(b"HTTP/1.1 100 Continue")
    data += head_bytes(b"HTTP/1.1 103 Early Hints", b"Link: </style.css>; rel=preload")
    data += head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 2") + b"hi"
    assert parse_response(data) == [
        InformationalResponse(status_code=100, reason=b"Continue", headers=[]),
        InformationalResponse(
            status_code=103,
            reason=b"Early Hints",
            headers=[(b"Link", b"</style.css>; rel=preload")],
        ),
        ok_response(200, (b"Content-Length", b"2")),
        Data(data=b"hi"),
        eom(),
        NEED_DATA,
    ]


def test_informational_response_to_head() -> None:
    data = head_bytes(b"HTTP/1.1 100 Continue") + head_bytes(
        b"HTTP/1.1 200 OK", b"Content-Length: 9"
    )
    events = parse_response(data, method=b"HEAD")
    assert [type(e) for e in events] == [
        InformationalResponse,
        Response,
        EndOfMessage,
        type(NEED_DATA),
    ]


def test_101_pauses_with_trailing_data() -> None:
    parser = ResponseParser()
    parser.feed(
        head_bytes(b"HTTP/1.1 101 Switching Protocols", b"Upgrade: websocket") + b"\x81\x00"
    )
    assert drain(parser) == [
        InformationalResponse(
            status_code=101,
            reason=b"Switching Protocols",
            headers=[(b"Upgrade", b"websocket")],
        ),
        PAUSED,
    ]
    assert parser.trailing_data == (b"\x81\x00", False)
    parser.feed(b"more")
    assert parser.next_event() is PAUSED
    assert parser.trailing_data == (b"\x81\x00more", False)
    parser.feed(b"")
    assert parser.trailing_data == (b"\x81\x00more", True)


@pytest.mark.parametrize("status", [200, 204, 299])
def test_2xx_to_connect_ends_the_message_and_pauses(status: int) -> None:
    """The head ends the message: no EndOfMessage, as after a 101 and as in a Connection."""
    parser = ResponseParser(request_method=b"CONNECT")
    parser.feed(head_bytes(b"HTTP/1.1 %d Connection established" % status) + b"\x16\x03\x01")
    events = drain(parser)
    assert [type(e) for e in events] == [Response, type(PAUSED)]
    assert events[0].status_code == status
    assert parser.trailing_data == (b"\x16\x03\x01", False)


def test_2xx_to_connect_ignores_content_length() -> None:
    parser = ResponseParser(request_method=b"CONNECT")
    parser.feed(head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 5") + b"tunnel")
    assert [type(e) for e in drain(parser)] == [Response, type(PAUSED)]
    assert parser.trailing_data == (b"tunnel", False)


def test_non_2xx_to_connect_has_a_normal_body() -> None:
    data = head_bytes(b"HTTP/1.1 407 Proxy Authentication Required", b"Content-Length: 4") + b"deny"
    events = parse_response(data, method=b"CONNECT")
    assert events[1:] == [Data(data=b"deny"), eom(), NEED_DATA]


def test_error_persists() -> None:
    parser = ResponseParser()
    parser.feed(b"HTTP/1.1 2x0 OK\r\n\r\n")
    for _ in range(3):
        with pytest.raises(RemoteProtocolError):
            parser.next_event()


def test_iteration() -> None:
    parser = ResponseParser()
    parser.feed(OK_EMPTY + OK_EMPTY[:5])
    assert [type(e) for e in parser] == [Response, EndOfMessage]
    assert list(parser) == []


# ---- reading on ----------------------------------------------------------------------------


def test_informational_response_never_has_a_body() -> None:
    data = head_bytes(b"HTTP/1.1 100 Continue", b"Content-Length: 5")
    data += head_bytes(b"HTTP/1.1 200 OK", b"Content-Length: 2") + b"hi"
    events = parse_response(data)
    assert [type(e) for e in events] == [
        InformationalResponse,
        Response,
        Data,
        EndOfMessage,
        type(NEED_DATA),
    ]


SPLIT_STREAM = (
    head_bytes(b"HTTP/1.1 100 Continue")
    + head_bytes(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked")
    + b"3;x=y\r\nabc\r\n0\r\n\r\n"
    + head_bytes(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked")
    + b"2\r\nde\r\n0\r\nX-T: v\r\n\r\n"
    + b"HTTP/1.1 200 OK\nContent-Length: 3\nX-F: a\n b\n\nfgh"
    + head_bytes(b"HTTP/1.1 304 Not Modified", b"Content-Length: 9")
    + head_bytes(b"HTTP/1.1 200 OK")
    + b"until\r\nclose\r\n\r\n"
)


@pytest.mark.parametrize("cut", range(len(SPLIT_STREAM) + 1))
def test_every_two_piece_split_gives_the_same_events(cut: int) -> None:
    """Exhaustive over cut points, including between the CR and LF of every line end."""
    whole = merge_data(run(ResponseParser(), [SPLIT_STREAM], eof=True))
    assert [type(e) for e in whole if type(e) is not Data] == [
        InformationalResponse,
        *[Response, EndOfMessage] * 5,
        ConnectionClosed,
    ]
    assert whole[-3] == Data(data=b"until\r\nclose\r\n\r\n")
    pieces = [SPLIT_STREAM[:cut], SPLIT_STREAM[cut:]]
    assert merge_data(run(ResponseParser(), pieces, eof=True)) == whole
