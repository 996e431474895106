"""Raw-socket helpers: send exact bytes, read until the server closes (bounded)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

TIMEOUT = 5.0


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return parts.hostname, parts.port


def exchange(url: str, data: bytes, *, max_reads: int = 1000) -> bytes:
    """Send ``data``, then read until EOF; the server must close within TIMEOUT."""
    with socket.create_connection(address(url), timeout=TIMEOUT) as sock:
        sock.sendall(data)
        received = b""
        for _ in range(max_reads):
            piece = sock.recv(65536)
            if not piece:
                return received
            received += piece
    raise AssertionError("the server sent too much without closing")


def split_head(response: bytes) -> tuple[str, dict[str, str], bytes]:
    """Status line, headers (lower-cased names) and the rest of the first response."""
    head, sep, body = response.partition(b"\r\n\r\n")
    assert sep, f"no complete head in {response!r}"
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers, body
