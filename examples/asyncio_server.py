"""An HTTP/1.1 server on asyncio streams, built on the sans-I/O `h11` package.

The server shows what a real one has to take care of around the protocol
machine: keep-alive and pipelining, chunked bodies both ways, 100-continue,
HEAD, timeouts, and answering protocol errors with a 4xx plus
``Connection: close`` (the connection state is unknowable after a framing
error, so it must not be reused).

Run it::

    python examples/asyncio_server.py --host 127.0.0.1 --port 0

The first stdout line is exactly ``listening on http://HOST:PORT``.

Routes (handy for demos and tests):

==================  ============================================================
``/``               a small HTML page that loads a stylesheet, images and a script
``/echo``           the request body back (any method), ``X-Echo-Method`` header
``/chunked?n=N``    a chunked response of N lines
``/stream?n=N``     N chunks written with a short pause in between
``/headers``        the request's headers as JSON
``/conn``           JSON: which connection and which request on it this is
``/stats``          JSON: connections and requests served so far
``/status/NNN``     an empty response with that status
``/style.css``, ``/app.js``, ``/img/N.svg``   the page's resources
==================  ============================================================
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http
import json
import signal
import sys
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

try:  # this project's h11 API under its own name; PyPI's h11 works too (tools/load compares)
    import h11_connection as h11
except ImportError:
    import h11  # type: ignore[no-redef]

SERVER_NAME = f"h11-example-asyncio-server ({h11.PRODUCT_ID})"
#: Largest request body we accept (a real server makes this configurable).
MAX_BODY = 1024 * 1024
#: How many bytes we ask the socket for at a time.
READ_SIZE = 64 * 1024
#: Keep-alive and read timeouts, in seconds.
DEFAULT_TIMEOUT = 15.0
#: Upper bounds on what a query string may ask for, so a request cannot make us loop for long.
MAX_CHUNKS = 1000
IMAGE_COUNT = 8

Body = bytes | AsyncIterator[bytes]


class ClientGone(Exception):
    """The peer went away (EOF or reset): there is nobody left to answer."""


@dataclass
class Reply:
    """What a route answers: the body is either all bytes or streamed."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: Body = b""
    #: Close the connection after this response (e.g. we did not read the body).
    close: bool = False


@dataclass
class Stats:
    """Counters a test or the demo can read back over HTTP (``/stats``)."""

    connections: int = 0
    requests: int = 0
    max_requests_per_connection: int = 0
    protocol_errors: int = 0
    timeouts: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _reason(status: int) -> bytes:
    try:
        return http.HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


def _html_page() -> bytes:
    images = "\n".join(
        f'    <img src="/img/{i}.svg" alt="tile {i}" width="32" height="32">'
        for i in range(1, IMAGE_COUNT + 1)
    )
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>h11 example server</title>
  <link rel="stylesheet" href="/style.css">
  <link rel="icon" href="data:,">
</head>
<body>
  <h1>Hello from h11</h1>
  <p>This page was served by an asyncio server built on the sans-I/O h11 library.</p>
  <div id="tiles">
{images}
  </div>
  <p id="status">waiting for the page to load</p>
  <p>Try: <a href="/chunked?n=5">/chunked</a> (a chunked response),
    <a href="/stream?n=10">/stream</a> (streamed with pauses),
    <a href="/headers">/headers</a> (your request's headers),
    <a href="/conn">/conn</a> (keep-alive: which connection served you),
    <a href="/stats">/stats</a>; POST anything to /echo.</p>
  <script src="/app.js"></script>
</body>
</html>
""".encode()


STYLE = b"body { font-family: sans-serif; margin: 2em; } img { margin: 2px; }\n"
APP_JS = b"""// Runs once every image has loaded (or failed), then reports what it saw.
window.addEventListener("load", function () {
  var images = document.querySelectorAll("#tiles img");
  var ok = 0;
  for (var i = 0; i < images.length; i++) {
    if (images[i].complete && images[i].naturalWidth > 0) { ok++; }
  }
  var css = getComputedStyle(document.body).fontFamily.indexOf("sans-serif") >= 0;
  document.getElementById("status").textContent =
    "loaded " + ok + "/" + images.length + " images, stylesheet " + (css ? "applied" : "missing");
});
"""


def _svg(number: int) -> bytes:
    hue = (number * 45) % 360
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32">'
        f'<rect width="32" height="32" fill="hsl({hue},70%,50%)"/></svg>'
    ).encode()


class Handler:
    """One connection: the h11 state machine plus the stream it talks over."""

    def __init__(
        self,
        server: ExampleServer,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        conn_id: int,
    ) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.conn_id = conn_id
        self.conn = h11.Connection(h11.SERVER)
        self.requests_here = 0

    # -- I/O helpers -------------------------------------------------------------------------

    async def send(self, event: h11.Event) -> None:
        """Serialise one event with h11 and push the bytes out, with a timeout."""
        data = self.conn.send(event) or b""
        if data:
            self.writer.write(data)
            try:
                await asyncio.wait_for(self.writer.drain(), self.server.timeout)
            except (ConnectionError, asyncio.TimeoutError) as exc:
                raise ClientGone(str(exc)) from exc

    async def next_event(self) -> h11.Event | type[h11.PAUSED]:
        """The next event from the peer, reading from the socket when h11 needs more bytes."""
        while True:
            event = self.conn.next_event()
            if isinstance(event, h11.Event) or event is h11.PAUSED:
                return event
            try:
                data = await asyncio.wait_for(self.reader.read(READ_SIZE), self.server.timeout)
            except ConnectionError as exc:
                raise ClientGone(str(exc)) from exc
            # b"" is EOF: h11 turns it into ConnectionClosed or a RemoteProtocolError.
            self.conn.receive_data(data)

    # -- the connection loop -----------------------------------------------------------------

    async def run(self) -> None:
        """Serve requests until the peer or the protocol says the connection is done."""
        try:
            while await self.serve_one():
                self.conn.start_next_cycle()
        except ClientGone:
            pass
        except Exception:
            # A bug in a route (or an event h11 refused to send): log it, answer 500 if
            # no response has started, and drop the connection rather than leave it hanging.
            traceback.print_exc()
            await self.simple_error(500, "internal server error\n")
        finally:
            self.writer.close()
            with contextlib.suppress(ConnectionError, asyncio.TimeoutError):
                await asyncio.wait_for(self.writer.wait_closed(), 1.0)

    async def serve_one(self) -> bool:
        """One request/response cycle; True when the connection may carry another."""
        try:
            event = await self.next_event()
        except asyncio.TimeoutError:
            # Idle keep-alive connection (or a client stuck mid-head): just hang up.
            self.server.stats.timeouts += 1
            return False
        except h11.RemoteProtocolError as exc:
            await self.protocol_error(exc)
            return False
        if isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
            return False
        assert isinstance(event, h11.Request), event
        self.requests_here += 1
        stats = self.server.stats
        stats.requests += 1
        stats.max_requests_per_connection = max(
            stats.max_requests_per_connection, self.requests_here
        )
        try:
            reply = await self.server.route(self, event)
            await self.respond(event, reply)
            if reply.close:
                return False
            # The route may have answered without reading the whole body: read the rest
            # (h11 only starts the next cycle once both sides are DONE).
            await self.discard_body()
        except asyncio.TimeoutError:
            self.server.stats.timeouts += 1
            await self.simple_error(408, "timed out reading the request\n")
            return False
        except h11.RemoteProtocolError as exc:
            await self.protocol_error(exc)
            return False
        return self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE

    async def read_body(self, limit: int = MAX_BODY) -> bytes | None:
        """The whole request body, or None when it is larger than ``limit``.

        Sends ``100 Continue`` first if the client is waiting for it: reading
        the body is exactly the moment we decide we want it.
        """
        if self.conn.they_are_waiting_for_100_continue:
            await self.send(
                h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")
            )
        chunks: list[bytes] = []
        size = 0
        while True:
            event = await self.next_event()
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size > limit:
                    return None
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return b"".join(chunks)
            else:
                raise ClientGone(f"unexpected {event!r} inside a request body")

    async def discard_body(self) -> None:
        """Read and drop what is left of the request body, up to a bound."""
        remaining = MAX_BODY
        while self.conn.their_state is h11.SEND_BODY and remaining > 0:
            event = await self.next_event()
            if isinstance(event, h11.Data):
                remaining -= len(event.data)
            elif not isinstance(event, h11.EndOfMessage):
                return

    async def respond(self, request: h11.Request, reply: Reply) -> None:
        """Send a Reply: head, then the body (none for HEAD), then EndOfMessage."""
        headers = [("Server", SERVER_NAME), *reply.headers]
        if reply.close:
            headers.append(("Connection", "close"))
        body = reply.body
        if isinstance(body, bytes):
            headers.append(("Content-Length", str(len(body))))
        # A streamed body has no Content-Length: h11 frames it chunked for HTTP/1.1
        # peers and close-delimited (adding Connection: close) for HTTP/1.0 ones.
        if self.conn.they_are_waiting_for_100_continue:
            # We answer without having asked for the body; the client may still send
            # it, and we cannot tell where it ends unless we read it: close instead.
            headers.append(("Connection", "close"))
            reply.close = True
        await self.send(
            h11.Response(status_code=reply.status, headers=headers, reason=_reason(reply.status))
        )
        if request.method != b"HEAD":
            if isinstance(body, bytes):
                if body:
                    await self.send(h11.Data(data=body))
            else:
                async for piece in body:
                    if piece:
                        await self.send(h11.Data(data=piece))
        elif not isinstance(body, bytes):
            await _close_iterator(body)
        await self.send(h11.EndOfMessage())

    async def simple_error(self, status: int, message: str) -> None:
        """A short plain-text error with Connection: close, if h11 still lets us answer."""
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return  # We are mid-response already: all we can do is close.
        body = message.encode()
        try:
            await self.send(
                h11.Response(
                    status_code=status,
                    headers=[
                        ("Server", SERVER_NAME),
                        ("Content-Type", "text/plain; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                        ("Connection", "close"),
                    ],
                    reason=_reason(status),
                )
            )
            await self.send(h11.Data(data=body))
            await self.send(h11.EndOfMessage())
        except (h11.LocalProtocolError, ClientGone):
            pass

    async def protocol_error(self, exc: h11.RemoteProtocolError) -> None:
        """Answer a malformed request with the status h11 suggests, then close."""
        self.server.stats.protocol_errors += 1
        status = exc.error_status_hint
        if self.server.verbose:
            print(f"[{self.conn_id}] protocol error {status}: {exc}", file=sys.stderr)
        await self.simple_error(status, f"{status} {_reason(status).decode()}: {exc}\n")


async def _close_iterator(body: AsyncIterator[bytes]) -> None:
    aclose = getattr(body, "aclose", None)
    if aclose is not None:
        await aclose()


def _json(data: object, status: int = 200) -> Reply:
    body = json.dumps(data, indent=1, sort_keys=True).encode() + b"\n"
    return Reply(status, [("Content-Type", "application/json")], body)


def _text(status: int, text: str, close: bool = False) -> Reply:
    return Reply(status, [("Content-Type", "text/plain; charset=utf-8")], text.encode(), close)


def _int_param(query: dict[str, list[str]], name: str, default: int, upper: int) -> int:
    try:
        value = int(query.get(name, [str(default)])[0])
    except ValueError:
        return default
    return max(0, min(value, upper))


Route = Callable[[Handler, h11.Request, dict[str, list[str]]], Awaitable[Reply]]


class ExampleServer:
    """The routes plus the counters; ``start`` binds it to a host and port."""

    def __init__(
        self, *, timeout: float = DEFAULT_TIMEOUT, stream_delay: float = 0.05, verbose: bool = False
    ) -> None:
        self.timeout = timeout
        self.stream_delay = stream_delay
        self.verbose = verbose
        self.stats = Stats()
        self._tasks: set[asyncio.Task[None]] = set()
        self._routes: dict[str, Route] = {
            "/": self.page,
            "/echo": self.echo,
            "/chunked": self.chunked,
            "/stream": self.stream,
            "/headers": self.headers,
            "/conn": self.connection_info,
            "/stats": self.stats_route,
            "/style.css": self.style,
            "/app.js": self.script,
        }

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> asyncio.Server:
        return await asyncio.start_server(self._accept, host, port)

    def add_route(self, path: str, route: Route) -> None:
        """Serve ``path`` with ``route`` (an async function returning a Reply)."""
        self._routes[path] = route

    async def close_connections(self) -> None:
        """Cancel every connection task (keep-alive ones would otherwise linger)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.stats.connections += 1
        handler = Handler(self, reader, writer, self.stats.connections)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await handler.run()
        except asyncio.CancelledError:
            # Shutdown (close_connections). Ending normally instead of re-raising keeps
            # asyncio's stream callback from logging the cancellation as an error (3.11).
            pass
        finally:
            self._tasks.discard(task)

    async def route(self, handler: Handler, request: h11.Request) -> Reply:
        """Pick the route for a request; unknown paths get 404."""
        if self.verbose:
            print(
                f"[{handler.conn_id}] {request.method.decode()} {request.target.decode()}"
                f" HTTP/{request.http_version.decode()}",
                file=sys.stderr,
            )
        parts = urlsplit(request.target.decode("ascii", "replace"))
        query = parse_qs(parts.query)
        path = parts.path
        route = self._routes.get(path)
        if route is not None:
            if request.method not in (b"GET", b"HEAD") and path != "/echo":
                return Reply(405, [("Allow", "GET, HEAD")], b"", close=False)
            return await route(handler, request, query)
        if path.startswith("/img/") and path.endswith(".svg"):
            number = path[len("/img/") : -len(".svg")]
            if number.isdigit() and 1 <= int(number) <= IMAGE_COUNT:
                return Reply(200, [("Content-Type", "image/svg+xml")], _svg(int(number)))
        if path.startswith("/status/") and path[len("/status/") :].isdigit():
            status = int(path[len("/status/") :])
            if 200 <= status <= 599:
                return Reply(status, [], b"")
        return _text(404, f"no route for {path}\n")

    async def page(self, handler: Handler, request: h11.Request, q: dict[str, list[str]]) -> Reply:
        return Reply(200, [("Content-Type", "text/html; charset=utf-8")], _html_page())

    async def style(self, handler: Handler, request: h11.Request, q: dict[str, list[str]]) -> Reply:
        return Reply(200, [("Content-Type", "text/css")], STYLE)

    async def script(
        self, handler: Handler, request: h11.Request, q: dict[str, list[str]]
    ) -> Reply:
        return Reply(200, [("Content-Type", "text/javascript")], APP_JS)

    async def echo(self, handler: Handler, request: h11.Request, q: dict[str, list[str]]) -> Reply:
        declared = [v for n, v in request.headers if n == b"content-length"]
        # h11 has validated the value already; a list of equal values counts once.
        if declared and int(declared[0].split(b",")[0]) > MAX_BODY:
            # Refuse before reading (and before any 100 Continue): the client need not send it.
            return _text(413, f"request body larger than {MAX_BODY} bytes\n", close=True)
        body = await handler.read_body()
        if body is None:
            # We stopped reading mid-body, so the connection cannot be reused.
            return _text(413, f"request body larger than {MAX_BODY} bytes\n", close=True)
        content_type = "application/octet-stream"
        for name, value in request.headers:
            if name == b"content-type":
                content_type = value.decode("latin-1")
        return Reply(
            200,
            [("Content-Type", content_type), ("X-Echo-Method", request.method.decode())],
            body,
        )

    async def chunked(
        self, handler: Handler, request: h11.Request, q: dict[str, list[str]]
    ) -> Reply:
        count = _int_param(q, "n", 5, MAX_CHUNKS)

        async def lines() -> AsyncIterator[bytes]:
            for i in range(count):
                yield f"chunk {i + 1} of {count}\n".encode()

        return Reply(
            200, [("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")], lines()
        )

    async def stream(
        self, handler: Handler, request: h11.Request, q: dict[str, list[str]]
    ) -> Reply:
        count = _int_param(q, "n", 5, MAX_CHUNKS)
        delay = self.stream_delay

        async def ticks() -> AsyncIterator[bytes]:
            for i in range(count):
                if i:
                    await asyncio.sleep(delay)
                yield f"tick {i + 1}\n".encode()

        return Reply(200, [("Content-Type", "text/plain")], ticks())

    async def headers(
        self, handler: Handler, request: h11.Request, q: dict[str, list[str]]
    ) -> Reply:
        return _json(
            {
                "method": request.method.decode(),
                "target": request.target.decode("ascii", "replace"),
                "http_version": request.http_version.decode(),
                "headers": [[n.decode("latin-1"), v.decode("latin-1")] for n, v in request.headers],
            }
        )

    async def connection_info(
        self, handler: Handler, request: h11.Request, q: dict[str, list[str]]
    ) -> Reply:
        return _json({"connection": handler.conn_id, "request": handler.requests_here})

    async def stats_route(
        self, handler: Handler, request: h11.Request, q: dict[str, list[str]]
    ) -> Reply:
        return _json(self.stats.as_dict())


async def serve(
    host: str = "127.0.0.1", port: int = 0, *, timeout: float = DEFAULT_TIMEOUT
) -> asyncio.Server:
    """Start an ExampleServer and return the listening asyncio.Server."""
    return await ExampleServer(timeout=timeout).start(host, port)


def bound_address(server: asyncio.Server) -> tuple[str, int]:
    """The (host, port) the server actually listens on (port 0 picks a free one)."""
    sockname = server.sockets[0].getsockname()
    return str(sockname[0]), int(sockname[1])


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def main_async(host: str, port: int, timeout: float, verbose: bool) -> None:
    app = ExampleServer(timeout=timeout, verbose=verbose)
    server = await app.start(host, port)
    print(f"listening on {url_for(*bound_address(server))}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        server.close()
        await app.close_connections()
        await server.wait_closed()


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(None if argv is None else list(argv))
    asyncio.run(main_async(args.host, args.port, args.timeout, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
