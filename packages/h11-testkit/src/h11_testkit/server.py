"""A real HTTP/1.1 server on 127.0.0.1 built on `h11`, for testing HTTP clients."""

from __future__ import annotations

import http
import socket
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, TypeVar

import h11_connection as h11

HeaderItem = tuple[bytes | str, bytes | str]
#: `(request, body) -> (status, headers, body)`; called once per complete request.
Handler = Callable[[h11.Request, bytes], tuple[int, Iterable[HeaderItem], bytes]]

#: Bounds that keep every loop finite even when a client misbehaves.
MAX_REQUESTS_PER_CONNECTION = 10_000
MAX_READS_PER_EVENT = 1_000_000
ACCEPT_POLL_SECONDS = 0.05


def default_handler(request: h11.Request, body: bytes) -> tuple[int, list[HeaderItem], bytes]:
    """200 with an empty body: enough for tests that only inspect `.requests`."""
    return 200, [], b""


def _shutdown(sock: socket.socket) -> None:
    """Wake a thread blocked in recv() on `sock`; the socket may already be gone."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _reason(status: int) -> bytes:
    try:
        return http.HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""


def _as_bytes(value: bytes | str) -> bytes:
    return value.encode("latin-1") if isinstance(value, str) else value


_Server = TypeVar("_Server", bound="LoopbackServer")


class LoopbackServer:
    """A TCP server on an ephemeral 127.0.0.1 port, one thread per connection, until `stop()`.

    Every socket operation has a timeout and `stop()` joins every thread it started,
    so a test that uses it leaks neither threads nor ports. ``with Server() as server:``
    starts and stops it. Subclasses serve a connection in `_serve_connection` and take
    it out of ``_sockets`` when done.

    :param timeout: keyword only: seconds any socket operation may wait.
    """

    def __init__(self, *, timeout: float) -> None:
        self.timeout = timeout
        #: Connections accepted so far.
        self.connection_count = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(ACCEPT_POLL_SECONDS)
        self.host, self.port = self._listener.getsockname()[:2]
        self._acceptor = threading.Thread(
            target=self._accept_loop, name=f"h11-server-{self.port}", daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. `http://127.0.0.1:43123`."""
        return f"http://{self.host}:{self.port}"

    def start(self: _Server) -> _Server:
        """Start accepting connections (in a thread); returns the server itself."""
        self._acceptor.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, cut open connections and join every thread.

        :param timeout: seconds to wait for each thread (5.0 by default).
        :raises RuntimeError: a thread did not stop in time.
        """
        self._stopping.set()
        with self._lock:
            for sock in self._sockets:
                _shutdown(sock)
        if self._acceptor.is_alive():
            self._acceptor.join(timeout)
        self._listener.close()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
        alive = [t.name for t in [*threads, self._acceptor] if t.is_alive()]
        if alive:
            raise RuntimeError(f"h11 test server threads did not stop: {alive}")

    def __enter__(self: _Server) -> _Server:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(self.timeout)
            thread = threading.Thread(
                target=self._serve_connection, args=(sock,), name=f"{self._acceptor.name}-conn"
            )
            with self._lock:
                if self._stopping.is_set():
                    sock.close()
                    return
                self._sockets.add(sock)
                self._threads.append(thread)
                self.connection_count += 1
            thread.start()

    def _serve_connection(self, sock: socket.socket) -> None:
        raise NotImplementedError


class H11Server(LoopbackServer):
    """Serves on an ephemeral port in its own threads until `stop()`.

    Every socket operation has a timeout and `stop()` joins every thread it started,
    so a test that uses it leaks neither threads nor ports. ``with H11Server() as
    server:`` starts and stops it.

    :param handler: `(request, body) -> (status, headers, body)`, called once per
        complete request; settable later as ``server.handler``. By default
        `default_handler` (200, empty body). An exception in it is answered with a 500
        and kept in ``server.errors``.
    :param timeout: keyword only: seconds any socket operation may wait (10.0 by
        default), so a client that stalls cannot hang the test.
    """

    def __init__(self, handler: Handler | None = None, *, timeout: float = 10.0) -> None:
        super().__init__(timeout=timeout)
        self.handler: Handler = handler or default_handler
        #: (Request, body) of every complete request, in the order they finished.
        self.requests: list[tuple[h11.Request, bytes]] = []
        #: Exceptions raised by the handler (each answered with a 500), and
        #: h11.LocalProtocolError for responses that could not be sent (connection closed).
        self.errors: list[BaseException] = []

    def url_for(self, path: str) -> str:
        """`url` joined with `path`.

        :param path: the request-target's path, starting with ``/``.
        """
        return self.url + path

    def _serve_connection(self, sock: socket.socket) -> None:
        conn = h11.Connection(h11.SERVER)
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                if not self._serve_one(sock, conn):
                    break
                if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                    break
                conn.start_next_cycle()
        except OSError:
            pass  # client went away or timed out: nothing left to answer
        except h11.LocalProtocolError as exc:
            # The handler's response could not be sent (e.g. an invalid header): the
            # connection is unusable, and the test should be able to see why.
            with self._lock:
                self.errors.append(exc)
        except h11.RemoteProtocolError as exc:
            self._reject(sock, conn, exc.error_status_hint)
        finally:
            with self._lock:
                self._sockets.discard(sock)
            _shutdown(sock)
            sock.close()

    def _next_event(self, sock: socket.socket, conn: h11.Connection) -> Any:
        for _ in range(MAX_READS_PER_EVENT):
            event = conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            if self._stopping.is_set():
                raise ConnectionAbortedError("server stopping")
            conn.receive_data(sock.recv(65536))
        raise ConnectionAbortedError("too many reads for one event")

    def _serve_one(self, sock: socket.socket, conn: h11.Connection) -> bool:
        """Read one request, answer it; False when the client closed first."""
        request: h11.Request | None = None
        body = bytearray()
        while True:
            event = self._next_event(sock, conn)
            if isinstance(event, h11.Request):
                request = event
                if conn.they_are_waiting_for_100_continue:
                    sock.sendall(conn.send(h11.InformationalResponse(status_code=100, headers=[])))
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
                return False
        assert request is not None
        with self._lock:
            self.requests.append((request, bytes(body)))
        try:
            status, headers, payload = self.handler(request, bytes(body))
        except Exception as exc:
            with self._lock:
                self.errors.append(exc)
            status, headers, payload = 500, [(b"connection", b"close")], repr(exc).encode()
        self._respond(sock, conn, request, status, headers, payload)
        return True

    def _respond(
        self,
        sock: socket.socket,
        conn: h11.Connection,
        request: h11.Request,
        status: int,
        headers: Iterable[HeaderItem],
        payload: bytes,
    ) -> None:
        items = [(_as_bytes(n), _as_bytes(v)) for n, v in headers]
        names = {n.lower() for n, _ in items}
        bodyless = request.method == b"HEAD" or status in (204, 304)
        if not names & {b"content-length", b"transfer-encoding"} and status not in (204, 304):
            items.append((b"content-length", str(len(payload)).encode()))
        out = conn.send(h11.Response(status_code=status, headers=items, reason=_reason(status)))
        if payload and not bodyless:
            out += conn.send(h11.Data(data=payload))
        out += conn.send(h11.EndOfMessage())
        sock.sendall(out)

    def _reject(self, sock: socket.socket, conn: h11.Connection, status: int) -> None:
        """Best-effort error response for a request we could not parse."""
        if conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        try:
            sock.sendall(
                conn.send(
                    h11.Response(
                        status_code=status,
                        headers=[(b"content-length", b"0"), (b"connection", b"close")],
                        reason=_reason(status),
                    )
                )
                + conn.send(h11.EndOfMessage())
            )
        except (OSError, h11.LocalProtocolError):
            pass
