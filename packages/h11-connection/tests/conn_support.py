"""Small helpers shared by the connection tests (black-box use of ``h11`` only).

``next_events`` and ``merge_data`` are the testkit's (``event_lists``, imported from the
source tree: see the root conftest), so these tests also run where PyPI h11 is ``h11``.
"""

from __future__ import annotations

import functools
from typing import Any

import event_lists
import h11_connection as h11

__all__ = [
    "EOM",
    "GET_10",
    "GET_11",
    "client_done",
    "merge_data",
    "next_events",
    "receive",
    "server_with",
    "states",
    "verdict",
]

#: Bound on the events a test loop takes from one input.
MAX_EVENTS = 1000

#: Every event available now, ending with the NEED_DATA/PAUSED/ConnectionClosed reached.
next_events = functools.partial(event_lists.drain, h11=h11)
#: Adjacent Data events joined, so how the bytes were split does not matter.
merge_data = functools.partial(event_lists.merge_data, h11=h11)


def receive(conn: h11.Connection, data: bytes) -> list[Any]:
    """Feed ``data`` and return the events it produces."""
    conn.receive_data(data)
    return next_events(conn)


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


def verdict(
    data: bytes, pieces: list[bytes], role: Any, limit: int, max_events: int = MAX_EVENTS
) -> tuple[list[Any], Any]:
    """(event types, error status or None) of ``pieces`` (the reads of ``data``) then
    EOF, reaching a fresh ``role`` Connection (a CLIENT sends a GET first) with
    ``max_incomplete_event_size=limit``; at most ``max_events`` events per read."""
    conn = h11.Connection(role, max_incomplete_event_size=limit)
    if role is h11.CLIENT:
        conn.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
        conn.send(h11.EndOfMessage())
    kinds: list[Any] = []
    try:
        for piece in [*pieces, b""]:
            conn.receive_data(piece)
            for _ in range(max_events):
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    break
                kinds.append(type(event))
                if event is h11.PAUSED or type(event) is h11.ConnectionClosed:
                    return kinds, None
    except h11.RemoteProtocolError as exc:
        return kinds, exc.error_status_hint
    return kinds, None
