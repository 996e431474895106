"""pytest fixtures, registered through the `pytest11` entry point `h11_testkit.plugin`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from h11_testkit.pair import H11Pair
from h11_testkit.raw_client import RawClient
from h11_testkit.server import H11Server


@pytest.fixture
def h11_pair() -> H11Pair:
    """A fresh in-memory client/server pair of `h11.Connection`s."""
    return H11Pair()


@pytest.fixture
def h11_server() -> Iterator[H11Server]:
    """A running HTTP/1.1 server on 127.0.0.1, stopped (threads joined) after the test."""
    server = H11Server().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def h11_raw_client() -> Iterator[Callable[..., RawClient]]:
    """Factory `(host, port, *, timeout=5.0) -> RawClient`; every client is closed afterwards."""
    clients: list[RawClient] = []

    def make(host: str, port: int, *, timeout: float = 5.0) -> RawClient:
        client = RawClient(host, port, timeout=timeout)
        clients.append(client)
        return client

    try:
        yield make
    finally:
        for client in clients:
            client.close()
