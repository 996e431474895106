"""The example client against other servers, the proxy, and the demo end to end."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import client
import h11_connection as h11
import pytest
from rawhttp import TIMEOUT, address, split_head

EXAMPLES = Path(__file__).resolve().parent.parent


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"{self.request_version} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(params=["HTTP/1.0", "HTTP/1.1"])
def stdlib_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    handler = type("Handler", (_Handler,), {"protocol_version": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", request.param
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_client_against_stdlib_server(stdlib_server: tuple[str, str]) -> None:
    url, version = stdlib_server
    with client.HTTPClient(TIMEOUT) as http_client:
        first = http_client.request("GET", url + "/a")
        second = http_client.request("POST", url + "/b", [], b"posted")
        opened = http_client.connections_opened
    assert first.status == 200
    assert first.http_version == version[len("HTTP/") :]
    assert first.body == b"HTTP/1.1 /a"
    assert second.body == b"posted"
    # An HTTP/1.0 server closes after each response; an HTTP/1.1 one keeps the connection.
    assert opened == (2 if version == "HTTP/1.0" else 1)


def test_client_reads_close_delimited_body_from_http10_server() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(TIMEOUT)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"

        def answer() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(TIMEOUT)
                conn.recv(65536)
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ")
                conn.sendall(b"part two")

        thread = threading.Thread(target=answer)
        thread.start()
        try:
            response = client.fetch(url)
        finally:
            thread.join(10)
    assert response.http_version == "1.0"
    assert response.body == b"part one, part two"


def test_client_rejects_non_http_urls() -> None:
    with pytest.raises(client.ClientError, match="only http://"):
        client.fetch("https://127.0.0.1/")


def test_client_reports_refused_connection() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        with pytest.raises(client.ClientError, match="cannot connect"):
            client.fetch(f"http://127.0.0.1:{port}/")


def test_client_cli(base_url: str) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "client.py"), "-i", base_url + "/conn", base_url + "/conn"],
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    bodies = [json.loads(b"{" + part) for part in result.stdout.split(b"{")[1:]]
    assert [b["request"] for b in bodies] == [1, 2]
    assert b"HTTP/1.1 200 OK" in result.stderr


def test_client_cli_streams_stdin_and_fails_on_404(base_url: str) -> None:
    ok = subprocess.run(
        [sys.executable, str(EXAMPLES / "client.py"), "-d", "@-", base_url + "/echo"],
        input=b"from stdin" * 1000,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert ok.returncode == 0
    assert ok.stdout == b"from stdin" * 1000
    missing = subprocess.run(
        [sys.executable, str(EXAMPLES / "client.py"), base_url + "/missing"],
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert missing.returncode == 1


def test_proxy_forwards_and_keeps_both_sides_alive(base_url: str, proxy_url: str) -> None:
    with client.HTTPClient(TIMEOUT, proxy=proxy_url) as http_client:
        responses = [http_client.request("GET", base_url + "/conn") for _ in range(3)]
        assert http_client.connections_opened == 1
    assert [r.header("via") for r in responses] == ["1.1 h11-example-proxy"] * 3
    infos = [json.loads(r.body) for r in responses]
    assert [i["request"] for i in infos] == [1, 2, 3]


def test_proxy_rewrites_target_and_host_and_drops_hop_by_hop(base_url: str, proxy_url: str) -> None:
    headers = [("Host", "wrong.example"), ("Connection", "X-Secret"), ("X-Secret", "1")]
    headers += [("Keep-Alive", "timeout=5"), ("X-Kept", "yes")]
    with client.HTTPClient(TIMEOUT, proxy=proxy_url) as http_client:
        response = http_client.request("GET", base_url + "/headers?q=1", headers)
    seen = json.loads(response.body)
    names = {name for name, _ in seen["headers"]}
    assert seen["target"] == "/headers?q=1"
    assert dict(seen["headers"])["host"] == base_url[len("http://") :]
    assert "x-kept" in names
    assert names.isdisjoint({"x-secret", "keep-alive", "connection"})


def test_proxy_relays_chunked_bodies_both_ways(base_url: str, proxy_url: str) -> None:
    def body() -> Iterator[bytes]:
        yield from (b"one ", b"two ", b"three")

    with client.HTTPClient(TIMEOUT, proxy=proxy_url) as http_client:
        echoed = http_client.request("POST", base_url + "/echo", [], body())
        chunked = http_client.request("GET", base_url + "/chunked?n=3")
        continued = http_client.request(
            "POST", base_url + "/echo", [("Expect", "100-continue")], b"x"
        )
    assert echoed.body == b"one two three"
    assert chunked.header("transfer-encoding") == "chunked"
    assert chunked.data_events == 3
    assert continued.informational == [100]
    assert continued.body == b"x"


def test_proxy_refuses_non_loopback_hosts(proxy_url: str) -> None:
    with client.HTTPClient(TIMEOUT, proxy=proxy_url) as http_client:
        response = http_client.request("GET", "http://example.invalid/")
    assert response.status == 403
    assert response.header("connection") == "close"


def test_proxy_reports_unreachable_origin(proxy_url: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with client.HTTPClient(TIMEOUT, proxy=proxy_url) as http_client:
            response = http_client.request("GET", f"http://127.0.0.1:{port}/")
    assert response.status == 502


def test_proxy_rejects_origin_form(proxy_url: str) -> None:
    response = client.fetch(proxy_url + "/relative")
    assert response.status == 400


def test_proxy_connect_tunnel(base_url: str, proxy_url: str) -> None:
    authority = base_url[len("http://") :]
    with socket.create_connection(address(proxy_url), timeout=TIMEOUT) as sock:
        # The CONNECT request and the first tunnelled request in one write:
        # the proxy must pass on the bytes h11 hands back as trailing data.
        sock.sendall(
            f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode()
            + b"GET /conn HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        tunnel = h11.Connection(h11.CLIENT)
        tunnel.send(h11.Request(method="CONNECT", target=authority, headers=[("Host", authority)]))
        tunnel.send(h11.EndOfMessage())
        received = b""
        for _ in range(100):
            event = tunnel.next_event()
            if event is h11.NEED_DATA:
                tunnel.receive_data(sock.recv(65536))
                continue
            assert isinstance(event, h11.Response)
            assert event.status_code == 200
            break
        assert tunnel.next_event() is h11.PAUSED
        assert tunnel.our_state is h11.SWITCHED_PROTOCOL
        received = bytes(tunnel.trailing_data[0])
        for _ in range(100):
            data = sock.recv(65536)
            if not data:
                break
            received += data
    status, _, body = split_head(received)
    assert status == "HTTP/1.1 200 OK"
    assert json.loads(body)["request"] == 1


@pytest.mark.parametrize("extra", [[], ["--no-curl"]])
def test_demo_end_to_end(extra: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), "--deadline", "60", *extra],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every exchange behaved as expected" in result.stdout
    assert "FAILED" not in result.stdout
    assert result.stdout.count("\n  ok\n") >= 10


def test_demo_fails_when_out_of_time() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), "--deadline", "0.001", "--no-curl"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "demo FAILED" in result.stdout
    assert "the demo ran out of time" in result.stdout
