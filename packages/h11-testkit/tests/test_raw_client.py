"""RawClient: arbitrary bytes out, parsed response events (or the protocol error) back."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import h11_connection as h11
import pytest
from h11_testkit.raw_client import RawClient
from h11_testkit.server import H11Server

MakeClient = Callable[..., RawClient]


@pytest.fixture
def canned_server() -> Iterator[Callable[[bytes], tuple[str, int]]]:
    """A one-shot server that answers any request with fixed bytes, then closes."""
    threads: list[threading.Thread] = []
    listeners: list[socket.socket] = []

    def start(reply: bytes) -> tuple[str, int]:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(5)
        listeners.append(listener)

        def serve() -> None:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                conn.recv(65536)
                conn.sendall(reply)

        thread = threading.Thread(target=serve)
        thread.start()
        threads.append(thread)
        host, port = listener.getsockname()[:2]
        return host, port

    yield start
    for thread in threads:
        thread.join(10)
    for listener in listeners:
        listener.close()
    assert not any(t.is_alive() for t in threads)


def test_pipelined_requests_get_two_responses(
    h11_server: H11Server, h11_raw_client: MakeClient
) -> None:
    client = h11_raw_client(h11_server.host, h11_server.port)
    raw = b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
    result = client.exchange(raw, responses=2)
    assert result.status_codes == [200, 200]
    assert result.error is None
    assert [r.target for r, _ in h11_server.requests] == [b"/1", b"/2"]
    assert result.raw.count(b"HTTP/1.1 200 OK\r\n") == 2


def test_rejected_request_and_close(h11_server: H11Server, h11_raw_client: MakeClient) -> None:
    client = h11_raw_client(h11_server.host, h11_server.port)
    result = client.exchange(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", until_closed=True
    )
    assert result.status_codes == [501]
    assert result.closed
    assert isinstance(result.events[-1], h11.ConnectionClosed)


def test_keep_alive_connection_stays_open(
    h11_server: H11Server, h11_raw_client: MakeClient
) -> None:
    client = h11_raw_client(h11_server.host, h11_server.port)
    first = client.exchange(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    second = client.exchange(b"GET /again HTTP/1.1\r\nHost: a\r\n\r\n")
    assert first.status_codes == [200]
    assert second.status_codes == [200]
    assert not second.closed
    assert h11_server.connection_count == 1


def test_head_request_method(h11_server: H11Server, h11_raw_client: MakeClient) -> None:
    h11_server.handler = lambda request, body: (200, [], b"abc")
    client = h11_raw_client(h11_server.host, h11_server.port)
    result = client.exchange(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", request_method=b"HEAD")
    assert result.status_codes == [200]
    assert not any(isinstance(e, h11.Data) for e in result.events)


def test_malformed_response_is_reported(
    canned_server: Callable[[bytes], tuple[str, int]], h11_raw_client: MakeClient
) -> None:
    host, port = canned_server(b"HTTP/1.1 2000 What\r\n\r\n")
    result = h11_raw_client(host, port).exchange(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    assert isinstance(result.error, h11.RemoteProtocolError)
    assert result.status_codes == []


def test_close_delimited_response(
    canned_server: Callable[[bytes], tuple[str, int]], h11_raw_client: MakeClient
) -> None:
    host, port = canned_server(b"HTTP/1.1 200 OK\r\n\r\nuntil the end")
    result = h11_raw_client(host, port).exchange(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    assert result.error is None
    assert result.closed
    body = b"".join(bytes(e.data) for e in result.events if isinstance(e, h11.Data))
    assert body == b"until the end"


def test_silent_server_times_out(h11_raw_client: MakeClient) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        host, port = listener.getsockname()[:2]
        client = h11_raw_client(host, port, timeout=0.3)
        result = client.exchange(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        client.close()
    assert result.timed_out
    assert result.events == []
    assert not result.closed


def test_context_manager_closes(h11_server: H11Server) -> None:
    with RawClient(h11_server.host, h11_server.port) as client:
        assert client.exchange(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").status_codes == [200]
    assert client._sock is None


def test_read_after_100_continue_returns_at_once(
    h11_server: H11Server, h11_raw_client: MakeClient
) -> None:
    """The server answers `100 Continue` and waits for the body: so must the client."""
    client = h11_raw_client(h11_server.host, h11_server.port, timeout=10)
    client.send(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
    started = time.monotonic()
    interim = client.read_responses()
    assert time.monotonic() - started < 5
    assert (interim.informational, interim.status_codes, interim.timed_out) == ([100], [], False)
    client.send(b"ok")
    final = client.read_responses()
    assert final.status_codes == [200]
    assert h11_server.requests[0][1] == b"ok"


def test_100_continue_and_final_response_together(h11_raw_client: MakeClient) -> None:
    """When the final response comes in the same read as the 100, both are returned."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
            )

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        client = h11_raw_client("127.0.0.1", listener.getsockname()[1])
        result = client.exchange(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
    finally:
        thread.join(10)
        listener.close()
    assert (result.informational, result.status_codes) == ([100], [200])
