"""The chunked transfer coding (RFC 9112 7.1) through the h11 API.

A server reads a request's chunk-size lines exactly and refuses framing, routing and
authentication fields in its trailer section (RFC 9110 6.5.1); a client reads a response's
chunk lines and trailers as h11 0.16 does. A chunked HTTP/1.0 response is decoded, then the
connection closes. Streams are read whole and byte by byte. The standalone parsers' checks
are h11-parser's test_chunked.py and test_trailers.py.
"""

from __future__ import annotations

from typing import Any

import h11_connection as h11
import pytest
from conn_support import (
    CHUNKED_REQUEST,
    CHUNKED_RESPONSE,
    DIFFERS,
    SPLITS,
    client_done,
    next_events,
    receive_all,
)


def body(events: list[Any]) -> bytes:
    return b"".join(bytes(e.data) for e in events if type(e) is h11.Data)


def refused(conn: h11.Connection, data: bytes, *, split: bool) -> h11.RemoteProtocolError:
    with pytest.raises(h11.RemoteProtocolError) as caught:
        receive_all(conn, data, split=split)
    assert conn.their_state is h11.ERROR
    return caught.value


# ---- chunk-size lines ---------------------------------------------------------------------


@DIFFERS
@SPLITS
@pytest.mark.parametrize("line", [b"5 ", b"5\t", b"5 ;a=b", b"5; a", b"5;a =b", b"5;", b"5;\x00"])
def test_tolerated_response_chunk_lines_are_400_in_requests(split: bool, line: bytes) -> None:
    tail = line + b"\r\nhello\r\n0\r\n\r\n"
    client = client_done()
    events = receive_all(client, CHUNKED_RESPONSE + tail, split=split)
    assert body(events) == b"hello"
    assert type(events[-1]) is h11.EndOfMessage
    error = refused(h11.Connection(h11.SERVER), CHUNKED_REQUEST + tail, split=split)
    assert error.error_status_hint == 400
    assert "chunk" in str(error)


# ---- HTTP/1.0 response with Transfer-Encoding ---------------------------------------------


@SPLITS
def test_http10_chunked_response_is_decoded_and_the_connection_must_close(split: bool) -> None:
    client = client_done()
    data = b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: 1\r\n\r\n"
    events = receive_all(client, data, split=split)
    assert body(events) == b"hello"
    assert events[-1] == h11.EndOfMessage(headers=[("X", "1")])
    assert client.their_state is h11.MUST_CLOSE
    assert client.our_state is h11.MUST_CLOSE


# ---- request trailers ---------------------------------------------------------------------


@DIFFERS
@SPLITS
@pytest.mark.parametrize("field", [b"Content-Length: 5", b"Transfer-Encoding: chunked", b"Host: b"])
def test_framing_fields_in_request_trailers_are_400(split: bool, field: bytes) -> None:
    data = CHUNKED_REQUEST + b"0\r\n" + field + b"\r\n\r\n"
    error = refused(h11.Connection(h11.SERVER), data, split=split)
    assert error.error_status_hint == 400
    assert "trailer" in str(error)


@SPLITS
def test_the_same_response_trailers_are_passed_on(split: bool) -> None:
    data = CHUNKED_RESPONSE + b"0\r\nContent-Length: 5\r\nHost: b\r\n\r\n"
    events = receive_all(client_done(), data, split=split)
    assert list(events[-1].headers) == [(b"content-length", b"5"), (b"host", b"b")]


# ---- chunk boundaries across reads, HTTP/1.0, trailer limits -------------------------------


@pytest.mark.parametrize("split", [False, True])
def test_http10_chunked_response_is_decoded_then_the_connection_closes(split: bool) -> None:
    """RFC 9112 6.1: faulty framing in HTTP/1.0: chunks decoded (as h11), no keep-alive."""
    client = client_done()
    wire = b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    events: list[Any] = []
    for piece in [wire[i : i + 1] for i in range(len(wire))] if split else [wire]:
        client.receive_data(piece)
        events += [e for e in next_events(client) if e is not h11.NEED_DATA]
    assert type(events[0]) is h11.Response
    assert b"".join(bytes(e.data) for e in events if type(e) is h11.Data) == b"hello"
    assert type(events[-1]) is h11.EndOfMessage
    assert client.their_state is h11.MUST_CLOSE
    client.receive_data(b"HTTP/1.1 200 OK\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        client.next_event()


def test_chunk_split_across_reads_marks_chunk_boundaries() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(CHUNKED_REQUEST + b"a\r\n01234")
    events = next_events(server)
    assert events[1] == h11.Data(data=b"01234", chunk_start=True, chunk_end=False)
    server.receive_data(b"56789\r\n3\r\nabc\r\n0\r\n\r\n")
    events = next_events(server)
    assert events[0] == h11.Data(data=b"56789", chunk_start=False, chunk_end=True)
    assert events[1] == h11.Data(data=b"abc", chunk_start=True, chunk_end=True)
    assert type(events[2]) is h11.EndOfMessage


def test_oversize_trailers_in_pieces_rejected() -> None:
    server = h11.Connection(h11.SERVER, max_incomplete_event_size=100)
    server.receive_data(CHUNKED_REQUEST + b"0\r\n")
    next_events(server)

    def feed_trailer_lines() -> None:
        for _ in range(10):
            server.receive_data(b"X-T: " + b"v" * 40 + b"\r\n")
            next_events(server)

    with pytest.raises(h11.RemoteProtocolError):
        feed_trailer_lines()
