"""Protocol switches: Upgrade + 101, CONNECT + 2xx, and refused switches."""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import EOM, client_done, next_events, receive, server_with, states

UPGRADE_REQ = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
CONNECT_REQ = b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"


def upgrade_client() -> h11.Connection:
    """A client that has sent a complete Upgrade request."""
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(
            method="GET",
            target="/",
            headers=[("Host", "a"), ("Upgrade", "websocket"), ("Connection", "Upgrade")],
        )
    )
    return client


def connect_client() -> h11.Connection:
    """A client that has sent a CONNECT request head."""
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(
            method="CONNECT", target="example.com:443", headers=[("Host", "example.com:443")]
        )
    )
    return client


def test_upgrade_request_puts_client_in_might_switch() -> None:
    client = upgrade_client()
    assert states(client) == (h11.SEND_BODY, h11.SEND_RESPONSE)
    client.send(EOM)
    assert states(client) == (h11.MIGHT_SWITCH_PROTOCOL, h11.SEND_RESPONSE)


def test_client_101_switches_and_pauses_with_trailing_bytes() -> None:
    client = upgrade_client()
    client.send(EOM)
    events = receive(client, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nRAW")
    assert events[0] == h11.InformationalResponse(
        status_code=101, headers=[("Upgrade", "websocket")], reason="Switching Protocols"
    )
    assert events[1] is h11.PAUSED
    assert states(client) == (h11.SWITCHED_PROTOCOL, h11.SWITCHED_PROTOCOL)
    assert client.trailing_data == (b"RAW", False)


def test_switched_connection_stays_paused_and_buffers() -> None:
    client = upgrade_client()
    client.send(EOM)
    receive(client, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
    client.receive_data(b"frame")
    assert client.next_event() is h11.PAUSED
    assert client.trailing_data == (b"frame", False)


def test_sending_after_switch_is_local_error() -> None:
    client = upgrade_client()
    client.send(EOM)
    receive(client, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Data(data=b"x"))


def test_client_refused_upgrade_returns_to_normal() -> None:
    client = upgrade_client()
    client.send(EOM)
    events = receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    assert events[1] == h11.Data(data=b"ok")
    assert states(client) == (h11.DONE, h11.DONE)
    client.start_next_cycle()
    assert states(client) == (h11.IDLE, h11.IDLE)


def test_upgrade_request_with_body_switches_after_body() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(
            method="POST",
            target="/",
            headers=[("Host", "a"), ("Upgrade", "x"), ("Content-Length", "2")],
        )
    )
    client.send(h11.Data(data=b"ab"))
    assert client.our_state is h11.SEND_BODY
    client.send(EOM)
    assert client.our_state is h11.MIGHT_SWITCH_PROTOCOL


def test_server_sees_upgrade_request_then_pauses() -> None:
    server = h11.Connection(h11.SERVER)
    events = receive(server, UPGRADE_REQ + b"RAW")
    assert [type(e) for e in events] == [h11.Request, h11.EndOfMessage, type(h11.PAUSED)]
    assert states(server) == (h11.SEND_RESPONSE, h11.MIGHT_SWITCH_PROTOCOL)
    assert server.trailing_data == (b"RAW", False)


def test_server_accepts_upgrade_with_101() -> None:
    server = server_with(UPGRADE_REQ + b"RAW")
    data = server.send(
        h11.InformationalResponse(status_code=101, headers=[("Upgrade", "websocket")])
    )
    assert data == b"HTTP/1.1 101 \r\nUpgrade: websocket\r\n\r\n"
    assert states(server) == (h11.SWITCHED_PROTOCOL, h11.SWITCHED_PROTOCOL)
    assert server.next_event() is h11.PAUSED
    assert server.trailing_data == (b"RAW", False)


def test_server_refuses_upgrade_and_continues_http() -> None:
    server = server_with(UPGRADE_REQ + b"GET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    assert states(server) == (h11.SEND_BODY, h11.DONE)
    server.send(EOM)
    assert states(server) == (h11.DONE, h11.DONE)
    server.start_next_cycle()
    assert server.next_event() == h11.Request(method="GET", target="/2", headers=[("Host", "a")])


def test_server_101_without_upgrade_request_is_local_error() -> None:
    server = server_with(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.InformationalResponse(status_code=101, headers=[]))
    assert server.our_state is h11.ERROR


def test_connect_puts_client_in_might_switch() -> None:
    client = connect_client()
    client.send(EOM)
    assert states(client) == (h11.MIGHT_SWITCH_PROTOCOL, h11.SEND_RESPONSE)


def test_client_connect_2xx_switches_without_body() -> None:
    client = connect_client()
    client.send(EOM)
    events = receive(client, b"HTTP/1.1 200 OK\r\n\r\nTUNNEL")
    assert events == [h11.Response(status_code=200, headers=[], reason="OK"), h11.PAUSED]
    assert states(client) == (h11.SWITCHED_PROTOCOL, h11.SWITCHED_PROTOCOL)
    assert client.trailing_data == (b"TUNNEL", False)


def test_client_connect_refused_returns_to_normal() -> None:
    client = connect_client()
    client.send(EOM)
    events = receive(client, b"HTTP/1.1 407 Proxy Auth\r\nContent-Length: 0\r\n\r\n")
    assert [type(e) for e in events] == [h11.Response, h11.EndOfMessage, type(h11.NEED_DATA)]
    assert states(client) == (h11.DONE, h11.DONE)


def test_server_accepts_connect_with_200() -> None:
    server = h11.Connection(h11.SERVER)
    events = receive(server, CONNECT_REQ + b"TLS")
    assert events[-1] is h11.PAUSED
    assert states(server) == (h11.SEND_RESPONSE, h11.MIGHT_SWITCH_PROTOCOL)
    data = server.send(h11.Response(status_code=200, headers=[]))
    assert data == b"HTTP/1.1 200 \r\n\r\n"
    assert states(server) == (h11.SWITCHED_PROTOCOL, h11.SWITCHED_PROTOCOL)
    assert server.trailing_data == (b"TLS", False)


def test_server_refuses_connect() -> None:
    server = server_with(CONNECT_REQ)
    data = server.send(h11.Response(status_code=403, headers=[("Content-Length", "0")]))
    assert data == b"HTTP/1.1 403 \r\nContent-Length: 0\r\n\r\n"
    server.send(EOM)
    assert states(server) == (h11.DONE, h11.DONE)


def test_unsolicited_101_is_remote_error() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(EOM)
    client.receive_data(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        client.next_event()
    assert client.their_state is h11.ERROR


def test_connect_2xx_with_content_length_still_switches_at_head() -> None:
    client = connect_client()
    client.send(EOM)
    events = receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    assert [type(e) for e in events] == [h11.Response, type(h11.PAUSED)]
    assert client.trailing_data == (b"hello", False)
    assert states(client) == (h11.SWITCHED_PROTOCOL, h11.SWITCHED_PROTOCOL)


def test_informational_before_101_then_switch() -> None:
    client = upgrade_client()
    client.send(EOM)
    events = receive(
        client,
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    )
    assert [e.status_code for e in events[:2]] == [100, 101]
    assert events[2] is h11.PAUSED
    assert states(client) == (h11.SWITCHED_PROTOCOL, h11.SWITCHED_PROTOCOL)


# ---- Upgrade naming no protocol (RFC 9110 7.8) ---------------------------------------------


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
