"""Protocol errors on either side, send_failed(), and end-of-file handling."""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import (
    CHUNKED_REQUEST,
    DIFFERS,
    EOM,
    GET_10,
    GET_11,
    client_done,
    next_events,
    receive,
    rejected,
    server_with,
    states,
)

BAD_REQUEST = b"GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n"


def test_remote_error_puts_their_side_in_error() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(BAD_REQUEST)
    with pytest.raises(h11.RemoteProtocolError) as info:
        server.next_event()
    assert info.value.error_status_hint == 400
    assert str(info.value)
    assert states(server) == (h11.IDLE, h11.ERROR)


def test_next_event_after_remote_error_raises_again() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"garbage\r\n\r\n")
    for _ in range(3):
        with pytest.raises(h11.RemoteProtocolError):
            server.next_event()


def test_server_can_still_send_error_response_after_remote_error() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(BAD_REQUEST)
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()
    data = server.send(h11.Response(status_code=400, headers=[]))
    assert data == b"HTTP/1.1 400 \r\nConnection: close\r\n\r\n"
    assert server.send(EOM) == b""
    assert states(server) == (h11.MUST_CLOSE, h11.ERROR)


def test_error_response_with_content_length_after_remote_error() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"garbage\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()
    data = server.send(h11.Response(status_code=400, headers=[("Content-Length", "0")]))
    assert data == b"HTTP/1.1 400 \r\nContent-Length: 0\r\n\r\n"
    assert states(server) == (h11.SEND_BODY, h11.ERROR)


def test_remote_error_in_body_after_request() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    assert type(server.next_event()) is h11.Request
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()
    assert states(server) == (h11.SEND_RESPONSE, h11.ERROR)


def test_remote_error_disables_keep_alive_for_our_done_side() -> None:
    client = client_done()
    client.receive_data(b"HTTP/1.1 2OO OK\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        client.next_event()
    assert states(client) == (h11.MUST_CLOSE, h11.ERROR)


def test_local_error_puts_our_side_in_error() -> None:
    client = h11.Connection(h11.CLIENT)
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Response(status_code=200, headers=[]))
    assert states(client) == (h11.ERROR, h11.IDLE)


def test_send_after_local_error_raises_again() -> None:
    client = h11.Connection(h11.CLIENT)
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Data(data=b"x"))
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    assert client.our_state is h11.ERROR


def test_local_error_disables_keep_alive_for_peer() -> None:
    server = server_with(GET_11)
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.InformationalResponse(status_code=101, headers=[]))
    assert states(server) == (h11.ERROR, h11.MUST_CLOSE)


def test_send_failed_marks_our_side_error() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send_failed()
    assert states(client) == (h11.ERROR, h11.SEND_RESPONSE)
    with pytest.raises(h11.LocalProtocolError):
        client.send(EOM)


def test_send_failed_on_idle_connection() -> None:
    server = h11.Connection(h11.SERVER)
    server.send_failed()
    assert server.our_state is h11.ERROR


def test_eof_at_start_gives_connection_closed_repeatedly() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"")
    assert server.next_event() == h11.ConnectionClosed()
    assert server.next_event() == h11.ConnectionClosed()
    assert states(server) == (h11.MUST_CLOSE, h11.CLOSED)


def test_eof_after_complete_cycle_gives_connection_closed() -> None:
    client = client_done()
    receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    assert states(client) == (h11.DONE, h11.DONE)
    assert receive(client, b"") == [h11.ConnectionClosed()]
    assert states(client) == (h11.MUST_CLOSE, h11.CLOSED)


def test_eof_inside_head_is_remote_error() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"GET / HT")
    server.receive_data(b"")
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()
    assert server.their_state is h11.ERROR


def test_eof_inside_content_length_body_is_remote_error() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab")
    server.receive_data(b"")
    assert type(server.next_event()) is h11.Request
    assert server.next_event() == h11.Data(data=b"ab")
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()


def test_eof_inside_chunked_body_is_remote_error() -> None:
    client = client_done()
    client.receive_data(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
    client.receive_data(b"")
    with pytest.raises(h11.RemoteProtocolError):
        next_events(client)


def test_eof_ends_close_delimited_response() -> None:
    client = client_done()
    events = receive(client, b"HTTP/1.1 200 OK\r\n\r\nbody")
    assert events[:2] == [
        h11.Response(status_code=200, headers=[], reason="OK"),
        h11.Data(data=b"body"),
    ]
    assert events[2] is h11.NEED_DATA
    assert receive(client, b"") == [h11.EndOfMessage(), h11.ConnectionClosed()]
    assert states(client) == (h11.MUST_CLOSE, h11.CLOSED)


def test_close_delimited_response_means_must_close() -> None:
    client = client_done()
    receive(client, b"HTTP/1.1 200 OK\r\n\r\n")
    assert client.their_state is h11.SEND_BODY
    receive(client, b"")
    assert client.our_state is h11.MUST_CLOSE


def test_eof_from_http10_client_after_request() -> None:
    server = server_with(GET_10)
    server.receive_data(b"")
    assert server.next_event() == h11.ConnectionClosed()
    assert server.their_state is h11.CLOSED
    assert server.our_state is h11.SEND_RESPONSE


def test_receive_data_after_eof_is_runtime_error() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"")
    with pytest.raises(RuntimeError):
        server.receive_data(b"more")


def test_second_eof_is_harmless() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"")
    server.receive_data(b"")
    assert server.next_event() == h11.ConnectionClosed()


def test_eof_recorded_in_trailing_data() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"")
    assert server.trailing_data == (b"", True)


@DIFFERS
def test_a_request_send_refused_does_not_frame_the_next_response() -> None:
    # The CONNECT was refused (the first request is still in flight), so it was never
    # sent: the 200 answers the GET, with its body, and no switch happens.
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(EOM)
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method="CONNECT", target="a:443", headers=[("Host", "a")]))
    client.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
    events = next_events(client)
    assert [type(e) for e in events] == [h11.Response, h11.Data, h11.EndOfMessage, h11.NEED_DATA]
    assert events[1].data == b"hi"
    assert client.their_state is h11.MUST_CLOSE
    assert client.trailing_data == (b"", False)


# ---- end of file: what the error says, what a client may do --------------------------------


@pytest.mark.parametrize("cycles", [0, 1])
def test_client_that_sees_the_server_close_while_idle_must_close(cycles: int) -> None:
    client = h11.Connection(h11.CLIENT)
    for _ in range(cycles):
        client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
        client.send(h11.EndOfMessage())
        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
            client.receive_data(bytes([byte]))
        assert [type(e) for e in next_events(client)] == [
            h11.Response,
            h11.EndOfMessage,
            h11.NEED_DATA,
        ]
        client.start_next_cycle()
    assert client.states == {h11.CLIENT: h11.IDLE, h11.SERVER: h11.IDLE}
    client.receive_data(b"")
    assert type(client.next_event()) is h11.ConnectionClosed
    assert client.states == {h11.CLIENT: h11.MUST_CLOSE, h11.SERVER: h11.CLOSED}
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))


def test_truncated_body_error_names_both_figures() -> None:
    data = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nhello"
    for message in rejected(data, 400, eof=True):
        assert "received 5 bytes, expected 100" in message


def test_truncated_chunked_body_error_says_so() -> None:
    for message in rejected(CHUNKED_REQUEST + b"5\r\nhel", 400, eof=True):
        assert "incomplete chunked read" in message


def test_close_delimited_response_body_kept_verbatim() -> None:
    client = client_done()
    client.receive_data(b"HTTP/1.1 200 OK\r\n\r\n0\r\n\r\nanything")
    client.receive_data(b"")
    events = next_events(client)
    assert b"".join(bytes(e.data) for e in events if type(e) is h11.Data) == b"0\r\n\r\nanything"
