"""Other HTTP clients against the example server (and proxy): curl, http.client, urllib, httpx."""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import h11
import pytest
from interop_support import require_module, require_program

TIMEOUT = 10.0


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return parts.hostname, parts.port


def _stats(url: str) -> dict[str, int]:
    with urllib.request.urlopen(url + "/stats", timeout=TIMEOUT) as response:
        data: dict[str, int] = json.loads(response.read())
    return data


class Curl:
    """curl's exit code and output, decoded without newline translation (CRLF stays)."""

    def __init__(self, *args: str) -> None:
        program = require_program("curl", None, "the Debian package 'curl'")
        result = subprocess.run(
            [program, "-sS", "--max-time", str(TIMEOUT), *args],
            capture_output=True,
            timeout=TIMEOUT + 10,
            check=False,
        )
        self.returncode = result.returncode
        self.stdout = result.stdout.decode("utf-8", "replace")
        self.stderr = result.stderr.decode("utf-8", "replace")


curl = Curl


def _httpx() -> Any:
    require_module("httpx", "the pip package 'httpx'")
    import httpx

    return httpx


# -- curl ---------------------------------------------------------------------------------------


def test_curl_get_page(example_server: str) -> None:
    result = curl("-i", example_server + "/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("HTTP/1.1 200 OK\r\n")
    assert "<h1>Hello from h11</h1>" in result.stdout


def test_curl_keep_alive(example_server: str) -> None:
    result = curl(example_server + "/conn", example_server + "/conn", "-w", "%{num_connects}\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("0"), "curl opened a second connection"
    assert '"request": 2' in result.stdout


def test_curl_chunked_upload_with_100_continue(example_server: str) -> None:
    payload = "curl " * 1000
    result = curl(
        "-v",
        "-H",
        "Transfer-Encoding: chunked",
        "-H",
        "Expect: 100-continue",
        "--data-binary",
        payload,
        example_server + "/echo",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == payload
    assert "< HTTP/1.1 100 Continue" in result.stderr


def test_curl_head(example_server: str) -> None:
    result = curl("-I", example_server + "/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("HTTP/1.1 200 OK")
    assert "Content-Length: " in result.stdout


def test_curl_http10_gets_close_delimited_body(example_server: str) -> None:
    result = curl("--http1.0", "-i", example_server + "/chunked?n=2")
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition("\r\n\r\n")
    assert "Transfer-Encoding" not in head
    assert "Connection: close" in head
    assert body == "chunk 1 of 2\nchunk 2 of 2\n"


def test_curl_through_example_proxy(example_server: str, example_proxy: str) -> None:
    result = curl("-i", "-x", example_proxy, example_server + "/headers")
    assert result.returncode == 0, result.stderr
    assert "via: 1.1 h11-example-proxy" in result.stdout.lower()
    body = json.loads(result.stdout.partition("\r\n\r\n")[2])
    assert body["target"] == "/headers"


def test_curl_connect_tunnel_through_example_proxy(example_server: str, example_proxy: str) -> None:
    result = curl("-p", "-x", example_proxy, example_server + "/conn")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["request"] == 1


# -- http.client and urllib ---------------------------------------------------------------------


def test_http_client_keep_alive_and_chunked_body(example_server: str) -> None:
    connection = http.client.HTTPConnection(*_address(example_server), timeout=TIMEOUT)
    try:
        seen = []
        for _ in range(2):
            connection.request("GET", "/conn")
            response = connection.getresponse()
            seen.append(json.loads(response.read()))
        chunks = (piece for piece in [b"abc", b"def"])
        connection.request("POST", "/echo", body=chunks, encode_chunked=True)
        echoed = connection.getresponse()
        assert echoed.read() == b"abcdef"
        connection.request("HEAD", "/")
        head = connection.getresponse()
        assert head.read() == b""
        assert int(head.headers["Content-Length"]) > 0
        connection.request("GET", "/chunked?n=3")
        chunked = connection.getresponse()
        assert chunked.headers["Transfer-Encoding"] == "chunked"
        assert chunked.read().count(b"\n") == 3
        connection.request("GET", "/conn")
        last = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    assert [s["request"] for s in seen] == [1, 2]
    assert last == {"connection": seen[0]["connection"], "request": 6}


def test_urllib_get_and_post(example_server: str) -> None:
    with urllib.request.urlopen(example_server + "/", timeout=TIMEOUT) as response:
        assert response.status == 200
        assert b"Hello from h11" in response.read()
    request = urllib.request.Request(example_server + "/echo", data=b"urllib body", method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert response.read() == b"urllib body"
        assert response.headers["X-Echo-Method"] == "POST"


def test_urllib_404_is_an_http_error(example_server: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(example_server + "/missing", timeout=TIMEOUT)
    assert info.value.code == 404
    info.value.close()


# -- httpx (its HTTP/1.1 layer, httpcore, runs on the installed h11) ------------------------------


def test_httpx_runs_on_the_installed_h11() -> None:
    _httpx()
    import httpcore._sync.http11 as sync_http11

    assert vars(sync_http11)["h11"] is h11


def test_httpx_keep_alive_streaming_both_ways(example_server: str) -> None:
    httpx = _httpx()

    def upload() -> Iterator[bytes]:
        yield from (b"httpx ", b"streamed ", b"upload")

    with httpx.Client(timeout=TIMEOUT) as session:
        first = session.get(example_server + "/conn").json()
        echoed = session.post(example_server + "/echo", content=upload())
        with session.stream("GET", example_server + "/stream?n=4") as streamed:
            lines = list(streamed.iter_lines())
        head = session.head(example_server + "/")
        last = session.get(example_server + "/conn").json()
    assert echoed.content == b"httpx streamed upload"
    assert lines == ["tick 1", "tick 2", "tick 3", "tick 4"]
    assert head.content == b""
    assert head.headers["content-length"] != "0"
    assert last == {"connection": first["connection"], "request": 5}


def test_httpx_through_example_proxy(example_server: str, example_proxy: str) -> None:
    httpx = _httpx()
    with httpx.Client(proxy=example_proxy, timeout=TIMEOUT) as session:
        response = session.get(example_server + "/headers")
        echoed = session.post(example_server + "/echo", content=b"via proxy")
    assert response.headers["via"] == "1.1 h11-example-proxy"
    assert echoed.content == b"via proxy"


def test_httpx_async_parallel_requests(example_server: str) -> None:
    httpx = _httpx()

    async def run() -> list[Any]:
        limits = httpx.Limits(max_connections=4)
        async with httpx.AsyncClient(timeout=TIMEOUT, limits=limits) as session:
            return list(
                await asyncio.gather(
                    *(session.get(f"{example_server}/chunked?n={i}") for i in range(12))
                )
            )

    responses = asyncio.run(run())
    assert [r.text.count("\n") for r in responses] == list(range(12))
    stats = _stats(example_server)
    # 12 requests over at most 4 connections (plus our own /stats request).
    assert stats["requests"] == 13
    assert 2 <= stats["connections"] - 1 <= 4
    assert stats["max_requests_per_connection"] >= 3
