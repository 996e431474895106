"""Keep-alive (RFC 9112 9.3, 9.6): a message that ends the connection is the last one.

After Connection: close, an HTTP/1.0 message without keep-alive, or a message with both
Transfer-Encoding and Content-Length, a parser reads nothing more but EOF (bytes after it are
400: no request is smuggled behind it) and a writer sends nothing more.
"""

from __future__ import annotations

from typing import Any

import pytest
from h11_events import (
    NEED_DATA,
    ConnectionClosed,
    Data,
    EndOfMessage,
    LocalProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, RequestWriter, ResponseParser, ResponseWriter
from parser_support import (
    SMUGGLED,
    Parser,
    assert_rejected,
    both_ways,
    eom,
    ok_request,
    one_by_one,
    post,
    request_head,
    run,
)


def collect(parser: Parser, pieces: list[bytes], events: list[Any]) -> None:
    """Feed each piece and append every event to ``events`` (errors propagate)."""
    for piece in pieces:
        parser.feed(piece)
        while (event := parser.next_event()) is not NEED_DATA:
            events.append(event)


@pytest.mark.parametrize(
    "first",
    [
        post(b"Transfer-Encoding: chunked", b"Content-Length: 3") + b"0\r\n\r\n",
        request_head(b"Connection: close"),
        request_head(b"Connection: keep-alive, close"),
        b"GET / HTTP/1.0\r\n\r\n",
        b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    ],
    ids=["te-and-cl", "close", "close-in-list", "http10", "http10-keep-alive"],
)
def test_request_parser_stops_after_a_message_that_ends_the_connection(first: bytes) -> None:
    for pieces in ([first + SMUGGLED], one_by_one(first + SMUGGLED)):
        parser = RequestParser()
        events: list[Any] = []
        with pytest.raises(RemoteProtocolError, match="Got data when expecting EOF") as info:
            collect(parser, pieces, events)
        assert info.value.error_status_hint == 400
        assert parser.must_close
        # The smuggled request never came out as an event.
        assert [type(e) for e in events if type(e) is not Data] == [Request, EndOfMessage]
        with pytest.raises(RemoteProtocolError):
            parser.next_event()


@pytest.mark.parametrize("split", [False, True])
def test_request_parser_after_a_closing_message_waits_for_eof(split: bool) -> None:
    data = request_head(b"Connection: close")
    parser = RequestParser()
    assert run(parser, one_by_one(data) if split else [data]) == [
        ok_request((b"Connection", b"close")),
        eom(),
        NEED_DATA,
    ]
    assert parser.must_close
    parser.feed(b"")
    assert parser.next_event() == ConnectionClosed()
    assert parser.next_event() == ConnectionClosed()


def test_request_parser_keep_alive_message_does_not_close() -> None:
    parser = RequestParser()
    assert both_ways(RequestParser, request_head() + request_head())[-1] is NEED_DATA
    parser.feed(request_head())
    list(parser)
    assert not parser.must_close


@pytest.mark.parametrize(
    "first",
    [
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n0\r\n\r\n",
    ],
    ids=["close", "http10", "te-and-cl"],
)
def test_response_parser_stops_after_a_message_that_ends_the_connection(first: bytes) -> None:
    second = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    assert_rejected(ResponseParser, first + second, 400, r"expecting EOF")


def test_response_writer_refuses_a_response_after_a_body_delimited_by_close() -> None:
    writer = ResponseWriter()
    writer.send(Response(status_code=200, headers=[]))
    writer.send(Data(data=b"until close"))
    writer.send(EndOfMessage())
    assert writer.must_close
    with pytest.raises(LocalProtocolError, match="ended the connection"):
        writer.send(Response(status_code=200, headers=[(b"Content-Length", b"0")]))


def test_writers_refuse_a_message_after_connection_close() -> None:
    responses = ResponseWriter()
    responses.send(Response(status_code=204, headers=[(b"Connection", b"close")]))
    responses.send(EndOfMessage())
    assert responses.must_close
    with pytest.raises(LocalProtocolError):
        responses.send(Response(status_code=204, headers=[]))
    requests = RequestWriter()
    requests.send(
        Request(method=b"GET", target=b"/", headers=[(b"Host", b"a"), (b"Connection", b"close")])
    )
    requests.send(EndOfMessage())
    assert requests.must_close
    with pytest.raises(LocalProtocolError):
        requests.send(Request(method=b"GET", target=b"/", headers=[(b"Host", b"a")]))


def test_writers_keep_going_after_keep_alive_messages() -> None:
    writer = ResponseWriter()
    for _ in range(2):
        writer.send(Response(status_code=200, headers=[(b"Content-Length", b"0")]))
        writer.send(EndOfMessage())
    assert not writer.must_close
