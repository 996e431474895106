"""A blocking HTTP/1.1 client on plain sockets, built on the sans-I/O `h11` package.

It shows the client side of the protocol machine: keep-alive reuse (and
retrying once when a server closed an idle connection under us), streamed
request bodies, chunked responses, 1xx responses such as ``100 Continue``,
talking to HTTP/1.0 servers, and pipelining with a single h11 Connection.

Run it::

    python examples/client.py http://127.0.0.1:8000/
    python examples/client.py -X POST -d 'hello' http://127.0.0.1:8000/echo

or import it: ``HTTPClient`` keeps one connection per origin, ``fetch`` does
one request, ``pipeline`` sends several requests before reading any answer.
"""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import h11_connection as h11

USER_AGENT = f"h11-example-client ({h11.PRODUCT_ID})"
READ_SIZE = 64 * 1024
DEFAULT_TIMEOUT = 10.0
#: Refuse to buffer response bodies larger than this (a real client would stream them).
MAX_RESPONSE_BODY = 64 * 1024 * 1024

HeaderList = list[tuple[str, str]]
#: A request body: all at once, or an iterable of pieces sent as they come.
RequestBody = bytes | Iterable[bytes] | None


class ClientError(Exception):
    """The exchange failed: connection problems, timeouts or protocol violations."""


@dataclass
class Response:
    """A complete response, plus what the client saw while receiving it."""

    status: int
    reason: str
    http_version: str
    headers: HeaderList
    body: bytes
    #: 1xx responses received before the final one, e.g. [100].
    informational: list[int] = field(default_factory=list)
    #: How many Data events the body arrived in (chunked bodies usually give several).
    data_events: int = 0
    #: True when this request went over a connection that had already carried one.
    reused_connection: bool = False
    #: Trailer fields of a chunked body.
    trailers: HeaderList = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The first value of a header (case-insensitive), or None."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None


@dataclass(frozen=True)
class Target:
    """Where a URL points: connection address plus the request target."""

    host: str
    port: int
    target: str
    host_header: str

    @classmethod
    def from_url(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme != "http":
            raise ClientError(f"only http:// URLs are supported, not {url!r}")
        if not parts.hostname:
            raise ClientError(f"no host in {url!r}")
        port = parts.port or 80
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        host_header = parts.netloc.rpartition("@")[2]
        return cls(parts.hostname, port, target, host_header)


def _decode_headers(headers: Iterable[tuple[bytes, bytes]]) -> HeaderList:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]


def _has_header(headers: HeaderList, name: str) -> bool:
    return any(key.lower() == name for key, _ in headers)


class _Connection:
    """One socket and the h11 state machine that speaks over it."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as exc:
            raise ClientError(f"cannot connect to {host}:{port}: {exc}") from exc
        self.conn = h11.Connection(h11.CLIENT)
        self.requests_sent = 0
        #: Bytes received during the current request/response cycle.
        self.received = 0

    def close(self) -> None:
        self.sock.close()

    def send(self, event: h11.Event) -> None:
        data = self.conn.send(event) or b""
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise ClientError(f"send failed: {exc}") from exc

    def next_event(self) -> h11.Event:
        """The next event from the server, reading from the socket as h11 needs."""
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                try:
                    data = self.sock.recv(READ_SIZE)
                except TimeoutError as exc:
                    raise ClientError("timed out waiting for the server") from exc
                except OSError as exc:
                    raise ClientError(f"receive failed: {exc}") from exc
                self.received += len(data)
                self.conn.receive_data(data)  # b"" tells h11 about EOF
                continue
            if event is h11.PAUSED:
                raise ClientError("the server switched protocols; this client does not")
            assert isinstance(event, h11.Event)
            return event

    def read_response(self, *, reused: bool) -> Response:
        """Events up to the final response's EndOfMessage, gathered into a Response."""
        informational: list[int] = []
        while True:
            event = self.next_event()
            if isinstance(event, h11.InformationalResponse):
                informational.append(event.status_code)
                continue
            if isinstance(event, h11.Response):
                head = event
                break
            raise ClientError(f"expected a response, got {event!r}")
        body: list[bytes] = []
        size = 0
        data_events = 0
        while True:
            event = self.next_event()
            if isinstance(event, h11.Data):
                data_events += 1
                size += len(event.data)
                if size > MAX_RESPONSE_BODY:
                    raise ClientError("response body too large for this example client")
                body.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                trailers = _decode_headers(event.headers)
                break
            else:
                raise ClientError(f"unexpected {event!r} inside a response body")
        return Response(
            status=head.status_code,
            reason=head.reason.decode("latin-1"),
            http_version=head.http_version.decode("ascii"),
            headers=_decode_headers(head.headers),
            body=b"".join(body),
            informational=informational,
            data_events=data_events,
            reused_connection=reused,
            trailers=trailers,
        )

    def reusable(self) -> bool:
        """Both sides finished cleanly and nobody asked to close: keep-alive is possible."""
        return self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE


class HTTPClient:
    """Keeps one idle connection per (host, port) and reuses it while h11 allows."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, proxy: str | None = None) -> None:
        self.timeout = timeout
        #: A forward proxy URL: requests then go there, with the full URL as target.
        self.proxy = None if proxy is None else Target.from_url(proxy)
        self._idle: dict[tuple[str, int], _Connection] = {}
        #: How many TCP connections this client has opened (for demos and tests).
        self.connections_opened = 0

    def __enter__(self) -> HTTPClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for connection in self._idle.values():
            connection.close()
        self._idle.clear()

    def request(
        self,
        method: str,
        url: str,
        headers: Sequence[tuple[str, str]] = (),
        body: RequestBody = None,
    ) -> Response:
        """Send one request and return the complete response.

        A bytes body gets a Content-Length; an iterable body is streamed with
        ``Transfer-Encoding: chunked`` unless the caller set Content-Length.
        If a reused keep-alive connection turns out to be closed before any
        response byte arrived, the request is retried once on a new
        connection, but only when it is safe: the body must be replayable.
        """
        where = Target.from_url(url)
        if self.proxy is not None:
            where = Target(self.proxy.host, self.proxy.port, url, where.host_header)
        key = (where.host, where.port)
        connection = self._idle.pop(key, None)
        replayable = body is None or isinstance(body, bytes)
        if connection is not None:
            try:
                return self._exchange(connection, key, method, where, headers, body)
            except _StaleConnection:
                if not replayable:
                    raise ClientError(
                        "the kept-alive connection was closed by the server"
                    ) from None
        connection = self._open(where)
        try:
            return self._exchange(connection, key, method, where, headers, body)
        except _StaleConnection as exc:
            raise ClientError("the server closed the connection without answering") from exc

    def _open(self, where: Target) -> _Connection:
        connection = _Connection(where.host, where.port, self.timeout)
        self.connections_opened += 1
        return connection

    def _exchange(
        self,
        connection: _Connection,
        key: tuple[str, int],
        method: str,
        where: Target,
        headers: Sequence[tuple[str, str]],
        body: RequestBody,
    ) -> Response:
        reused = connection.requests_sent > 0
        all_headers = build_headers(where, headers, body)
        connection.received = 0
        try:
            connection.requests_sent += 1
            connection.send(h11.Request(method=method, target=where.target, headers=all_headers))
            for piece in _pieces(body):
                connection.send(h11.Data(data=piece))
            connection.send(h11.EndOfMessage())
            response = connection.read_response(reused=reused)
        except (ClientError, h11.ProtocolError) as exc:
            connection.close()
            # Nothing came back on a reused connection: the server had closed it.
            if reused and connection.received == 0:
                raise _StaleConnection(str(exc)) from exc
            if isinstance(exc, h11.ProtocolError):
                raise ClientError(f"protocol error: {exc}") from exc
            raise
        if connection.reusable():
            connection.conn.start_next_cycle()
            self._idle[key] = connection
        else:
            connection.close()
        return response


class _StaleConnection(Exception):
    """A reused connection died before the server answered anything."""


def build_headers(
    where: Target, headers: Sequence[tuple[str, str]], body: RequestBody
) -> HeaderList:
    """The caller's headers plus Host, User-Agent and the body's framing header."""
    result = list(headers)
    if not _has_header(result, "host"):
        result.insert(0, ("Host", where.host_header))
    if not _has_header(result, "user-agent"):
        result.append(("User-Agent", USER_AGENT))
    framed = _has_header(result, "content-length") or _has_header(result, "transfer-encoding")
    if isinstance(body, bytes) and not framed:
        result.append(("Content-Length", str(len(body))))
    elif body is not None and not framed:
        result.append(("Transfer-Encoding", "chunked"))
    return result


def _pieces(body: RequestBody) -> Iterator[bytes]:
    if body is None:
        return
    if isinstance(body, bytes):
        if body:
            yield body
        return
    for piece in body:
        if piece:
            yield piece


def fetch(
    url: str,
    method: str = "GET",
    headers: Sequence[tuple[str, str]] = (),
    body: RequestBody = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Response:
    """One request on a fresh connection."""
    with HTTPClient(timeout) as client:
        return client.request(method, url, headers, body)


def pipeline(
    url: str,
    requests: Sequence[tuple[str, str]],
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Response]:
    """Send every (method, path) request at once, then read the answers in order.

    h11 lets a client have one request in flight, so each request's bytes
    come from a scratch Connection. Each answer is then read by a Connection
    told about its request first (its bytes are dropped, they are already on
    the wire), so it knows what response to expect, e.g. no body for HEAD, and
    then given the bytes that followed the previous answer: a Connection
    refuses bytes that arrived before its own request was sent (on a connection
    that does not pipeline, they answer no request).
    """
    where = Target.from_url(url)
    events = [
        h11.Request(
            method=method,
            target=path,
            headers=build_headers(
                Target(where.host, where.port, path, where.host_header), [], None
            ),
        )
        for method, path in requests
    ]
    wire = b""
    for event in events:
        scratch = h11.Connection(h11.CLIENT)
        wire += scratch.send(event) + scratch.send(h11.EndOfMessage())
    connection = _Connection(where.host, where.port, timeout)
    responses = []
    try:
        connection.sock.sendall(wire)
        for index, event in enumerate(events):
            after_previous, eof = connection.conn.trailing_data
            if index:
                connection.conn = h11.Connection(h11.CLIENT)
            connection.conn.send(event)
            connection.conn.send(h11.EndOfMessage())
            if index:
                if after_previous:
                    connection.conn.receive_data(after_previous)
                if eof:
                    connection.conn.receive_data(b"")  # b"" is EOF
            responses.append(connection.read_response(reused=index > 0))
            if not connection.reusable():
                break
            connection.conn.start_next_cycle()
    except h11.ProtocolError as exc:
        raise ClientError(f"protocol error: {exc}") from exc
    except OSError as exc:
        raise ClientError(f"pipelining failed: {exc}") from exc
    finally:
        connection.close()
    return responses


def format_response(response: Response, *, show_body: bool = False) -> str:
    """A readable summary: status line, headers, body size."""
    lines = [f"HTTP/{response.http_version} {response.status} {response.reason}".rstrip()]
    lines += [f"{name}: {value}" for name, value in response.headers]
    lines.append(f"({len(response.body)} body bytes in {response.data_events} Data events)")
    if show_body:
        lines.append(response.body.decode("utf-8", "replace"))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch a URL with an h11-based client.")
    parser.add_argument("url", nargs="+", help="http:// URL(s); several reuse one connection")
    parser.add_argument("-X", "--method", default=None, help="default GET, or POST with -d")
    parser.add_argument("-d", "--data", default=None, help="request body ('@-' reads stdin)")
    parser.add_argument("-H", "--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("-i", "--include", action="store_true", help="print the head too")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    args = parser.parse_args(argv)
    headers: HeaderList = []
    for raw in args.header:
        name, sep, value = raw.partition(":")
        if not sep:
            parser.error(f"header {raw!r} is not 'Name: value'")
        headers.append((name.strip(), value.strip()))
    body: RequestBody = None
    if args.data == "@-":
        # Streamed from stdin in pieces: sent chunked, never held in memory whole.
        body = iter(lambda: sys.stdin.buffer.read(16 * 1024), b"")
    elif args.data is not None:
        body = args.data.encode()
    method = args.method or ("POST" if body is not None else "GET")
    failed = False
    with HTTPClient(args.timeout) as client:
        for url in args.url:
            try:
                response = client.request(method, url, headers, body)
            except ClientError as exc:
                print(f"error: {url}: {exc}", file=sys.stderr)
                failed = True
                continue
            if args.include:
                print(format_response(response), file=sys.stderr)
            sys.stdout.buffer.write(response.body)
            sys.stdout.flush()
            failed = failed or response.status >= 400
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
