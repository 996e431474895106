"""Issue #15: strict where smuggling lives (requests), tolerant where interop lives (responses).

Every check runs with the bytes arriving whole and byte by byte: ``assert_rejected``
does both for errors, ``both_ways`` for accepted input (and asserts they agree).
"""

from __future__ import annotations

from typing import Any

import pytest
from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, RequestWriter, ResponseParser, ResponseWriter
from parser_support import (
    CHUNKED,
    SMUGGLED,
    assert_rejected,
    both_ways,
    eom,
    ok_request,
    one_by_one,
    post,
    request_head,
    run,
)

Parser = RequestParser | ResponseParser


# ---- point 1: more than one Host in any request --------------------------------------------


# ---- point 2: the HTTP/2 connection preface ------------------------------------------------


# ---- point 3: Transfer-Encoding with Content-Length is never sent ---------------------------


# ---- point 4: one rule for which responses have a body -------------------------------------


@pytest.mark.parametrize("method", [b"GET", b"HEAD", b"CONNECT", b"POST"])
@pytest.mark.parametrize("status", [200, 204, 299, 304, 404])
def test_writer_and_parser_agree_on_which_responses_have_a_body(method: bytes, status: int) -> None:
    """Whatever the writer frames as a body, the parser reads back, and vice versa."""
    writer = ResponseWriter(method)
    head = Response(status_code=status, headers=[(b"Content-Length", b"3")])
    wire = writer.send(head)
    try:
        wire += writer.send(Data(data=b"abc"))
        writer_body = True
    except LocalProtocolError:
        writer_body = False
    events = both_ways(lambda: ResponseParser(method), wire + writer_end(writer))
    assert events[0] == head
    assert (Data(data=b"abc") in events) is writer_body
    if writer.switched:  # a 2xx to CONNECT: the head ends the message, a tunnel follows
        assert events[1:] == [PAUSED]
    else:
        assert events[1 if not writer_body else 2] == EndOfMessage()


def writer_end(writer: ResponseWriter) -> bytes:
    """The end of the message, or b"" where the head already ended it (a tunnel)."""
    if writer.switched:
        with pytest.raises(LocalProtocolError, match="switched"):
            writer.send(EndOfMessage())
        return b""
    return writer.send(EndOfMessage())


@pytest.mark.parametrize("split", [False, True])
def test_2xx_to_connect_ends_the_message_and_pauses_in_both_directions(split: bool) -> None:
    """As in a Connection: the head ends the message (no EndOfMessage), a tunnel follows."""
    writer = ResponseWriter(b"CONNECT")
    wire = writer.send(Response(status_code=200, headers=[]))
    assert writer.switched
    for event in (
        Data(data=b"tunnel bytes"),
        EndOfMessage(),
        Response(status_code=200, headers=[]),
    ):
        with pytest.raises(LocalProtocolError, match="switched"):
            writer.send(event)
    parser = ResponseParser(b"CONNECT")
    data = wire + b"tunnel bytes"
    events = run(parser, one_by_one(data) if split else [data])
    assert events == [Response(status_code=200, headers=[]), PAUSED]
    assert parser.trailing_data == (b"tunnel bytes", False)


def test_writer_refuses_everything_after_a_101() -> None:
    writer = ResponseWriter()
    writer.send(InformationalResponse(status_code=101, headers=[(b"Upgrade", b"h2c")]))
    assert writer.switched
    with pytest.raises(LocalProtocolError, match="switched"):
        writer.send(Response(status_code=200, headers=[]))


def test_writer_goes_on_after_a_100() -> None:
    writer = ResponseWriter()
    writer.send(InformationalResponse(status_code=100, headers=[]))
    assert not writer.switched
    writer.send(Response(status_code=204, headers=[]))
    writer.send(EndOfMessage())


# ---- point 6: a message that ends the connection is the last one ---------------------------


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


# ---- point 7: obs-fold ---------------------------------------------------------------------


# ---- point 8: bare LF ----------------------------------------------------------------------


# ---- point 9: request-target forms ---------------------------------------------------------


# ---- point 10: the Host value --------------------------------------------------------------


# ---- point 11: version syntax before version support ---------------------------------------


# ---- point 12: a truncated body's error names its figures ----------------------------------


def test_truncated_content_length_body_names_both_figures() -> None:
    data = post(b"Content-Length: 100") + b"hello"
    error = assert_rejected(RequestParser, data, 400, r"received 5 bytes, expected 100", eof=True)
    assert "complete message body" in str(error)


def test_truncated_response_body_names_both_figures() -> None:
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n123"
    assert_rejected(ResponseParser, data, 400, r"received 3 bytes, expected 10", eof=True)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"5",
        b"5\r\n",
        b"5\r\nhel",
        b"5\r\nhello",
        b"5\r\nhello\r",
        b"5\r\nhello\r\n0\r\n",
        b"5\r\nhello\r\n0\r\nX: y\r\n",
    ],
)
def test_truncated_chunked_body_says_incomplete_chunked_read(body: bytes) -> None:
    assert_rejected(RequestParser, CHUNKED + body, 400, r"incomplete chunked read", eof=True)


# ---- point 13: empty list members of Transfer-Encoding -------------------------------------
# Issue #27: refused in requests (llhttp strict; a front end may not read such a field as
# chunked), ignored in responses (RFC 9110 5.6.1).
