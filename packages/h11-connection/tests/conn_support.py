"""Small helpers shared by the connection tests (black-box use of ``h11`` only)."""

from __future__ import annotations

from typing import Any

import h11_connection as h11

MAX_EVENTS = 1000


def next_events(conn: h11.Connection) -> list[Any]:
    """Every event available now, ending with the NEED_DATA/PAUSED/ConnectionClosed reached."""
    out: list[Any] = []
    for _ in range(MAX_EVENTS):
        event = conn.next_event()
        out.append(event)
        if event is h11.NEED_DATA or event is h11.PAUSED or type(event) is h11.ConnectionClosed:
            return out
    raise AssertionError("no NEED_DATA/PAUSED within the event bound")


def receive(conn: h11.Connection, data: bytes) -> list[Any]:
    """Feed ``data`` and return the events it produces."""
    conn.receive_data(data)
    return next_events(conn)


def merge_data(events: list[Any]) -> list[Any]:
    """Join consecutive Data events (payload only), so splits do not matter."""
    out: list[Any] = []
    for event in events:
        if type(event) is h11.Data:
            if out and type(out[-1]) is h11.Data:
                out[-1] = h11.Data(data=bytes(out[-1].data) + bytes(event.data))
            else:
                out.append(h11.Data(data=bytes(event.data)))
        else:
            out.append(event)
    return out


def server_with(request_bytes: bytes) -> h11.Connection:
    """A server that has received ``request_bytes`` and consumed every event."""
    conn = h11.Connection(h11.SERVER)
    receive(conn, request_bytes)
    return conn


def client_done(**request: Any) -> h11.Connection:
    """A client that has sent a body-less request (default ``GET /``, Host: example)."""
    fields: dict[str, Any] = {"method": "GET", "target": "/", "headers": [("Host", "example")]}
    fields.update(request)
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(**fields))
    conn.send(h11.EndOfMessage())
    return conn


def states(conn: h11.Connection) -> tuple[Any, Any]:
    """(our_state, their_state)."""
    return conn.our_state, conn.their_state


GET_11 = b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"
GET_10 = b"GET / HTTP/1.0\r\n\r\n"
EOM = h11.EndOfMessage()
