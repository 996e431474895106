"""RequestParser: the standalone API (feed, next_event, iteration, EOF, pause).

Byte-level checks of what a server sees; the strictness table has its own module.
"""

from __future__ import annotations

import pytest
from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    RemoteProtocolError,
    Request,
)
from h11_parser import RequestParser
from parser_support import (
    ABOUT_EOF,
    assert_rejected,
    drain,
    eom,
    merge_data,
    ok_request,
    parse_request,
    request_head,
    run,
)

GET = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"
POST = b"POST /submit HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello"


def test_nothing_fed_needs_data() -> None:
    assert RequestParser().next_event() is NEED_DATA


def test_simple_get() -> None:
    assert parse_request(GET) == [ok_request(), eom(), NEED_DATA]


def test_request_fields() -> None:
    parser = RequestParser()
    parser.feed(b"OPTIONS * HTTP/1.1\r\nHost: h\r\nX-Mixed-Case: Va lue\r\naccept: */*\r\n\r\n")
    request = parser.next_event()
    assert type(request) is Request
    assert request.method == b"OPTIONS"
    assert request.target == b"*"
    assert request.http_version == b"1.1"
    assert list(request.headers) == [
        (b"host", b"h"),
        (b"x-mixed-case", b"Va lue"),
        (b"accept", b"*/*"),
    ]
    assert request.headers.raw_items() == [
        (b"Host", b"h"),
        (b"X-Mixed-Case", b"Va lue"),
        (b"accept", b"*/*"),
    ]


@pytest.mark.parametrize(
    "target",
    [b"/", b"/a/b?c=d&e=%20f", b"http://example.com:8080/x", b"example.com:443", b"*"],
)
def test_request_target_forms(target: bytes) -> None:
    method = {b"example.com:443": b"CONNECT", b"*": b"OPTIONS"}.get(target, b"GET")
    parser = RequestParser()
    parser.feed(method + b" " + target + b" HTTP/1.1\r\nHost: example.com\r\n\r\n")
    request = parser.next_event()
    assert type(request) is Request
    assert request.target == target
    assert request.method == method


def test_http10_request_needs_no_host() -> None:
    events = parse_request(b"GET /old HTTP/1.0\r\n\r\n")
    assert events == [
        Request(method=b"GET", target=b"/old", headers=[], http_version=b"1.0"),
        eom(),
        NEED_DATA,
    ]


def test_method_case_is_kept() -> None:
    parser = RequestParser()
    parser.feed(b"get / HTTP/1.1\r\nHost: a\r\n\r\n")
    request = parser.next_event()
    assert type(request) is Request
    assert request.method == b"get"


def test_content_length_body() -> None:
    assert parse_request(POST) == [
        Request(
            method=b"POST",
            target=b"/submit",
            headers=[(b"Host", b"example.com"), (b"Content-Length", b"5")],
        ),
        Data(data=b"hello"),
        eom(),
        NEED_DATA,
    ]


def test_received_data_is_bytes() -> None:
    events = parse_request(POST)
    data = [event for event in events if type(event) is Data]
    assert data
    assert all(type(event.data) is bytes for event in data)


def test_content_length_zero_has_no_data() -> None:
    data = request_head(b"Content-Length: 0", method=b"POST")
    assert parse_request(data) == [
        ok_request((b"Content-Length", b"0"), method=b"POST"),
        eom(),
        NEED_DATA,
    ]


def test_content_length_body_split_across_reads() -> None:
    parser = RequestParser()
    parser.feed(POST[:-5])
    assert parser.next_event() == ok_request_post()
    assert parser.next_event() is NEED_DATA
    received = b""
    for piece in (b"h", b"el", b"lo"):
        parser.feed(piece)
        event = parser.next_event()
        assert type(event) is Data
        assert len(event.data) <= len(piece)
        received += event.data
        assert received == b"hello"[: len(received)]
    assert received == b"hello"
    assert parser.next_event() == eom()
    assert parser.next_event() is NEED_DATA


def ok_request_post() -> Request:
    return Request(
        method=b"POST",
        target=b"/submit",
        headers=[(b"Host", b"example.com"), (b"Content-Length", b"5")],
    )


def test_data_never_exceeds_content_length() -> None:
    """The bytes after the declared body belong to the next message, never to Data."""
    data = POST + b"EXTRA"
    parser = RequestParser()
    parser.feed(data)
    events = drain(parser)
    assert b"".join(e.data for e in events if type(e) is Data) == b"hello"
    assert all(len(e.data) <= 5 for e in events if type(e) is Data)
    assert events[-2:] == [eom(), NEED_DATA]


def test_no_body_without_framing_headers() -> None:
    """A request with neither Content-Length nor Transfer-Encoding has no body."""
    parser = RequestParser()
    parser.feed(request_head(method=b"POST") + GET)
    events = drain(parser)
    assert events == [ok_request(method=b"POST"), eom(), ok_request(), eom(), NEED_DATA]


def test_pipelined_requests_back_to_back() -> None:
    second = b"GET /two HTTP/1.1\r\nHost: example.com\r\n\r\n"
    events = parse_request(POST + GET + second)
    assert events == [
        ok_request_post(),
        Data(data=b"hello"),
        eom(),
        ok_request(),
        eom(),
        Request(method=b"GET", target=b"/two", headers=[(b"Host", b"example.com")]),
        eom(),
        NEED_DATA,
    ]


def test_pipelined_requests_byte_by_byte() -> None:
    data = POST + GET + POST
    events = run(RequestParser(), [data[i : i + 1] for i in range(len(data))])
    body = [e for e in events if type(e) is Data]
    assert b"".join(e.data for e in body) == b"hellohello"
    heads = [e for e in events if type(e) is Request]
    assert heads == [ok_request_post(), ok_request(), ok_request_post()]
    assert [type(e) for e in events if type(e) is not Data] == [
        Request,
        EndOfMessage,
        Request,
        EndOfMessage,
        Request,
        EndOfMessage,
        type(NEED_DATA),
    ]


def test_iteration_yields_until_need_data() -> None:
    parser = RequestParser()
    parser.feed(GET + GET[:10])
    assert list(parser) == [ok_request(), eom()]
    parser.feed(GET[10:])
    assert list(parser) == [ok_request(), eom()]
    assert list(parser) == []


def test_iteration_stops_at_paused() -> None:
    parser = RequestParser()
    parser.feed(request_head(b"Upgrade: websocket", b"Connection: upgrade") + b"raw")
    events = list(parser)
    assert [type(e) for e in events] == [Request, EndOfMessage]
    assert parser.next_event() is PAUSED


def test_eof_at_boundary_is_connection_closed() -> None:
    parser = RequestParser()
    parser.feed(GET)
    parser.feed(b"")
    assert drain(parser) == [ok_request(), eom(), ConnectionClosed()]
    for _ in range(3):
        assert parser.next_event() == ConnectionClosed()


def test_eof_before_anything_is_connection_closed() -> None:
    parser = RequestParser()
    parser.feed(b"")
    assert parser.next_event() == ConnectionClosed()
    assert parser.next_event() == ConnectionClosed()


def test_eof_is_seen_only_after_buffered_events() -> None:
    parser = RequestParser()
    parser.feed(POST + GET)
    parser.feed(b"")
    assert drain(parser) == [
        ok_request_post(),
        Data(data=b"hello"),
        eom(),
        ok_request(),
        eom(),
        ConnectionClosed(),
    ]


def test_feed_after_eof_is_runtime_error() -> None:
    parser = RequestParser()
    parser.feed(b"")
    with pytest.raises(RuntimeError):
        parser.feed(GET)


def test_repeated_eof_is_harmless() -> None:
    """As with h11, a second EOF changes nothing (only more data after EOF is an error)."""
    parser = RequestParser()
    parser.feed(GET)
    parser.feed(b"")
    parser.feed(b"")
    assert drain(parser) == [ok_request(), eom(), ConnectionClosed()]


@pytest.mark.parametrize("cut", [1, 5, 15, len(GET) - 4, len(GET) - 2])
def test_eof_inside_head_is_error(cut: int) -> None:
    assert_rejected(RequestParser, GET[:cut], 400, ABOUT_EOF, eof=True)


@pytest.mark.parametrize("cut", [0, 1, 4])
def test_eof_inside_content_length_body_is_error(cut: int) -> None:
    data = POST[: len(POST) - 5 + cut]
    assert_rejected(RequestParser, data, 400, ABOUT_EOF, eof=True)


@pytest.mark.parametrize(
    "body",
    [b"", b"5\r\nhel", b"5\r\nhello", b"5\r\nhello\r\n", b"5\r\nhello\r\n0\r\n", b"5;a=b"],
)
def test_eof_inside_chunked_body_is_error(body: bytes) -> None:
    data = request_head(b"Transfer-Encoding: chunked", method=b"POST") + body
    assert_rejected(RequestParser, data, 400, ABOUT_EOF, eof=True)


def test_eof_inside_trailers_is_error() -> None:
    data = request_head(b"Transfer-Encoding: chunked", method=b"POST") + b"0\r\nX-T: v\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_EOF, eof=True)


def test_error_persists() -> None:
    parser = RequestParser()
    parser.feed(b"GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n")
    with pytest.raises(RemoteProtocolError) as first:
        parser.next_event()
    for _ in range(3):
        with pytest.raises(RemoteProtocolError) as again:
            parser.next_event()
        assert again.value.error_status_hint == first.value.error_status_hint


def test_error_persists_after_valid_events() -> None:
    parser = RequestParser()
    parser.feed(GET + b"GET / HTTP/1.1\r\nHost: a\r\nBad\x00: x\r\n\r\n")
    assert parser.next_event() == ok_request()
    assert parser.next_event() == eom()
    for _ in range(3):
        with pytest.raises(RemoteProtocolError):
            parser.next_event()


# ---- Upgrade / CONNECT: the parser pauses after the request -----------------------------


UPGRADE = request_head(b"Upgrade: websocket", b"Connection: Upgrade")


def test_upgrade_pauses_with_trailing_data() -> None:
    parser = RequestParser()
    parser.feed(UPGRADE + b"\x81\x05hello")
    events = drain(parser)
    assert [type(e) for e in events[:-1]] == [Request, EndOfMessage]
    assert events[-1] is PAUSED
    assert parser.trailing_data == (b"\x81\x05hello", False)
    assert parser.next_event() is PAUSED


def test_paused_parser_keeps_bytes_fed_later() -> None:
    parser = RequestParser()
    parser.feed(UPGRADE + b"abc")
    drain(parser)
    parser.feed(b"def")
    assert parser.next_event() is PAUSED
    assert parser.trailing_data == (b"abcdef", False)
    parser.feed(b"")
    assert parser.next_event() is PAUSED
    assert parser.trailing_data == (b"abcdef", True)


def test_upgrade_with_body_pauses_after_body() -> None:
    head = request_head(b"Upgrade: h2c", b"Content-Length: 3", method=b"POST")
    parser = RequestParser()
    parser.feed(head + b"abcPRI * HTTP/2.0")
    events = drain(parser)
    assert [type(e) for e in events[:-1]] == [Request, Data, EndOfMessage]
    assert events[1] == Data(data=b"abc")
    assert events[-1] is PAUSED
    assert parser.trailing_data == (b"PRI * HTTP/2.0", False)


def test_connect_pauses() -> None:
    parser = RequestParser()
    parser.feed(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01")
    events = drain(parser)
    assert events[:2] == [
        Request(
            method=b"CONNECT",
            target=b"example.com:443",
            headers=[(b"Host", b"example.com:443")],
        ),
        eom(),
    ]
    assert events[2] is PAUSED
    assert parser.trailing_data == (b"\x16\x03\x01", False)


def test_paused_with_nothing_after() -> None:
    parser = RequestParser()
    parser.feed(UPGRADE)
    assert drain(parser)[-1] is PAUSED
    assert parser.trailing_data == (b"", False)


def test_resume_parses_on_as_http() -> None:
    parser = RequestParser()
    parser.feed(UPGRADE + GET)
    assert drain(parser)[-1] is PAUSED
    parser.resume()
    assert drain(parser) == [ok_request(), eom(), NEED_DATA]


def test_resume_then_eof() -> None:
    parser = RequestParser()
    parser.feed(UPGRADE)
    assert drain(parser)[-1] is PAUSED
    parser.resume()
    assert parser.next_event() is NEED_DATA
    parser.feed(b"")
    assert parser.next_event() == ConnectionClosed()


def test_resume_then_garbage_is_error() -> None:
    parser = RequestParser()
    parser.feed(UPGRADE + b"\x16\x03\x01\x00\x00\r\n\r\n")
    assert drain(parser)[-1] is PAUSED
    parser.resume()
    with pytest.raises(RemoteProtocolError):
        drain(parser)


def test_request_without_upgrade_does_not_pause() -> None:
    parser = RequestParser()
    parser.feed(request_head(b"Connection: keep-alive") + GET)
    assert [type(e) for e in drain(parser)] == [
        Request,
        EndOfMessage,
        Request,
        EndOfMessage,
        type(NEED_DATA),
    ]


def test_trailing_data_before_anything() -> None:
    parser = RequestParser()
    assert parser.trailing_data == (b"", False)


def test_trailing_data_holds_unparsed_bytes() -> None:
    parser = RequestParser()
    parser.feed(b"GET / HT")
    assert parser.next_event() is NEED_DATA
    assert parser.trailing_data == (b"GET / HT", False)
    parser.feed(b"TP/1.1\r\nHost: example.com\r\n\r\n")
    assert drain(parser) == [ok_request(), eom(), NEED_DATA]
    assert parser.trailing_data == (b"", False)
    parser.feed(b"")
    assert parser.next_event() == ConnectionClosed()
    assert parser.trailing_data == (b"", True)


SPLIT_STREAM = (
    b"\r\n"
    + request_head(b"Transfer-Encoding: chunked", method=b"POST")
    + b"3;x=y\r\nabc\r\n0\r\nX-T: v\r\n\r\n"
    + b"\r\n"
    + POST
    + b"\n"
    + request_head(b"Transfer-Encoding: chunked", method=b"POST")
    + b"2\r\nde\r\n0\r\n\r\n"
    + b"\r\n"
    + b"GET / HTTP/1.1\r\nHost: example.com\r\nX-F: a b\r\n\r\n"
)


@pytest.mark.parametrize("cut", range(len(SPLIT_STREAM) + 1))
def test_every_two_piece_split_gives_the_same_events(cut: int) -> None:
    """Exhaustive over cut points, including between the CR and LF of every line end."""
    whole = merge_data(run(RequestParser(), [SPLIT_STREAM], eof=True))
    assert [type(e) for e in whole if type(e) is not Data] == [
        Request,
        EndOfMessage,
        Request,
        EndOfMessage,
        Request,
        EndOfMessage,
        Request,
        EndOfMessage,
        ConnectionClosed,
    ]
    pieces = [SPLIT_STREAM[:cut], SPLIT_STREAM[cut:]]
    assert merge_data(run(RequestParser(), pieces, eof=True)) == whole
