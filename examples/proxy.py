"""A forward HTTP proxy on asyncio, built on two `h11` Connections per client.

Each client connection gets an ``h11.Connection(h11.SERVER)``; each upstream
connection an ``h11.Connection(h11.CLIENT)``. Events flow from one to the
other, never raw bytes, so both sides are parsed and re-framed: a smuggling
attempt that one side would read differently from the other cannot pass
through, and hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding,
Upgrade, ...) are dropped as RFC 9110 section 7.6.1 requires.

``CONNECT host:port`` opens a tunnel: h11 reports the protocol switch and hands
back the bytes after the request (``trailing_data``), then the proxy copies
bytes both ways.

By default only loopback hosts may be reached: an open proxy is an open relay.

Run it::

    python examples/proxy.py --port 0
    curl -x http://127.0.0.1:PORT http://127.0.0.1:8000/
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http
import signal
import sys
import traceback
from collections.abc import Iterable
from urllib.parse import urlsplit

import h11_connection as h11

VIA = "1.1 h11-example-proxy"
READ_SIZE = 64 * 1024
DEFAULT_TIMEOUT = 15.0
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
#: Headers that describe one hop, not the message (RFC 9110 7.6.1), plus the proxy's own.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"expect",
    }
)


class Gone(Exception):
    """One side went away or timed out: stop relaying."""


class UpstreamFailed(Exception):
    """The origin could not be reached or answered badly; carries the status for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _reason(status: int) -> bytes:
    try:
        return http.HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


def end_to_end_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Drop hop-by-hop headers, including any that ``Connection`` names."""
    pairs = list(headers)
    named = {
        token.strip().lower()
        for name, value in pairs
        if name == b"connection"
        for token in value.split(b",")
    }
    return [(n, v) for n, v in pairs if n not in HOP_BY_HOP and n not in named]


def _has(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bool:
    return any(n == name for n, _ in headers)


class Peer:
    """One TCP stream and the h11 Connection that speaks over it."""

    def __init__(
        self,
        role: type[h11.CLIENT] | type[h11.SERVER],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        timeout: float,
    ) -> None:
        self.conn = h11.Connection(role)
        self.reader = reader
        self.writer = writer
        self.timeout = timeout

    async def send(self, event: h11.Event) -> None:
        data = self.conn.send(event) or b""
        if data:
            self.writer.write(data)
            try:
                await asyncio.wait_for(self.writer.drain(), self.timeout)
            except (ConnectionError, asyncio.TimeoutError) as exc:
                raise Gone(f"write failed: {exc!r}") from exc

    async def next_event(self) -> h11.Event | type[h11.PAUSED]:
        while True:
            event = self.conn.next_event()
            if isinstance(event, h11.Event) or event is h11.PAUSED:
                return event
            try:
                data = await asyncio.wait_for(self.reader.read(READ_SIZE), self.timeout)
            except ConnectionError as exc:
                raise Gone(f"read failed: {exc!r}") from exc
            self.conn.receive_data(data)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, asyncio.TimeoutError):
            await asyncio.wait_for(self.writer.wait_closed(), 1.0)


class ProxyServer:
    """Accepts client connections and relays each request to its origin."""

    def __init__(
        self,
        *,
        allowed_hosts: Iterable[str] | None = LOOPBACK,
        timeout: float = DEFAULT_TIMEOUT,
        verbose: bool = False,
    ) -> None:
        #: None allows every host.
        self.allowed_hosts = None if allowed_hosts is None else frozenset(allowed_hosts)
        self.timeout = timeout
        self.verbose = verbose
        self.requests = 0
        self.upstream_connections = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> asyncio.Server:
        return await asyncio.start_server(self._accept, host, port)

    async def close_connections(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        client = Peer(h11.SERVER, reader, writer, self.timeout)
        session = _Session(self, client)
        try:
            await session.run()
        except asyncio.CancelledError:
            # Shutdown (close_connections). Ending normally instead of re-raising keeps
            # asyncio's stream callback from logging the cancellation as an error (3.11).
            pass
        finally:
            self._tasks.discard(task)
            await session.close()

    def allowed(self, host: str) -> bool:
        return self.allowed_hosts is None or host.lower() in self.allowed_hosts


class _Session:
    """One client connection, plus the upstream connection it is currently using."""

    def __init__(self, proxy: ProxyServer, client: Peer) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream: Peer | None = None
        self.upstream_key: tuple[str, int] | None = None

    async def close(self) -> None:
        await self.client.close()
        await self._drop_upstream()

    async def _drop_upstream(self) -> None:
        if self.upstream is not None:
            await self.upstream.close()
        self.upstream = None
        self.upstream_key = None

    async def run(self) -> None:
        try:
            while await self.relay_one():
                self.client.conn.start_next_cycle()
        except Gone as exc:
            if self.proxy.verbose:
                print(f"proxy: connection ended: {exc}", file=sys.stderr)
        except Exception:
            # A bug, or an event h11 refused to send: log it and drop the connection.
            traceback.print_exc()
            await self.error(500, "internal proxy error")

    async def relay_one(self) -> bool:
        """One request/response exchange; True when the client connection may go on."""
        try:
            event = await self.client.next_event()
        except asyncio.TimeoutError:
            return False
        except h11.RemoteProtocolError as exc:
            await self.error(exc.error_status_hint, f"bad request: {exc}")
            return False
        if not isinstance(event, h11.Request):
            return False
        self.proxy.requests += 1
        if self.proxy.verbose:
            print(f"proxy: {event.method.decode()} {event.target.decode()}", file=sys.stderr)
        try:
            if event.method == b"CONNECT":
                await self.tunnel(event)
                return False
            await self.forward(event)
        except UpstreamFailed as exc:
            await self.error(exc.status, str(exc))
            return False
        except asyncio.TimeoutError:
            await self.error(408, "timed out reading the request")
            return False
        except h11.RemoteProtocolError as exc:
            # Raised by the client side (the upstream side is wrapped in UpstreamFailed).
            await self.error(exc.error_status_hint, f"bad request: {exc}")
            return False
        conn = self.client.conn
        return conn.our_state is h11.DONE and conn.their_state is h11.DONE

    async def error(self, status: int, message: str) -> None:
        """Answer the client with an error and Connection: close, if still possible."""
        if self.client.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        body = f"{status} {_reason(status).decode()}: {message}\n".encode()
        with contextlib.suppress(Gone, h11.LocalProtocolError):
            await self.client.send(
                h11.Response(
                    status_code=status,
                    reason=_reason(status),
                    headers=[
                        ("Via", VIA),
                        ("Content-Type", "text/plain; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                        ("Connection", "close"),
                    ],
                )
            )
            await self.client.send(h11.Data(data=body))
            await self.client.send(h11.EndOfMessage())

    async def connect_upstream(self, host: str, port: int) -> Peer:
        """The kept-alive upstream connection for (host, port), or a new one."""
        key = (host, port)
        upstream = self.upstream
        if upstream is not None and self.upstream_key == key:
            conn = upstream.conn
            if conn.our_state is h11.IDLE and conn.their_state is h11.IDLE:
                return upstream
        await self._drop_upstream()
        if not self.proxy.allowed(host):
            raise UpstreamFailed(403, f"this proxy does not connect to {host}")
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port), self.proxy.timeout
            )
        except asyncio.TimeoutError as exc:
            raise UpstreamFailed(504, f"timed out connecting to {host}:{port}") from exc
        except OSError as exc:
            raise UpstreamFailed(502, f"cannot connect to {host}:{port}: {exc}") from exc
        self.proxy.upstream_connections += 1
        self.upstream = Peer(h11.CLIENT, reader, writer, self.proxy.timeout)
        self.upstream_key = key
        return self.upstream

    async def forward(self, request: h11.Request) -> None:
        """Relay one request and its response, event by event."""
        parts = urlsplit(request.target.decode("ascii"))
        if parts.scheme != "http" or not parts.hostname:
            raise UpstreamFailed(400, "a forward proxy needs an absolute http:// target")
        try:
            port = parts.port or 80
        except ValueError as exc:
            raise UpstreamFailed(400, f"bad port in {parts.netloc!r}") from exc
        origin_target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # Host must name the origin (RFC 9112 3.2.2), whatever the client sent.
        headers = [(n, v) for n, v in end_to_end_headers(request.headers) if n != b"host"]
        headers.insert(0, (b"host", parts.netloc.rpartition("@")[2].encode("ascii")))
        headers.append((b"via", VIA.encode()))
        has_body = _has(request.headers, b"transfer-encoding") or _has(
            request.headers, b"content-length"
        )
        if has_body and not _has(headers, b"content-length"):
            headers.append((b"transfer-encoding", b"chunked"))
        upstream = await self.connect_upstream(parts.hostname, port)
        if self.client.conn.they_are_waiting_for_100_continue:
            # We want the body (we are about to forward it), so say so right away.
            await self.client.send(
                h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")
            )
        try:
            await upstream.send(
                h11.Request(method=request.method, target=origin_target, headers=headers)
            )
        except Gone as exc:
            raise UpstreamFailed(502, f"upstream write failed: {exc}") from exc
        await self._copy_request_body(upstream)
        await self._relay_response(upstream, request)
        if upstream.conn.our_state is h11.DONE and upstream.conn.their_state is h11.DONE:
            upstream.conn.start_next_cycle()
        else:
            await self._drop_upstream()

    async def _copy_request_body(self, upstream: Peer) -> None:
        while True:
            event = await self.client.next_event()
            try:
                if isinstance(event, h11.Data):
                    await upstream.send(h11.Data(data=bytes(event.data)))
                elif isinstance(event, h11.EndOfMessage):
                    # Trailers are dropped: we did not announce them upstream.
                    await upstream.send(h11.EndOfMessage())
                    return
                else:
                    raise Gone(f"unexpected {event!r} in a request body")
            except Gone as exc:
                raise UpstreamFailed(502, f"upstream write failed: {exc}") from exc

    async def _upstream_event(self, upstream: Peer) -> h11.Event:
        try:
            event = await upstream.next_event()
        except asyncio.TimeoutError as exc:
            raise UpstreamFailed(504, "the origin did not answer in time") from exc
        except (Gone, h11.RemoteProtocolError) as exc:
            raise UpstreamFailed(502, f"bad answer from the origin: {exc}") from exc
        if not isinstance(event, h11.Event):
            raise UpstreamFailed(502, "the origin switched protocols")
        return event

    async def _relay_response(self, upstream: Peer, request: h11.Request) -> None:
        while True:
            event = await self._upstream_event(upstream)
            if isinstance(event, h11.InformationalResponse):
                if event.status_code == 100:
                    continue  # We already told the client to go on.
                headers = end_to_end_headers(event.headers)
                await self.client.send(
                    h11.InformationalResponse(
                        status_code=event.status_code, headers=headers, reason=event.reason
                    )
                )
                continue
            if isinstance(event, h11.Response):
                break
            raise UpstreamFailed(502, f"expected a response from the origin, got {event!r}")
        headers = end_to_end_headers(event.headers)
        headers.append((b"via", VIA.encode()))
        # No Content-Length: h11 frames the body chunked for HTTP/1.1 clients, or
        # close-delimited for HTTP/1.0 ones, whatever framing the origin used.
        await self.client.send(
            h11.Response(status_code=event.status_code, headers=headers, reason=event.reason)
        )
        while True:
            try:
                body_event = await self._upstream_event(upstream)
            except UpstreamFailed:
                # Mid-body there is no way to tell the client but to cut the connection.
                raise Gone("the origin failed mid-response") from None
            if isinstance(body_event, h11.Data):
                await self.client.send(h11.Data(data=bytes(body_event.data)))
            elif isinstance(body_event, h11.EndOfMessage):
                await self.client.send(h11.EndOfMessage())
                return
            else:
                raise Gone(f"unexpected {body_event!r} in a response body")

    async def tunnel(self, request: h11.Request) -> None:
        """CONNECT: answer 200, then copy raw bytes both ways until one side closes."""
        host, sep, port_text = request.target.decode("ascii").rpartition(":")
        host = host.strip("[]")
        if not sep or not port_text.isdigit() or not host:
            raise UpstreamFailed(400, "CONNECT needs a host:port target")
        # Read up to the request's end, so that h11 sees the switch proposal complete.
        while True:
            event = await self.client.next_event()
            if isinstance(event, h11.EndOfMessage):
                break
            if not isinstance(event, h11.Data):
                raise UpstreamFailed(400, "CONNECT request ended unexpectedly")
        upstream = await self.connect_upstream(host, int(port_text))
        self.upstream = None  # The tunnel owns it now; no h11 on it any more.
        self.upstream_key = None
        await self.client.send(
            h11.Response(status_code=200, reason=b"Connection established", headers=[("Via", VIA)])
        )
        if self.client.conn.our_state is not h11.SWITCHED_PROTOCOL:
            await upstream.close()
            raise Gone("h11 did not switch protocols after 200 to CONNECT")
        leftover, _ = self.client.conn.trailing_data
        try:
            if leftover:
                upstream.writer.write(bytes(leftover))
            await asyncio.gather(
                _pipe(self.client.reader, upstream.writer, self.proxy.timeout),
                _pipe(upstream.reader, self.client.writer, self.proxy.timeout),
            )
        finally:
            await upstream.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, timeout: float) -> None:
    """Copy bytes until EOF or an idle timeout, then half-close the other side."""
    try:
        while True:
            data = await asyncio.wait_for(reader.read(READ_SIZE), timeout)
            if not data:
                break
            writer.write(data)
            await asyncio.wait_for(writer.drain(), timeout)
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, asyncio.TimeoutError, OSError):
        writer.close()


def url_for(server: asyncio.Server) -> str:
    host, port = server.sockets[0].getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def main_async(host: str, port: int, allow_any: bool, verbose: bool) -> None:
    proxy = ProxyServer(allowed_hosts=None if allow_any else LOOPBACK, verbose=verbose)
    server = await proxy.start(host, port)
    print(f"listening on {url_for(server)}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        server.close()
        await proxy.close_connections()
        await server.wait_closed()


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A forward HTTP proxy built on h11.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument(
        "--allow-any-host", action="store_true", help="relay to any host, not only loopback"
    )
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(None if argv is None else list(argv))
    asyncio.run(main_async(args.host, args.port, args.allow_any_host, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
