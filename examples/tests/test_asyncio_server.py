"""The example server, driven over loopback by the example client and raw sockets."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncio_server
import client
import h11_connection as h11
import pytest
from rawhttp import TIMEOUT, address, exchange, split_head

EXAMPLES = Path(__file__).resolve().parent.parent
ServerFactory = Callable[..., tuple[str, asyncio_server.ExampleServer]]


def conn_info(response: client.Response) -> tuple[int, int]:
    data = json.loads(response.body)
    return data["connection"], data["request"]


def test_page_is_html(base_url: str) -> None:
    response = client.fetch(base_url + "/")
    assert response.status == 200
    assert response.header("content-type") == "text/html; charset=utf-8"
    assert b"<h1>Hello from h11</h1>" in response.body
    assert response.header("content-length") == str(len(response.body))


def test_page_resources_are_served(base_url: str) -> None:
    with client.HTTPClient(TIMEOUT) as http:
        page = http.request("GET", base_url + "/").body.decode()
        for path in re.findall(r'(?:src|href)="(/[^"]+)"', page):
            assert http.request("GET", base_url + path).status == 200, path


def test_keep_alive_reuses_one_connection(base_url: str) -> None:
    with client.HTTPClient(TIMEOUT) as http:
        infos = [conn_info(http.request("GET", base_url + "/conn")) for _ in range(3)]
        assert http.connections_opened == 1
    assert [request for _, request in infos] == [1, 2, 3]
    assert len({connection for connection, _ in infos}) == 1


def test_pipelined_requests_answered_in_order(base_url: str) -> None:
    requests = [("GET", "/conn"), ("HEAD", "/conn"), ("GET", "/chunked?n=2"), ("GET", "/conn")]
    responses = client.pipeline(base_url, requests, timeout=TIMEOUT)
    assert [r.status for r in responses] == [200, 200, 200, 200]
    assert conn_info(responses[0]) == (1, 1)
    assert responses[1].body == b""
    assert responses[2].body == b"chunk 1 of 2\nchunk 2 of 2\n"
    assert conn_info(responses[3]) == (1, 4)


def test_pipelined_bytes_in_one_write(base_url: str) -> None:
    one = b"GET /conn HTTP/1.1\r\nHost: t\r\n\r\n"
    last = b"GET /conn HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    received = exchange(base_url, one * 2 + last)
    bodies = [json.loads(part) for part in re.findall(rb"\{[^}]*\}", received)]
    assert [b["request"] for b in bodies] == [1, 2, 3]
    assert received.count(b"HTTP/1.1 200 OK") == 3


def test_head_has_headers_but_no_body(base_url: str) -> None:
    with client.HTTPClient(TIMEOUT) as http:
        get = http.request("GET", base_url + "/")
        head = http.request("HEAD", base_url + "/")
        after = http.request("GET", base_url + "/conn")
        assert http.connections_opened == 1
    assert head.status == 200
    assert head.body == b""
    assert head.header("content-length") == str(len(get.body))
    assert conn_info(after)[1] == 3


def test_head_of_streamed_route_sends_no_body(base_url: str) -> None:
    received = exchange(base_url, b"HEAD /chunked HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    status, _headers, body = split_head(received)
    assert status == "HTTP/1.1 200 OK"
    assert body == b""


@pytest.mark.parametrize("count", [0, 1, 7])
def test_chunked_response(base_url: str, count: int) -> None:
    response = client.fetch(f"{base_url}/chunked?n={count}")
    assert response.header("transfer-encoding") == "chunked"
    assert response.header("content-length") is None
    assert response.data_events == count
    assert response.body == b"".join(
        f"chunk {i} of {count}\n".encode() for i in range(1, count + 1)
    )


def test_chunked_response_on_the_wire(base_url: str) -> None:
    received = exchange(
        base_url, b"GET /chunked?n=2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    )
    _, headers, body = split_head(received)
    assert headers["transfer-encoding"] == "chunked"
    assert body == b"d\r\nchunk 1 of 2\n\r\nd\r\nchunk 2 of 2\n\r\n0\r\n\r\n"


def test_streamed_response(base_url: str) -> None:
    response = client.fetch(f"{base_url}/stream?n=3")
    assert response.body == b"tick 1\ntick 2\ntick 3\n"
    assert response.data_events == 3


def test_chunked_request_body_is_echoed(base_url: str) -> None:
    pieces = [b"a" * 10, b"", b"b" * 70000, b"c"]

    def body() -> Iterator[bytes]:
        yield from pieces

    response = client.fetch(base_url + "/echo", "PUT", [("Content-Type", "x/y")], body())
    assert response.status == 200
    assert response.body == b"".join(pieces)
    assert response.header("content-type") == "x/y"
    assert response.header("x-echo-method") == "PUT"


def test_chunked_request_with_trailers_on_the_wire(base_url: str) -> None:
    request = (
        b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"5\r\nhello\r\n1;ext=1\r\n!\r\n0\r\nX-Trailer: yes\r\n\r\n"
    )
    status, _headers, body = split_head(exchange(base_url, request))
    assert status == "HTTP/1.1 200 OK"
    assert body == b"hello!"


def test_expect_100_continue(base_url: str) -> None:
    response = client.fetch(base_url + "/echo", "POST", [("Expect", "100-continue")], b"data")
    assert response.informational == [100]
    assert response.body == b"data"


def test_100_continue_is_sent_before_the_body(base_url: str) -> None:
    with socket.create_connection(address(base_url), timeout=TIMEOUT) as sock:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"
        )
        assert sock.recv(65536).startswith(b"HTTP/1.1 100 ")
        sock.sendall(b"abc")
        received = b""
        for _ in range(100):
            received += sock.recv(65536)
            if received.endswith(b"abc"):
                break
    assert received.startswith(b"HTTP/1.1 200 OK\r\n")


def test_too_large_body_refused_before_100_continue(base_url: str) -> None:
    request = (
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n"
        b"Expect: 100-continue\r\n\r\n"
    )
    status, headers, _ = split_head(exchange(base_url, request))
    assert status == "HTTP/1.1 413 Request Entity Too Large" or status.startswith("HTTP/1.1 413 ")
    assert headers["connection"] == "close"


def test_unread_body_after_expect_closes(base_url: str) -> None:
    # GET / ignores the body; the client is still waiting for 100, so we must close.
    request = b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
    status, headers, _ = split_head(exchange(base_url, request))
    assert status == "HTTP/1.1 200 OK"
    assert headers["connection"] == "close"


def test_unread_body_is_discarded_and_connection_reused(base_url: str) -> None:
    with client.HTTPClient(TIMEOUT) as http:
        first = http.request("POST", base_url + "/conn", [], b"ignored body")
        second = http.request("GET", base_url + "/conn")
        assert http.connections_opened == 1
    assert first.status == 405
    assert first.header("allow") == "GET, HEAD"
    assert conn_info(second) == (1, 2)


@pytest.mark.parametrize(
    ("path", "status"), [("/status/204", 204), ("/status/418", 418), ("/nope", 404)]
)
def test_status_routes(base_url: str, path: str, status: int) -> None:
    response = client.fetch(base_url + path)
    assert response.status == status
    if status == 204:
        assert response.body == b""


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET / HTTP/1.1\r\nHost: t\r\nBad Header : 1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nNoColon\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET / HTTP/1.1\r\n\r\n",
        b"GARBAGE\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_protocol_error_gets_4xx_and_close(base_url: str, request_bytes: bytes) -> None:
    received = exchange(base_url, request_bytes)
    status, headers, body = split_head(received)
    code = int(status.split()[1])
    assert 400 <= code < 500
    assert headers["connection"] == "close"
    assert body.startswith(status.split(" ", 1)[1].encode())
    assert len(body) == int(headers["content-length"])


def test_oversize_head_gets_431(base_url: str) -> None:
    request = b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 70000
    status, headers, _ = split_head(exchange(base_url, request))
    assert status == "HTTP/1.1 431 Request Header Fields Too Large"
    assert headers["connection"] == "close"


def test_protocol_error_after_good_request_on_same_connection(base_url: str) -> None:
    received = exchange(base_url, b"GET /conn HTTP/1.1\r\nHost: t\r\n\r\nBROKEN\r\n\r\n")
    assert received.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"HTTP/1.1 400 Bad Request\r\n" in received


def test_http10_client_gets_close_delimited_body(base_url: str) -> None:
    status, headers, body = split_head(exchange(base_url, b"GET /chunked?n=2 HTTP/1.0\r\n\r\n"))
    assert status == "HTTP/1.1 200 OK"
    assert "transfer-encoding" not in headers
    assert headers["connection"] == "close"
    assert body == b"chunk 1 of 2\nchunk 2 of 2\n"


def test_idle_connection_times_out(start_server: ServerFactory) -> None:
    url, app = start_server(timeout=0.3)
    # The server must close the idle connection by itself: exchange returns at EOF.
    assert exchange(url, b"") == b""
    assert app.stats.timeouts == 1


def test_stalled_body_gets_408(start_server: ServerFactory) -> None:
    url, _app = start_server(timeout=0.3)
    request = b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"
    status, headers, _ = split_head(exchange(url, request))
    assert status == "HTTP/1.1 408 Request Timeout"
    assert headers["connection"] == "close"


def test_client_retries_when_server_closed_idle_connection(start_server: ServerFactory) -> None:
    url, app = start_server(timeout=0.2)
    with client.HTTPClient(TIMEOUT) as http:
        assert http.request("GET", url + "/conn").status == 200
        for _ in range(100):  # wait (bounded) until the server has timed the connection out
            if app.stats.timeouts:
                break
            time.sleep(0.05)
        assert app.stats.timeouts == 1
        response = http.request("GET", url + "/conn")
        assert http.connections_opened == 2
    assert conn_info(response) == (2, 1)
    assert not response.reused_connection


def test_stats_count_connections_and_requests(
    server: tuple[str, asyncio_server.ExampleServer],
) -> None:
    url = server[0]
    with client.HTTPClient(TIMEOUT) as http:
        http.request("GET", url + "/")
        http.request("GET", url + "/")
    stats = json.loads(client.fetch(url + "/stats").body)
    assert stats["connections"] == 2
    assert stats["requests"] == 3
    assert stats["max_requests_per_connection"] == 2


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_url_and_stops_on_signal(signum: int) -> None:
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "asyncio_server.py"), "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert match, line
        # A kept-alive connection must not keep the server from stopping.
        with client.HTTPClient(TIMEOUT) as http:
            assert http.request("GET", match.group(1) + "/conn").status == 200
            process.send_signal(signum)
            assert process.wait(timeout=10) == 0
        assert process.stderr.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_route_bug_gets_500_and_close(
    server: tuple[str, asyncio_server.ExampleServer], capsys: pytest.CaptureFixture[str]
) -> None:
    url, app = server

    async def broken(
        handler: asyncio_server.Handler, request: h11.Request, query: dict[str, list[str]]
    ) -> asyncio_server.Reply:
        raise RuntimeError("a bug in a route")

    app.add_route("/broken", broken)
    response = client.fetch(url + "/broken")
    assert response.status == 500
    assert response.header("connection") == "close"
    assert "RuntimeError: a bug in a route" in capsys.readouterr().err
    assert client.fetch(url + "/conn").status == 200
