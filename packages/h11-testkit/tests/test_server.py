"""H11Server serves the standard library's HTTP clients; it stops without leaks."""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.error
import urllib.request

import h11_connection as h11
import pytest
from h11_testkit.server import H11Server


def _server_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("h11-server-")]


def test_default_handler_answers_200_empty(h11_server: H11Server) -> None:
    with urllib.request.urlopen(h11_server.url_for("/hello?x=1"), timeout=5) as response:
        assert response.status == 200
        assert response.read() == b""
    [(request, body)] = h11_server.requests
    assert (request.method, request.target, body) == (b"GET", b"/hello?x=1", b"")
    assert h11_server.url == f"http://127.0.0.1:{h11_server.port}"


def test_handler_controls_the_response(h11_server: H11Server) -> None:
    h11_server.handler = lambda request, body: (201, [("X-Echo", "yes")], body.upper())
    req = urllib.request.Request(h11_server.url + "/up", data=b"payload", method="POST")
    with urllib.request.urlopen(req, timeout=5) as response:
        assert response.status == 201
        assert response.headers["X-Echo"] == "yes"
        assert response.read() == b"PAYLOAD"
    assert h11_server.requests[0][1] == b"payload"


def test_error_status_reaches_urllib(h11_server: H11Server) -> None:
    h11_server.handler = lambda request, body: (404, [], b"nope")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(h11_server.url, timeout=5)
    assert info.value.code == 404
    assert info.value.read() == b"nope"
    info.value.close()


def test_keep_alive_uses_one_connection(h11_server: H11Server) -> None:
    h11_server.handler = lambda request, body: (200, [], request.target)
    conn = http.client.HTTPConnection(h11_server.host, h11_server.port, timeout=5)
    try:
        for i in range(5):
            conn.request("GET", f"/{i}")
            response = conn.getresponse()
            assert response.read() == f"/{i}".encode()
    finally:
        conn.close()
    assert len(h11_server.requests) == 5
    assert h11_server.connection_count == 1


def test_chunked_request_body(h11_server: H11Server) -> None:
    conn = http.client.HTTPConnection(h11_server.host, h11_server.port, timeout=5)
    try:
        conn.request("PUT", "/c", body=iter([b"ab", b"", b"cde"]), encode_chunked=True)
        assert conn.getresponse().status == 200
    finally:
        conn.close()
    [(request, body)] = h11_server.requests
    assert (b"transfer-encoding", b"chunked") in list(request.headers)
    assert body == b"abcde"


def test_100_continue_before_the_body(h11_server: H11Server) -> None:
    """The body is only sent after the interim 100, as a careful client does."""
    with socket.create_connection((h11_server.host, h11_server.port), timeout=5) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"
        )
        client = h11.Connection(h11.CLIENT)
        client.send(
            h11.Request(
                method="POST",
                target="/",
                headers=[("Host", "a"), ("Content-Length", "4"), ("Expect", "100-continue")],
            )
        )
        client.receive_data(sock.recv(4096))
        interim = client.next_event()
        assert isinstance(interim, h11.InformationalResponse)
        assert interim.status_code == 100
        sock.sendall(b"body")
        final = None
        for _ in range(100):
            event = client.next_event()
            if event is h11.NEED_DATA:
                client.receive_data(sock.recv(4096))
            elif isinstance(event, h11.Response):
                final = event
                break
        assert final is not None
        assert final.status_code == 200
    assert h11_server.requests[0][1] == b"body"


def test_head_response_has_no_body(h11_server: H11Server) -> None:
    h11_server.handler = lambda request, body: (200, [], b"12345")
    conn = http.client.HTTPConnection(h11_server.host, h11_server.port, timeout=5)
    try:
        conn.request("HEAD", "/")
        response = conn.getresponse()
        assert response.headers["Content-Length"] == "5"
        assert response.read() == b""
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"12345"
    finally:
        conn.close()


def test_handler_exception_becomes_500(h11_server: H11Server) -> None:
    def boom(request: h11.Request, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        raise RuntimeError("handler bug")

    h11_server.handler = boom
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(h11_server.url, timeout=5)
    assert info.value.code == 500
    assert b"handler bug" in info.value.read()
    info.value.close()
    assert [type(e) for e in h11_server.errors] == [RuntimeError]


def test_malformed_request_gets_400_and_close(h11_server: H11Server) -> None:
    with socket.create_connection((h11_server.host, h11_server.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n")
        received = b""
        for _ in range(100):
            chunk = sock.recv(4096)
            if not chunk:
                break
            received += chunk
    assert received.startswith(b"HTTP/1.1 400 ")
    assert h11_server.requests == []


def test_stop_joins_threads_and_frees_the_port() -> None:
    before = _server_threads()
    server = H11Server().start()
    idle = socket.create_connection((server.host, server.port), timeout=5)  # kept open
    try:
        with urllib.request.urlopen(server.url, timeout=5) as response:
            response.read()
        server.stop()
    finally:
        idle.close()
    assert _server_threads() == before
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection((server.host, server.port), timeout=5),
    ):
        pass


def test_context_manager() -> None:
    server = H11Server(lambda request, body: (202, [], b""))
    with server, urllib.request.urlopen(server.url, timeout=5) as response:
        assert response.status == 202
    assert not any(t.name == f"h11-server-{server.port}" for t in threading.enumerate())


def test_unsendable_response_is_recorded(h11_server: H11Server) -> None:
    h11_server.handler = lambda request, body: (200, [("Bad Name", "x")], b"")
    conn = http.client.HTTPConnection(h11_server.host, h11_server.port, timeout=5)
    try:
        conn.request("GET", "/")
        with pytest.raises((http.client.HTTPException, ConnectionError)):
            conn.getresponse()
    finally:
        conn.close()
    assert [type(e) for e in h11_server.errors] == [h11.LocalProtocolError]
