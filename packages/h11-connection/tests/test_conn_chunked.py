"""Issue #27 framing points on a Connection: strict requests, tolerant responses, and the
Expect/Upgrade readings h11 users rely on. Every stream is read whole and byte by byte."""

from __future__ import annotations

from typing import Any

import h11_connection as h11
import pytest
from conn_support import DIFFERS, client_done, next_events

SPLITS = pytest.mark.parametrize("split", [False, True], ids=["whole", "bytes"])


def receive(conn: h11.Connection, data: bytes, *, split: bool) -> list[Any]:
    """Every event ``data`` gives (NEED_DATA dropped), fed whole or byte by byte."""
    events: list[Any] = []
    for piece in [data[i : i + 1] for i in range(len(data))] if split else [data]:
        conn.receive_data(piece)
        events += [e for e in next_events(conn) if e is not h11.NEED_DATA]
    return events


def body(events: list[Any]) -> bytes:
    return b"".join(bytes(e.data) for e in events if type(e) is h11.Data)


def refused(conn: h11.Connection, data: bytes, *, split: bool) -> h11.RemoteProtocolError:
    with pytest.raises(h11.RemoteProtocolError) as caught:
        receive(conn, data, split=split)
    assert conn.their_state is h11.ERROR
    return caught.value


CHUNKED_REQUEST = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
CHUNKED_RESPONSE = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


# ---- chunk-size lines ---------------------------------------------------------------------


@DIFFERS
@SPLITS
@pytest.mark.parametrize("line", [b"5 ", b"5\t", b"5 ;a=b", b"5; a", b"5;a =b", b"5;", b"5;\x00"])
def test_tolerated_response_chunk_lines_are_400_in_requests(split: bool, line: bytes) -> None:
    tail = line + b"\r\nhello\r\n0\r\n\r\n"
    client = client_done()
    events = receive(client, CHUNKED_RESPONSE + tail, split=split)
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
    events = receive(client, data, split=split)
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
    events = receive(client_done(), data, split=split)
    assert list(events[-1].headers) == [(b"content-length", b"5"), (b"host", b"b")]


# ---- Expect: 100-continue -----------------------------------------------------------------

WAITING = [
    [b"100-continue"],
    [b"100-Continue"],
    [b"100-CONTINUE"],
    [b" 100-continue "],
    [b"100-continue, foo"],
    [b"foo, 100-continue"],
    [b"foo,  100-continue  ,bar"],
    [b"100-continue\t,foo"],
    [b"100-continue,"],
    [b",100-continue"],
    [b"foo", b"100-continue"],
    [b"100-continue", b"foo"],
]
NOT_WAITING = [[b"100-continue;a=b"], [b"100-continuex"], [b"foo"], [b""], [b'"100-continue"']]


@SPLITS
@pytest.mark.parametrize(
    ("values", "waiting"), [(v, True) for v in WAITING] + [(v, False) for v in NOT_WAITING]
)
def test_expect_100_continue_is_found_in_a_list(
    split: bool, values: list[bytes], waiting: bool
) -> None:
    """As h11 0.16 (observed): a list member, any case, any OWS; not with parameters."""
    expect = b"".join(b"Expect:" + value + b"\r\n" for value in values)
    data = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n" + expect + b"\r\n"
    server = h11.Connection(h11.SERVER)
    events = receive(server, data, split=split)
    assert type(events[0]) is h11.Request
    assert server.they_are_waiting_for_100_continue is waiting


@pytest.mark.parametrize("value", ["100-continue, foo", "foo,100-Continue"])
def test_a_client_sending_an_expect_list_waits_for_100_continue(value: str) -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(
            method="POST",
            target="/",
            headers=[("Host", "a"), ("Content-Length", "3"), ("Expect", value)],
        )
    )
    assert client.they_are_waiting_for_100_continue is False
    assert client.client_is_waiting_for_100_continue is True


# ---- Upgrade with no protocol -------------------------------------------------------------

NO_PROTOCOL = [[b""], [b" "], [b"\t"], [b","], [b" , "], [b",,"], [b"", b""]]


@pytest.mark.parametrize("values", NO_PROTOCOL)
def test_a_received_upgrade_with_no_protocol_cannot_be_accepted(values: list[bytes]) -> None:
    """RFC 9110 7.8 (``#protocol``), as h11: no proposal, so a 101 is our mistake."""
    server = h11.Connection(h11.SERVER)
    upgrade = b"".join(b"Upgrade:" + value + b"\r\n" for value in values)
    server.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n" + upgrade + b"\r\n")
    assert [type(e) for e in next_events(server)][:2] == [h11.Request, h11.EndOfMessage]
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.InformationalResponse(status_code=101, headers=[("Upgrade", "x")]))


@pytest.mark.parametrize("value", ["", ",", ", ,"])
def test_a_sent_upgrade_with_no_protocol_makes_a_101_an_error(value: str) -> None:
    client = client_done(headers=[("Host", "a"), ("Upgrade", value)])
    client.receive_data(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        client.next_event()


@pytest.mark.parametrize("values", [[b"websocket"], [b"", b"websocket"], [b", h2c"]])
def test_an_upgrade_naming_a_protocol_can_be_accepted(values: list[bytes]) -> None:
    server = h11.Connection(h11.SERVER)
    upgrade = b"".join(b"Upgrade:" + value + b"\r\n" for value in values)
    server.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n" + upgrade + b"\r\n")
    next_events(server)
    server.send(h11.InformationalResponse(status_code=101, headers=[("Upgrade", "x")]))
    assert server.our_state is h11.SWITCHED_PROTOCOL
