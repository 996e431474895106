"""Fixtures: the example server and proxy, and uvicorn, each started as a subprocess."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from interop_support import EXAMPLES, INTEROP, Spawned, require_module


@pytest.fixture
def example_server() -> Iterator[str]:
    """The example asyncio server, started through its command line."""
    server = Spawned(
        [sys.executable, str(EXAMPLES / "asyncio_server.py"), "--host", "127.0.0.1", "--port", "0"]
    )
    yield server.url
    assert server.stop() == 0, "the example server did not exit cleanly on SIGTERM"
    assert "Traceback" not in server.stderr_text(), server.stderr_text()


@pytest.fixture
def example_proxy() -> Iterator[str]:
    proxy = Spawned(
        [sys.executable, str(EXAMPLES / "proxy.py"), "--host", "127.0.0.1", "--port", "0"]
    )
    yield proxy.url
    assert proxy.stop() == 0, "the example proxy did not exit cleanly on SIGTERM"
    assert "Traceback" not in proxy.stderr_text(), proxy.stderr_text()


@pytest.fixture
def uvicorn_server() -> Iterator[str]:
    require_module("uvicorn", "the pip package 'uvicorn'")
    # Importing it here shows a real import error (e.g. from h11) in the test itself.
    import uvicorn.protocols.http.h11_impl  # noqa: F401

    server = Spawned([sys.executable, str(INTEROP / "uvicorn_app.py")])
    yield server.url
    server.stop()
