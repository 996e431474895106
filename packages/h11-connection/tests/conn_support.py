"""Small helpers shared by the connection tests (black-box use of ``h11`` only).

``next_events`` and ``merge_data`` are the testkit's (``event_lists``, imported from the
source tree: see the root conftest), so these tests also run where PyPI h11 is ``h11``.
"""

from __future__ import annotations

import functools
from typing import Any

import event_lists
import h11_connection as h11
import pytest

__all__ = [
    "CHUNKED_REQUEST",
    "CHUNKED_RESPONSE",
    "EOM",
    "GET_10",
    "GET_11",
    "SMUGGLED",
    "SPLITS",
    "DIFFERS",
    "client_done",
    "first_message_events",
    "merge_data",
    "next_events",
    "one_by_one",
    "one_read_and_byte_by_byte",
    "receive",
    "receive_all",
    "rejected",
    "server_with",
    "states",
    "verdict",
]

#: The mark of a check that fails on PyPI h11 0.16 (a deliberate difference: conftest.py).
DIFFERS = pytest.mark.differs_from_h11

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
#: A POST head with a chunked body to follow, and a response head with one.
CHUNKED_REQUEST = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
CHUNKED_RESPONSE = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
#: A request a peer hides behind a message that should have ended the connection.
SMUGGLED = b"GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"
GET_10 = b"GET / HTTP/1.0\r\n\r\n"
EOM = h11.EndOfMessage()


def verdict(
    pieces: list[bytes], role: Any, limit: int, max_events: int = MAX_EVENTS
) -> tuple[list[Any], Any]:
    """(event types, error status or None) of the reads ``pieces`` then EOF, reaching a
    fresh ``role`` Connection (a CLIENT sends a GET first) with
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


def one_by_one(data: bytes) -> list[bytes]:
    """``data`` as one read per byte."""
    return [data[i : i + 1] for i in range(len(data))]


def one_read_and_byte_by_byte(data: bytes, role: Any, limit: int) -> list[tuple[list[Any], Any]]:
    """The verdicts of ``data`` in one read and byte by byte."""
    return [verdict([data], role, limit), verdict(one_by_one(data), role, limit)]


def first_message_events(
    conn: h11.Connection, data: bytes, *, split: bool, eof: bool = False
) -> list[Any]:
    """Feed ``data`` (whole or byte by byte, then EOF if asked); every event, Data merged.

    Stops reading events at PAUSED/ConnectionClosed or at the end of the first message (a
    server must answer it before reading on), but feeds every piece; a RemoteProtocolError
    propagates.
    """
    pieces = one_by_one(data) if split else [data]
    if eof:
        pieces.append(b"")
    events: list[Any] = []
    stopped = False
    for piece in pieces:
        conn.receive_data(piece)
        while not stopped:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                break
            events.append(event)
            stopped = event is h11.PAUSED or type(event) in (h11.ConnectionClosed, h11.EndOfMessage)
    return merge_data(events)


def rejected(data: bytes, status: int, *, role: Any = h11.SERVER, eof: bool = False) -> list[str]:
    """Both read patterns (whole, byte by byte) of ``data`` and of what follows its first
    message raise RemoteProtocolError with ``status`` and leave the peer in ERROR; their
    messages. A CLIENT sends a GET first."""
    messages = []
    for split in (False, True):
        conn = h11.Connection(role)
        if role is h11.CLIENT:
            conn.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
            conn.send(h11.EndOfMessage())
        with pytest.raises(h11.RemoteProtocolError) as info:
            _read_past_the_first_message(conn, data, split=split, eof=eof)
        assert info.value.error_status_hint == status, str(info.value)
        assert conn.their_state is h11.ERROR
        messages.append(str(info.value))
    return messages


def _read_past_the_first_message(
    conn: h11.Connection, data: bytes, *, split: bool, eof: bool
) -> None:
    """Feed ``data``, then ask for what follows its first message."""
    first_message_events(conn, data, split=split, eof=eof)
    conn.next_event()


#: Run a test with the bytes in one read and byte by byte.
SPLITS = pytest.mark.parametrize("split", [False, True], ids=["whole", "bytes"])


def receive_all(conn: h11.Connection, data: bytes, *, split: bool) -> list[Any]:
    """Every event ``data`` gives (NEED_DATA dropped), fed whole or byte by byte."""
    events: list[Any] = []
    for piece in one_by_one(data) if split else [data]:
        conn.receive_data(piece)
        events += [e for e in next_events(conn) if e is not h11.NEED_DATA]
    return events
