"""The HTTP client libraries `python -m h11_testkit probe-client` knows by name.

Each entry makes a pooled client with the given timeout and returns ``(fetch, close,
label)``: `fetch(url, method="GET") -> (status, body)` (sync, or async for the async
libraries), `close` to release the pool, and the label the report shows (with the
library's version, and for httpx which h11 it runs on). Libraries are imported only
when asked for, so none of them is a dependency of the testkit.
"""

from __future__ import annotations

import importlib
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


def _http_client(timeout: float) -> Client:
    import http.client

    pool: dict[tuple[str, int], http.client.HTTPConnection] = {}

    def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        host, port, path = _urlparts(url)
        conn = pool.get((host, port))
        if conn is None:
            conn = pool[(host, port)] = http.client.HTTPConnection(host, port, timeout=timeout)
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


#: The client libraries `probe-client` knows by name: each gives (fetch, close, label).
CLIENTS: dict[str, Callable[[float], Client]] = {
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
