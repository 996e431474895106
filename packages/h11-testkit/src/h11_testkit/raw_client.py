"""Sends arbitrary bytes to a server under test and parses what comes back with `h11`."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import h11_connection as h11

from .corpus import next_pipelined_client

#: Largest number of recv calls for one exchange: bounds the loop whatever the server does.
MAX_READS = 100_000


@dataclass
class RawResult:
    """What the server sent back in answer to raw bytes.

    Made by `RawClient.read_responses` and `RawClient.exchange`, not by tests.

    :param events: the parsed response events (InformationalResponse, Response, Data,
        EndOfMessage, ConnectionClosed), in order.
    :param error: the protocol error that stopped parsing, if any (a RemoteProtocolError
        for bytes that are not a valid response).
    :param closed: whether the server closed the connection.
    :param timed_out: whether the client's timeout ran out before the read was complete.
    :param raw: every byte received, parsed or not.
    """

    events: list[Any] = field(default_factory=list)
    error: h11.ProtocolError | None = None
    closed: bool = False
    timed_out: bool = False
    raw: bytes = b""

    @property
    def responses(self) -> list[h11.Response]:
        """The final responses (`Response` events) in order."""
        return [e for e in self.events if isinstance(e, h11.Response)]

    @property
    def informational(self) -> list[int]:
        """Interim (1xx) status codes in order, e.g. `[100]` before a 100-continue body."""
        return [e.status_code for e in self.events if isinstance(e, h11.InformationalResponse)]

    @property
    def status_codes(self) -> list[int]:
        """Final status codes in order, e.g. `[400]` for a rejected request."""
        return [r.status_code for r in self.responses]


class RawClient:
    """One TCP connection to (host, port) that writes exactly the bytes it is given.

    It connects on first use (or in ``with RawClient(...) as client:``) and parses what
    comes back with ``h11_connection``, as a client would.

    :param host: the server's address, e.g. ``"127.0.0.1"``.
    :param port: the server's TCP port.
    :param timeout: keyword only: seconds for connecting and for each whole read
        (5.0 by default); a read that runs out returns with ``timed_out`` set.
    """

    def __init__(self, host: str, port: int, *, timeout: float = 5.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self._sock: socket.socket | None = None
        self._conn = h11.Connection(h11.CLIENT)
        self._eof = False

    def connect(self) -> RawClient:
        """Open the connection if it is not open yet; returns the client itself."""
        if self._sock is None:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        return self

    def send(self, data: bytes) -> None:
        """Write `data` as-is (no framing, no validation).

        :param data: the bytes, a request or anything else (smuggling attempts included).
        """
        self.connect()
        assert self._sock is not None
        self._sock.sendall(data)

    def shutdown_write(self) -> None:
        """Half-close: the server sees EOF but can still answer."""
        self.connect()
        assert self._sock is not None
        self._sock.shutdown(socket.SHUT_WR)

    def read_responses(
        self, count: int = 1, *, request_method: bytes = b"GET", until_closed: bool = False
    ) -> RawResult:
        """Parse up to `count` complete responses (or until EOF / an error / the timeout).

        With `until_closed` keep reading after them until the server closes the
        connection, so a test can check that a rejected request ends the connection.

        An interim response (e.g. `100 Continue`) that arrives with nothing after it
        counts towards `count`: the server is waiting for the request body, so the
        call returns at once instead of waiting out the timeout. Send the body, then
        call `read_responses()` again for the final response.

        :param count: how many responses to wait for (1 by default).
        :param request_method: keyword only: the method of the request the responses
            answer (``b"HEAD"`` responses have no body, a 2xx to ``b"CONNECT"`` ends
            the HTTP/1.1 part).
        :param until_closed: keyword only: after the responses, wait for the server to
            close the connection (or the timeout).
        :returns: what arrived, parsed.
        """
        self.connect()
        assert self._sock is not None
        result = RawResult()
        deadline = time.monotonic() + self.timeout
        done = 0
        #: An interim response arrived after the last final one: the server may be
        #: waiting for us (100 Continue), so it answers the request for now.
        interim = False
        raw = bytearray()
        self._prime(request_method)
        try:
            for _ in range(MAX_READS):
                event = self._conn.next_event()
                if event is h11.NEED_DATA:
                    if done + interim >= count and not until_closed:
                        break
                    if self._eof:
                        break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        result.timed_out = True
                        break
                    self._sock.settimeout(remaining)
                    try:
                        chunk = self._sock.recv(65536)
                    except TimeoutError:
                        result.timed_out = True
                        break
                    except ConnectionResetError:
                        chunk = b""
                    raw += chunk
                    self._eof = not chunk
                    if chunk:
                        self._prime(request_method)
                    self._conn.receive_data(chunk)
                    continue
                if event is h11.PAUSED:
                    break
                result.events.append(event)
                interim = isinstance(event, h11.InformationalResponse)
                if isinstance(event, h11.ConnectionClosed):
                    break
                if isinstance(event, h11.EndOfMessage):
                    done += 1
                    if self._conn.our_state is h11.DONE and self._conn.their_state is h11.DONE:
                        # Another request is only assumed once more bytes arrive: at EOF
                        # an outstanding request would turn a clean close into an error.
                        self._conn.start_next_cycle()
                        if self._conn.trailing_data[0]:
                            self._conn = next_pipelined_client(
                                self._conn, h11, lambda fresh: _prime(fresh, request_method)
                            )
                    elif not until_closed and done >= count:
                        break
        except h11.ProtocolError as exc:
            result.error = exc
        result.closed = self._eof
        result.raw = bytes(raw)
        if until_closed and not self._eof and result.error is not None:
            result.closed = self._drain_until_closed(deadline)
        return result

    def _prime(self, method: bytes) -> None:
        """Tell the parsing Connection a request went out, so it expects a response to it."""
        if self._conn.our_state is h11.IDLE:
            _prime(self._conn, method)

    def _drain_until_closed(self, deadline: float) -> bool:
        assert self._sock is not None
        for _ in range(MAX_READS):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._sock.settimeout(remaining)
            try:
                if not self._sock.recv(65536):
                    self._eof = True
                    return True
            except TimeoutError:
                return False
            except ConnectionResetError:
                self._eof = True
                return True
        return False

    def exchange(
        self,
        data: bytes,
        *,
        responses: int = 1,
        request_method: bytes = b"GET",
        until_closed: bool = False,
    ) -> RawResult:
        """`send(data)` then `read_responses(...)`: the usual one-shot use.

        :param data: the bytes to write (see `send`).
        :param responses: keyword only: how many responses to wait for (`count`).
        :param request_method: keyword only: as in `read_responses`.
        :param until_closed: keyword only: as in `read_responses`.
        """
        self.send(data)
        return self.read_responses(
            responses, request_method=request_method, until_closed=until_closed
        )

    def close(self) -> None:
        """Close the connection (harmless when it is not open)."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> RawClient:
        return self.connect()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _prime(conn: h11.Connection, method: bytes) -> None:
    """Send `conn` (a parsing CLIENT Connection) a request of `method` and its end."""
    target = b"example.com:443" if method == b"CONNECT" else b"/"
    conn.send(h11.Request(method=method, target=target, headers=[(b"host", b"x")]))
    conn.send(h11.EndOfMessage())
