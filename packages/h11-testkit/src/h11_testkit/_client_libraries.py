"""The HTTP client libraries `python -m h11_testkit probe-client` knows by name.

Each entry makes a pooled client with the given timeout and returns ``(fetch, close,
label)``: `fetch(url, method="GET") -> (status, body)` (sync, or async for the async
libraries), `close` to release the pool, and the label the report shows (with the
library's version, and for httpx which h11 it runs on). Libraries are imported only
when asked for, so none of them is a dependency of the testkit.
"""

from __future__ import annotations

import importlib
import select
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from h11_testkit.client_probe import Fetch


def _version(distribution: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def _h11_label() -> str:
    """Which h11 `import h11` gives: this project's, or PyPI's with its version."""
    try:
        h11 = importlib.import_module("h11")
    except ImportError:
        return "no h11"
    product = str(getattr(h11, "PRODUCT_ID", ""))
    if product.startswith("python-h11-connection/"):
        return "on this project's h11"
    return f"on PyPI h11 {_version('h11')}"


def _urlparts(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80, parts.path or "/"


Client = tuple[Fetch, Callable[[], Any] | None, str]


def _dropped(sock: socket.socket) -> bool:
    """Whether an idle pooled connection can no longer carry a request.

    Readable while idle means the server closed it, or sent bytes nobody asked for:
    either way it is done (the check urllib3 and httpcore make before reusing one).
    """
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _http_client(timeout: float) -> Client:
    """One `http.client.HTTPConnection` per host, reused while the responses allow it."""
    import http.client

    pool: dict[tuple[str, int], http.client.HTTPConnection] = {}

    def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        host, port, path = _urlparts(url)
        conn = pool.get((host, port))
        if conn is None:
            conn = pool[(host, port)] = http.client.HTTPConnection(host, port, timeout=timeout)
        elif conn.sock is not None and _dropped(conn.sock):
            conn.close()  # the next request opens a new connection
        try:
            conn.request(method, path)
            response = conn.getresponse()
            body = response.read()
        except Exception:
            conn.close()
            raise
        if response.will_close:
            conn.close()
        return response.status, body

    def close() -> None:
        for conn in pool.values():
            conn.close()

    return fetch, close, f"http.client (Python {_python()})"


def _python() -> str:
    import platform

    return platform.python_version()


def _urllib3(timeout: float) -> Client:
    urllib3 = importlib.import_module("urllib3")

    manager = urllib3.PoolManager(retries=False, timeout=timeout)

    def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        response = manager.request(method, url, redirect=False)
        return response.status, response.data

    return fetch, manager.clear, f"urllib3 {_version('urllib3')}"


def _requests(timeout: float) -> Client:
    requests = importlib.import_module("requests")

    session = requests.Session()

    def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        response = session.request(method, url, timeout=timeout, allow_redirects=False)
        return response.status_code, response.content

    return fetch, session.close, f"requests {_version('requests')}"


def _httpx(timeout: float) -> Client:
    httpx = importlib.import_module("httpx")

    client = httpx.Client(timeout=timeout)

    def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        response = client.request(method, url)
        return response.status_code, response.content

    return fetch, client.close, f"httpx {_version('httpx')} {_h11_label()}"


def _httpx_async(timeout: float) -> Client:
    httpx = importlib.import_module("httpx")

    holder: list[Any] = []

    async def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        if not holder:
            holder.append(httpx.AsyncClient(timeout=timeout))
        response = await holder[0].request(method, url)
        return response.status_code, response.content

    async def close() -> None:
        if holder:
            await holder[0].aclose()

    return fetch, close, f"httpx {_version('httpx')} async {_h11_label()}"


def _aiohttp(timeout: float) -> Client:
    aiohttp = importlib.import_module("aiohttp")

    holder: list[Any] = []

    async def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        if not holder:
            holder.append(aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)))
        async with holder[0].request(method, url, allow_redirects=False) as response:
            return response.status, await response.read()

    async def close() -> None:
        if holder:
            await holder[0].close()

    return fetch, close, f"aiohttp {_version('aiohttp')}"


def _h11_connection(timeout: float) -> Client:
    """A small pooled client on this project's Connection, written as its docs advise.

    It keeps a connection only when both sides are DONE and nothing arrived beyond the
    response (`trailing_data` empty): bytes no request asked for end the connection.
    """
    import h11_connection as h11

    pool: dict[tuple[str, int], tuple[socket.socket, h11.Connection]] = {}

    def drop(key: tuple[str, int]) -> None:
        entry = pool.pop(key, None)
        if entry is not None:
            entry[0].close()

    def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        host, port, path = _urlparts(url)
        key = (host, port)
        if key in pool and _dropped(pool[key][0]):
            drop(key)
        if key not in pool:
            sock = socket.create_connection(key, timeout=timeout)
            pool[key] = (sock, h11.Connection(h11.CLIENT))
        sock, conn = pool[key]
        deadline = time.monotonic() + timeout
        try:
            request = h11.Request(method=method, target=path, headers=[("Host", host)])
            sock.sendall(conn.send(request) + conn.send(h11.EndOfMessage()))
            status, body = 0, bytearray()
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    sock.settimeout(max(deadline - time.monotonic(), 0.001))
                    conn.receive_data(sock.recv(65536))
                elif isinstance(event, h11.Response):
                    status = event.status_code
                elif isinstance(event, h11.Data):
                    body += event.data
                elif isinstance(event, h11.EndOfMessage):
                    break
                elif event is h11.PAUSED or isinstance(event, h11.ConnectionClosed):
                    raise h11.RemoteProtocolError(f"no response, got {event!r}")
        except BaseException:
            drop(key)
            raise
        if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
            conn.start_next_cycle()
            if conn.trailing_data[0]:
                drop(key)  # bytes nobody asked for: this connection's framing is lost
        else:
            drop(key)
        return status, bytes(body)

    def close() -> None:
        for key in list(pool):
            drop(key)

    return fetch, close, "h11_connection (this project)"


#: The client libraries `probe-client` knows by name: each gives (fetch, close, label).
CLIENTS: dict[str, Callable[[float], Client]] = {
    "h11_connection": _h11_connection,
    "http.client": _http_client,
    "urllib3": _urllib3,
    "requests": _requests,
    "httpx": _httpx,
    "httpx-async": _httpx_async,
    "aiohttp": _aiohttp,
}


def load_client(spec: str, timeout: float) -> Client:
    """A known client library by name, or ``module:function`` naming your fetch.

    :raises ValueError: an unknown name, or a library or function that is not there.
    """
    if spec in CLIENTS:
        try:
            return CLIENTS[spec](timeout)
        except ImportError as exc:
            raise ValueError(f"{spec} is not installed here ({exc})") from None
    if ":" not in spec:
        known = ", ".join(CLIENTS)
        raise ValueError(f"unknown client {spec!r}: one of {known}, or module:function")
    module_name, _, attribute = spec.partition(":")
    try:
        target: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot load {spec}: {exc}") from None
    if not callable(target):
        raise ValueError(f"{spec} is not callable")
    return target, None, spec
