"""Message body length (RFC 9112 6.3) and incomplete messages (RFC 9112 8).

One rule says which responses have a body (none after HEAD, for 1xx, 204, 304, or for a 2xx
to CONNECT): writer and parser agree on it. An HTTP/1.0 response may be chunked and then ends
the connection. A body cut short by EOF is 400, and the error names the figures.
"""

from __future__ import annotations

import pytest
from h11_events import (
    NEED_DATA,
    PAUSED,
    Data,
    EndOfMessage,
    LocalProtocolError,
    Response,
)
from h11_parser import RequestParser, ResponseParser, ResponseWriter
from parser_support import (
    CHUNKED,
    assert_rejected,
    both_ways,
    chunks_of,
    eom,
    post,
    run,
)


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


def test_http10_chunked_response_is_decoded_then_must_close_split_anywhere() -> None:
    wire = b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    for cut in range(len(wire) + 1):
        parser = ResponseParser()
        events = run(parser, [wire[:cut], wire[cut:]])
        assert events[0] == Response(
            status_code=200,
            reason=b"OK",
            headers=[(b"transfer-encoding", b"chunked")],
            http_version=b"1.0",
        )
        assert chunks_of(events) == [b"hello"]
        assert events[-2:] == [eom(), NEED_DATA]
        assert parser.must_close


# ---- incomplete messages (RFC 9112 8): the error names its figures -------------------------


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
