"""The example client against other servers: http.server (HTTP/1.0 and 1.1) and uvicorn."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import client
import h11
import pytest
from interop_support import require_module

TIMEOUT = 10.0


class _StdlibHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._reply(json.dumps({"path": self.path, "version": self.request_version}).encode())

    def do_POST(self) -> None:
        self._reply(self.rfile.read(int(self.headers["Content-Length"])))

    def _reply(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(params=["HTTP/1.0", "HTTP/1.1"])
def stdlib_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """http.server's ThreadingHTTPServer in a thread, speaking the given version."""
    handler = type("Handler", (_StdlibHandler,), {"protocol_version": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", request.param
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_example_client_vs_stdlib_http_server(stdlib_server: tuple[str, str]) -> None:
    url, version = stdlib_server
    with client.HTTPClient(TIMEOUT) as http_client:
        got = http_client.request("GET", url + "/x?y=1")
        posted = http_client.request("POST", url + "/p", [], b"body " * 100)
        head = http_client.request("HEAD", url + "/")
        opened = http_client.connections_opened
    assert got.status == 200
    assert got.http_version == version[len("HTTP/") :]
    assert json.loads(got.body) == {"path": "/x?y=1", "version": "HTTP/1.1"}
    assert posted.body == b"body " * 100
    assert head.body == b""
    # HTTP/1.0 servers close after every response; HTTP/1.1 ones keep the connection.
    assert opened == (3 if version == "HTTP/1.0" else 1)


def test_uvicorn_runs_on_the_installed_h11() -> None:
    require_module("uvicorn", "the pip package 'uvicorn'")
    import uvicorn.protocols.http.h11_impl as h11_impl

    assert vars(h11_impl)["h11"] is h11


def test_example_client_vs_uvicorn(uvicorn_server: str) -> None:
    def upload() -> Iterator[bytes]:
        yield from (b"to ", b"uvicorn ", b"in chunks")

    with client.HTTPClient(TIMEOUT) as http_client:
        info = http_client.request("GET", uvicorn_server + "/info")
        echoed = http_client.request("POST", uvicorn_server + "/echo", [], upload())
        continued = http_client.request(
            "POST", uvicorn_server + "/echo", [("Expect", "100-continue")], b"after 100"
        )
        chunked = http_client.request("GET", uvicorn_server + "/chunked")
        head = http_client.request("HEAD", uvicorn_server + "/info")
        opened = http_client.connections_opened
    details = json.loads(info.body)
    assert details["method"] == "GET"
    assert details["http_version"] == "1.1"
    assert ["user-agent", client.USER_AGENT] in details["headers"]
    assert echoed.body == b"to uvicorn in chunks"
    assert continued.informational == [100]
    assert continued.body == b"after 100"
    assert chunked.header("transfer-encoding") == "chunked"
    assert chunked.body == b"line 0\nline 1\nline 2\n"
    assert head.status == 200
    assert head.body == b""
    assert opened == 1, "uvicorn keeps HTTP/1.1 connections alive"
