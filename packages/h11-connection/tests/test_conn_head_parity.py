"""A head moves the connection the same way whether it is sent or received.

One client sends each head, one server receives its bytes (and the other way round
for responses); both ends must then agree on everything the head decides: both
states (switch proposals, keep-alive), the 100-continue wait, and after the
message, where each role stands. A path that stopped applying one of these rules
would make the two ends disagree here.
"""

from __future__ import annotations

from typing import Any

import h11_connection as h11
import pytest
from conn_support import next_events

HOST = ("Host", "example.com")

#: (name, request fields, body) for requests whose body the client sends.
REQUESTS: list[tuple[str, dict[str, Any], bytes]] = [
    ("plain GET", {"method": "GET", "target": "/", "headers": [HOST]}, b""),
    ("POST", {"method": "POST", "target": "/", "headers": [HOST, ("Content-Length", "3")]}, b"abc"),
    (
        "expect",
        {
            "method": "POST",
            "target": "/",
            "headers": [HOST, ("Content-Length", "3"), ("Expect", "100-continue")],
        },
        b"abc",
    ),
    (
        "upgrade",
        {
            "method": "GET",
            "target": "/",
            "headers": [HOST, ("Upgrade", "websocket"), ("Connection", "upgrade")],
        },
        b"",
    ),
    (
        "connect",
        {"method": "CONNECT", "target": "example.com:443", "headers": [("Host", "example.com")]},
        b"",
    ),
    ("close", {"method": "GET", "target": "/", "headers": [HOST, ("Connection", "close")]}, b""),
    (
        "chunked expect upgrade close",
        {
            "method": "POST",
            "target": "/",
            "headers": [
                HOST,
                ("Transfer-Encoding", "chunked"),
                ("Expect", "100-continue"),
                ("Upgrade", "h2c"),
                ("Connection", "upgrade, close"),
            ],
        },
        b"xy",
    ),
]


def view(conn: h11.Connection) -> tuple[Any, ...]:
    """What a head decides, as both ends can tell it."""
    return (conn.states, conn.client_is_waiting_for_100_continue)


def sent_and_received(request: dict[str, Any]) -> tuple[h11.Connection, h11.Connection]:
    """A client that sent the request head, a server that received its bytes."""
    client = h11.Connection(h11.CLIENT)
    server = h11.Connection(h11.SERVER)
    server.receive_data(client.send(h11.Request(**request)))
    assert type(server.next_event()) is h11.Request
    return client, server


@pytest.mark.parametrize(
    ("request_fields", "body"), [pytest.param(f, b, id=name) for name, f, b in REQUESTS]
)
def test_a_request_head_moves_both_ends_alike(request_fields: dict[str, Any], body: bytes) -> None:
    client, server = sent_and_received(request_fields)
    assert view(client) == view(server)
    assert server.their_http_version == b"1.1"
    assert client.their_http_version is None  # nothing received yet
    wire = b""
    if body:
        wire += client.send(h11.Data(data=body))
    wire += client.send(h11.EndOfMessage())
    if wire:  # b"" would say the client closed
        server.receive_data(wire)
    next_events(server)
    assert view(client) == view(server)


#: (name, request the response answers, response event, body) for responses.
RESPONSES: list[tuple[str, str, Any, bytes]] = [
    ("100 continue", "expect", h11.InformationalResponse(status_code=100, headers=[]), b""),
    ("103 hints", "expect", h11.InformationalResponse(status_code=103, headers=[]), b""),
    (
        "101 switch",
        "upgrade",
        h11.InformationalResponse(status_code=101, headers=[("Upgrade", "websocket")]),
        b"",
    ),
    ("200 to CONNECT", "connect", h11.Response(status_code=200, headers=[]), b""),
    (
        "2xx to CONNECT with a length and close",
        "connect",
        h11.Response(status_code=299, headers=[("Content-Length", "5"), ("Connection", "close")]),
        b"",
    ),
    (
        "407 to CONNECT",
        "connect",
        h11.Response(status_code=407, headers=[("Content-Length", "2")]),
        b"no",
    ),
    ("refused upgrade", "upgrade", h11.Response(status_code=200, headers=[]), b"ok"),
    ("final answer to expect", "expect", h11.Response(status_code=417, headers=[]), b""),
    (
        "close",
        "plain GET",
        h11.Response(status_code=200, headers=[("Connection", "close")]),
        b"x",
    ),
    ("204", "plain GET", h11.Response(status_code=204, headers=[]), b""),
    ("to a closing request", "close", h11.Response(status_code=200, headers=[]), b"x"),
]


@pytest.mark.parametrize(
    ("answered", "response", "body"),
    [pytest.param(a, r, b, id=name) for name, a, r, b in RESPONSES],
)
def test_a_response_head_moves_both_ends_alike(answered: str, response: Any, body: bytes) -> None:
    request = next(fields for req_name, fields, _ in REQUESTS if req_name == answered)
    client, server = sent_and_received(request)
    if answered != "expect":  # the expecting client waits for the answer before its body
        client.send(h11.EndOfMessage())
        next_events(server)
    client.receive_data(server.send(response))
    # Only the head: a bodiless response's end is implied for the receiver at once.
    assert type(client.next_event()) is type(response)
    assert view(client) == view(server)
    assert client.their_http_version == b"1.1"
    if server.our_state is h11.SEND_BODY:
        wire = server.send(h11.Data(data=body)) if body else b""
        wire += server.send(h11.EndOfMessage())
        if wire:
            client.receive_data(wire)
        next_events(client)
        assert view(client) == view(server)
