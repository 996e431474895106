"""Keep-alive (RFC 9112 9.3, 9.6): Connection: close from either side, HTTP/1.0 peers,
TE+CL messages, and no request read after a message that ends the connection."""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import (
    DIFFERS,
    EOM,
    GET_10,
    GET_11,
    SMUGGLED,
    client_done,
    first_message_events,
    receive,
    server_with,
    states,
)


def test_http11_exchange_keeps_connection_alive() -> None:
    server = server_with(GET_11)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(EOM)
    assert states(server) == (h11.DONE, h11.DONE)


@pytest.mark.parametrize("status", [204, 304])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_bodiless_response_with_both_framing_fields_keeps_the_connection(
    status: int, method: str
) -> None:
    """Sent as given (no body to frame) and the connection stays reusable, as in h11."""
    server = server_with(f"{method} / HTTP/1.1\r\nHost: a\r\n\r\n".encode())
    fields = [("Content-Length", "0"), ("Transfer-Encoding", "chunked")]
    head = server.send(h11.Response(status_code=status, headers=fields))
    assert head.endswith(b"Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n")
    server.send(EOM)
    assert states(server) == (h11.DONE, h11.DONE)


def test_request_with_connection_close_makes_client_must_close() -> None:
    server = server_with(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    assert states(server) == (h11.SEND_RESPONSE, h11.MUST_CLOSE)
    data = server.send(h11.Response(status_code=200, headers=[]))
    assert data == b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    server.send(EOM)
    assert states(server) == (h11.MUST_CLOSE, h11.MUST_CLOSE)


def test_client_sending_connection_close_must_close() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(method="GET", target="/", headers=[("Host", "a"), ("Connection", "close")])
    )
    client.send(EOM)
    assert states(client) == (h11.MUST_CLOSE, h11.SEND_RESPONSE)
    receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert states(client) == (h11.MUST_CLOSE, h11.MUST_CLOSE)


def test_server_sending_connection_close_must_close() -> None:
    server = server_with(GET_11)
    server.send(
        h11.Response(status_code=200, headers=[("Content-Length", "0"), ("Connection", "close")])
    )
    server.send(EOM)
    assert states(server) == (h11.MUST_CLOSE, h11.MUST_CLOSE)


def test_close_found_among_connection_options() -> None:
    server = server_with(GET_11)
    data = server.send(
        h11.Response(
            status_code=200, headers=[("Content-Length", "0"), ("Connection", "keep-alive, close")]
        )
    )
    assert data == b"HTTP/1.1 200 \r\nContent-Length: 0\r\nConnection: keep-alive, close\r\n\r\n"
    server.send(EOM)
    assert states(server) == (h11.MUST_CLOSE, h11.MUST_CLOSE)


def test_connection_close_is_case_insensitive() -> None:
    server = server_with(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n")
    assert server.their_state is h11.MUST_CLOSE


def test_response_with_connection_close_makes_server_must_close_for_client() -> None:
    client = client_done()
    receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    assert states(client) == (h11.MUST_CLOSE, h11.MUST_CLOSE)


def test_http10_client_is_must_close() -> None:
    server = server_with(GET_10)
    assert states(server) == (h11.SEND_RESPONSE, h11.MUST_CLOSE)


def test_http10_client_with_keep_alive_header_still_must_close() -> None:
    server = server_with(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    assert server.their_state is h11.MUST_CLOSE
    data = server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    assert data == b"HTTP/1.1 200 \r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def test_http10_server_response_means_must_close() -> None:
    client = client_done()
    receive(client, b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert states(client) == (h11.MUST_CLOSE, h11.MUST_CLOSE)


def test_must_close_side_can_only_close() -> None:
    server = server_with(GET_10)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(EOM)
    assert server.our_state is h11.MUST_CLOSE
    assert server.send(h11.ConnectionClosed()) is None
    assert server.our_state is h11.CLOSED


def test_must_close_cannot_start_next_cycle() -> None:
    server = server_with(GET_10)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(EOM)
    with pytest.raises(h11.LocalProtocolError):
        server.start_next_cycle()


@DIFFERS
def test_request_with_te_and_cl_forces_close() -> None:
    server = server_with(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        b"3\r\nabc\r\n0\r\n\r\n"
    )
    assert states(server) == (h11.SEND_RESPONSE, h11.MUST_CLOSE)


@DIFFERS
def test_response_after_te_and_cl_request_says_close() -> None:
    server = server_with(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        b"0\r\n\r\n"
    )
    data = server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    assert b"\r\nConnection: close\r\n" in data
    server.send(EOM)
    assert states(server) == (h11.MUST_CLOSE, h11.MUST_CLOSE)


@DIFFERS
def test_response_with_te_and_cl_forces_close_on_client() -> None:
    client = client_done()
    events = receive(
        client,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n"
        b"2\r\nok\r\n0\r\n\r\n",
    )
    assert events[1] == h11.Data(data=b"ok", chunk_start=True, chunk_end=True)
    assert type(events[2]) is h11.EndOfMessage
    assert states(client) == (h11.MUST_CLOSE, h11.MUST_CLOSE)


def test_te_and_cl_request_body_framed_by_chunked() -> None:
    server = h11.Connection(h11.SERVER)
    events = receive(
        server,
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n",
    )
    assert events[1] == h11.Data(data=b"hello", chunk_start=True, chunk_end=True)
    assert type(events[2]) is h11.EndOfMessage


def test_close_option_in_second_connection_field() -> None:
    server = server_with(
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nConnection: close\r\n\r\n"
    )
    assert server.their_state is h11.MUST_CLOSE


def test_close_option_in_list_any_case() -> None:
    client = client_done()
    receive(
        client, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive, Close\r\n\r\n"
    )
    assert client.their_state is h11.MUST_CLOSE


# ---- no request after a message that ends the connection -----------------------------------


@pytest.mark.parametrize(
    "first",
    [
        pytest.param(
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Length: 3\r\n\r\n0\r\n\r\n",
            id="te-and-cl",
            marks=DIFFERS,  # h11 keeps the connection alive after it
        ),
        pytest.param(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", id="close"),
        pytest.param(b"GET / HTTP/1.0\r\n\r\n", id="http10"),
    ],
)
@pytest.mark.parametrize("split", [False, True])
def test_no_request_after_a_message_that_ends_the_connection(first: bytes, split: bool) -> None:
    """The standalone RequestParser raises the very same error (h11-parser's
    test_keep_alive.py)."""
    server = h11.Connection(h11.SERVER)
    events = first_message_events(server, first + SMUGGLED, split=split)
    assert type(events[-1]) is h11.EndOfMessage
    assert server.their_state is h11.MUST_CLOSE
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(h11.EndOfMessage())
    with pytest.raises(h11.RemoteProtocolError, match="Got data when expecting EOF") as info:
        server.next_event()
    assert info.value.error_status_hint == 400
