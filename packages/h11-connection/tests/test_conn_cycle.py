"""start_next_cycle, pipelining (PAUSED while a request is buffered) and trailing_data."""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import EOM, GET_11, client_done, next_events, receive, server_with, states


def finish_response(server: h11.Connection) -> None:
    """Send an empty 200 response."""
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(EOM)


def test_start_next_cycle_from_done_done_resets_to_idle() -> None:
    server = server_with(GET_11)
    finish_response(server)
    server.start_next_cycle()
    assert states(server) == (h11.IDLE, h11.IDLE)
    assert receive(server, GET_11)[0] == h11.Request(
        method="GET", target="/", headers=[("Host", "example")]
    )


def test_client_start_next_cycle() -> None:
    client = client_done()
    receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    client.start_next_cycle()
    assert states(client) == (h11.IDLE, h11.IDLE)
    client.send(h11.Request(method="GET", target="/2", headers=[("Host", "a")]))
    assert client.our_state is h11.SEND_BODY


def test_start_next_cycle_when_idle_is_local_error() -> None:
    with pytest.raises(h11.LocalProtocolError):
        h11.Connection(h11.SERVER).start_next_cycle()


def test_start_next_cycle_when_only_one_side_done_is_local_error() -> None:
    server = server_with(GET_11)
    with pytest.raises(h11.LocalProtocolError):
        server.start_next_cycle()
    client = client_done()
    with pytest.raises(h11.LocalProtocolError):
        client.start_next_cycle()


def test_start_next_cycle_mid_body_is_local_error() -> None:
    server = server_with(GET_11)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "1")]))
    with pytest.raises(h11.LocalProtocolError):
        server.start_next_cycle()


def test_failed_start_next_cycle_leaves_states_alone() -> None:
    server = server_with(GET_11)
    with pytest.raises(h11.LocalProtocolError):
        server.start_next_cycle()
    assert states(server) == (h11.SEND_RESPONSE, h11.DONE)


def test_pipelined_request_is_paused_until_next_cycle() -> None:
    server = h11.Connection(h11.SERVER)
    events = receive(server, GET_11 + b"GET /2 HTTP/1.1\r\nHost: b\r\n\r\n")
    assert [type(e) for e in events] == [h11.Request, h11.EndOfMessage, type(h11.PAUSED)]
    assert server.next_event() is h11.PAUSED
    assert server.trailing_data == (b"GET /2 HTTP/1.1\r\nHost: b\r\n\r\n", False)
    finish_response(server)
    assert server.next_event() is h11.PAUSED
    server.start_next_cycle()
    events = next_events(server)
    assert events[0] == h11.Request(method="GET", target="/2", headers=[("Host", "b")])
    assert type(events[1]) is h11.EndOfMessage
    assert events[2] is h11.NEED_DATA
    assert server.trailing_data == (b"", False)


def test_bytes_after_complete_request_pause_even_if_not_a_request_yet() -> None:
    server = h11.Connection(h11.SERVER)
    events = receive(server, GET_11 + b"GE")
    assert events[-1] is h11.PAUSED
    assert server.trailing_data == (b"GE", False)


def test_data_received_while_paused_is_kept() -> None:
    server = server_with(GET_11 + b"GET /2 HTTP/1.1\r\n")
    server.receive_data(b"Host: b\r\n\r\n")
    assert server.next_event() is h11.PAUSED
    assert server.trailing_data == (b"GET /2 HTTP/1.1\r\nHost: b\r\n\r\n", False)


def test_trailing_data_reports_eof() -> None:
    server = server_with(GET_11 + b"XYZ")
    server.receive_data(b"")
    assert server.trailing_data == (b"XYZ", True)


def test_trailing_data_holds_unprocessed_bytes() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"GET / HTTP/1.1\r\n")
    assert server.trailing_data == (b"GET / HTTP/1.1\r\n", False)
    server.receive_data(b"Host: a\r\n\r\n")
    assert type(server.next_event()) is h11.Request
    assert server.trailing_data == (b"", False)


def test_pipelined_eof_after_second_request() -> None:
    server = h11.Connection(h11.SERVER)
    receive(server, GET_11 + GET_11)
    server.receive_data(b"")
    finish_response(server)
    server.start_next_cycle()
    events = next_events(server)
    assert [type(e) for e in events] == [h11.Request, h11.EndOfMessage, h11.ConnectionClosed]


def test_three_cycles_on_one_connection() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(GET_11 * 3)
    for _ in range(3):
        events = next_events(server)
        assert [type(e) for e in events[:2]] == [h11.Request, h11.EndOfMessage]
        finish_response(server)
        server.start_next_cycle()
    assert server.next_event() is h11.NEED_DATA
