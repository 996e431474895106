"""Fixtures that run the example servers on loopback in a background event loop."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(EXAMPLES))

import asyncio_server  # noqa: E402
import proxy  # noqa: E402


class LoopThread:
    """An asyncio loop in a thread, so blocking clients can run in the test."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 10.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def loop_thread() -> Iterator[LoopThread]:
    runner = LoopThread()
    yield runner
    runner.close()


ServerFactory = Callable[..., tuple[str, asyncio_server.ExampleServer]]


@pytest.fixture
def start_server(loop_thread: LoopThread) -> Iterator[ServerFactory]:
    """Start ExampleServers (with any options) on free ports; stop them afterwards."""
    started: list[tuple[asyncio.Server, asyncio_server.ExampleServer]] = []

    def start(**options: Any) -> tuple[str, asyncio_server.ExampleServer]:
        app = asyncio_server.ExampleServer(**options)
        server = loop_thread.run(app.start("127.0.0.1", 0))
        started.append((server, app))
        host, port = asyncio_server.bound_address(server)
        return f"http://{host}:{port}", app

    yield start

    async def stop() -> None:
        for server, app in started:
            server.close()
            await app.close_connections()
            await server.wait_closed()

    loop_thread.run(stop())


@pytest.fixture
def server(start_server: ServerFactory) -> tuple[str, asyncio_server.ExampleServer]:
    return start_server()


@pytest.fixture
def base_url(server: tuple[str, asyncio_server.ExampleServer]) -> str:
    return server[0]


@pytest.fixture
def proxy_url(loop_thread: LoopThread) -> Iterator[str]:
    app = proxy.ProxyServer(timeout=5.0)
    server = loop_thread.run(app.start("127.0.0.1", 0))
    yield proxy.url_for(server)

    async def stop() -> None:
        server.close()
        await app.close_connections()
        await server.wait_closed()

    loop_thread.run(stop())
