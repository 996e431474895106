"""The parts of h11's API that httpcore (httpx) and uvicorn call, checked by name.

They are called with keywords or imported from a private module, so a
drop-in h11 must match these names exactly; a mismatch here explains an
otherwise obscure failure of the httpx or uvicorn checks.
"""

from __future__ import annotations

import importlib
import inspect

import h11


def test_connection_takes_our_role_keyword() -> None:
    # httpcore: h11.Connection(our_role=h11.CLIENT, max_incomplete_event_size=...)
    conn = h11.Connection(our_role=h11.CLIENT, max_incomplete_event_size=100_000)
    assert conn.our_role is h11.CLIENT


def test_send_takes_event_keyword() -> None:
    # uvicorn: conn.send(event=h11.Response(...)), conn.send(event=h11.ConnectionClosed())
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    assert isinstance(conn.next_event(), h11.Request)
    data = conn.send(event=h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    assert data == b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"
    assert "event" in inspect.signature(h11.Connection.send).parameters


def test_private_default_max_incomplete_event_size() -> None:
    # uvicorn: from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
    module = importlib.import_module("h11._connection")
    assert vars(module)["DEFAULT_MAX_INCOMPLETE_EVENT_SIZE"] == 16 * 1024
