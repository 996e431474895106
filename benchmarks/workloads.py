"""Benchmark workloads, run as a worker inside a venv that has some `h11` installed.

run.py starts this file once in the candidate's venv and once in the reference's
venv, so both are measured by the very same code; it uses h11's public API only.
Commands arrive on stdin as one JSON object per line and each gets one JSON line
back on stdout (see `handle`). Every workload checks the events it gets, cheaply,
because the timing of a broken code path is worthless.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import traceback
import tracemalloc
from collections.abc import Callable
from typing import Any, TextIO, cast

try:  # the implementation under test: ours where installed, else PyPI's (reference venv)
    import h11_connection as h11
except ImportError:
    import h11  # type: ignore[no-redef]

#: Upper bound on operations per measurement, so calibration always ends.
MAX_OPS = 10_000_000
#: Upper bound on calibration steps (each at least doubles the count).
MAX_CALIBRATION_STEPS = 40
#: The clocks a measurement can use. CPU time of this thread is the default: on a
#: shared machine it leaves out the time other processes hold the core.
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.thread_time, "wall": time.perf_counter}
CLOCK = [time.thread_time]  # the one in use, set per command

Send = Callable[[Any], bytes]
NextEvent = Callable[[], Any]


class WorkloadError(Exception):
    """The library under test produced something other than what the workload expects."""


class Unavailable(Exception):
    """The library under test lacks an optional feature (e.g. plugins)."""


def _check(ok: bool, what: str) -> None:
    """Raise WorkloadError unless `ok`: never an `assert`, which -O would strip."""
    if not ok:
        raise WorkloadError(what)


# --------------------------------------------------------------------------- wire data

BROWSER_TARGET = b"/articles/2024/http-parsing?ref=home"
#: 13 header fields as a current desktop browser sends them for a page load.
BROWSER_HEADERS: list[tuple[bytes, bytes]] = [
    (b"Host", b"www.example.com"),
    (b"User-Agent", b"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
    (b"Accept", b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    (b"Accept-Language", b"en-US,en;q=0.5"),
    (b"Accept-Encoding", b"gzip, deflate, br, zstd"),
    (b"Referer", b"https://www.example.com/"),
    (b"Connection", b"keep-alive"),
    (b"Cookie", b"session=3f9a1c2e7b; theme=dark; _ga=GA1.2.123456789.1700000000"),
    (b"Upgrade-Insecure-Requests", b"1"),
    (b"Sec-Fetch-Dest", b"document"),
    (b"Sec-Fetch-Mode", b"navigate"),
    (b"Sec-Fetch-Site", b"same-origin"),
    (b"Priority", b"u=0, i"),
]
#: 27 more fields a request picks up behind proxies and API gateways: 40 in all.
PROXY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"X-Forwarded-For", b"203.0.113.7, 198.51.100.23"),
    (b"X-Forwarded-Proto", b"https"),
    (b"X-Forwarded-Host", b"www.example.com"),
    (b"X-Real-IP", b"203.0.113.7"),
    (b"X-Request-ID", b"9b2f6c1e-4a8d-4f0e-b3c7-5d6e7f8a9b0c"),
    (b"Traceparent", b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    (b"Tracestate", b"congo=t61rcWkgMzE"),
    (b"Via", b"1.1 edge-proxy-3"),
    (b"Forwarded", b"for=203.0.113.7;proto=https;by=198.51.100.1"),
    (b"Cache-Control", b"no-cache"),
    (b"Pragma", b"no-cache"),
    (b"DNT", b"1"),
    (b"Sec-CH-UA", b'"Chromium";v="128", "Not;A=Brand";v="24"'),
    (b"Sec-CH-UA-Mobile", b"?0"),
    (b"Sec-CH-UA-Platform", b'"Linux"'),
    (b"If-None-Match", b'W/"5e15153d-120f"'),
    (b"If-Modified-Since", b"Tue, 05 Nov 2024 08:12:31 GMT"),
    (b"Origin", b"https://www.example.com"),
] + [(b"X-Gateway-Attr-%02d" % i, b"value-%02d-abcdef" % i) for i in range(9)]
#: 10 header fields of a typical static-file response (Content-Length filled in later).
RESPONSE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"Date", b"Tue, 05 Nov 2024 08:12:31 GMT"),
    (b"Server", b"bench/1.0"),
    (b"Content-Type", b"text/html; charset=utf-8"),
    (b"Content-Length", b""),
    (b"Cache-Control", b"public, max-age=3600"),
    (b"ETag", b'"5e15153d-400"'),
    (b"Last-Modified", b"Mon, 04 Nov 2024 10:00:00 GMT"),
    (b"Vary", b"Accept-Encoding"),
    (b"X-Content-Type-Options", b"nosniff"),
    (b"Strict-Transport-Security", b"max-age=63072000; includeSubDomains"),
]
HELLO = b"Hello, world!"  # the 13-byte body of the basic cycle


def head_bytes(start_line: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    """Serialise a head the way HTTP/1.1 puts it on the wire."""
    lines = [start_line] + [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def request_bytes(target: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    return head_bytes(b"GET " + target + b" HTTP/1.1", headers)


def numbered_headers(count: int) -> list[tuple[bytes, bytes]]:
    """`count` fields (Host first), all the same length so bytes grow exactly with count."""
    return [(b"Host", b"bench.example")] + [
        (b"X-Header-%06d" % i, b"value-%06d" % i) for i in range(1, count)
    ]


def chunked_response(chunk: bytes, count: int) -> bytes:
    head = head_bytes(b"HTTP/1.1 200 OK", [(b"Transfer-Encoding", b"chunked")])
    return head + (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * count + b"0\r\n\r\n"


# --------------------------------------------------------------------------- benches


class Bench:
    """A workload prepared once; `run(n)` performs n operations, returns the seconds taken."""

    def __init__(
        self, run: Callable[[int], float], stats: Callable[[], dict[str, float]] | None = None
    ) -> None:
        self.run = run
        self.stats = stats
        self.ops_per_measurement = 0  # set by the first measurement (calibration)


def _timed(body: Callable[[int], None]) -> Callable[[int], float]:
    """Wrap a loop of n operations so it returns its wall time."""

    def run(n: int) -> float:
        start = CLOCK[0]()
        body(n)
        return CLOCK[0]() - start

    return run


def _client_request() -> h11.Request:
    return h11.Request(method="GET", target="/", headers=[("Host", "bench.example")])


def make_basic_cycle(plugins: list[object] | None = None) -> Bench:
    """Client GET -> server parses, answers 200 with 13 bytes -> client parses; both reset."""
    if plugins is None:
        client = h11.Connection(h11.CLIENT)
        server = h11.Connection(h11.SERVER)
    else:
        factory = cast(Callable[..., h11.Connection], h11.Connection)
        client = factory(h11.CLIENT, plugins=plugins)
        server = factory(h11.SERVER, plugins=plugins)
    c_send = cast(Send, client.send)
    s_send = cast(Send, server.send)
    c_next: NextEvent = client.next_event
    s_next: NextEvent = server.next_event
    c_recv, s_recv = client.receive_data, server.receive_data
    c_reset, s_reset = client.start_next_cycle, server.start_next_cycle
    Request, Response, Data, EndOfMessage = h11.Request, h11.Response, h11.Data, h11.EndOfMessage

    def body(n: int) -> None:
        for _ in range(n):
            s_recv(c_send(_client_request()) + c_send(EndOfMessage()))
            if type(s_next()) is not Request:
                raise WorkloadError("server: expected Request")
            if type(s_next()) is not EndOfMessage:
                raise WorkloadError("server: expected EndOfMessage")
            c_recv(
                s_send(Response(status_code=200, headers=[("Content-Length", "13")]))
                + s_send(Data(data=HELLO))
                + s_send(EndOfMessage())
            )
            event = c_next()
            if not (type(event) is Response and event.status_code == 200):
                raise WorkloadError("client: expected 200")
            event = c_next()
            if not (type(event) is Data and event.data == HELLO):
                raise WorkloadError("client: expected the body")
            if type(c_next()) is not EndOfMessage:
                raise WorkloadError("client: expected EndOfMessage")
            c_reset()
            s_reset()

    return Bench(_timed(body))


def make_browser_get() -> Bench:
    """Server parses a 13-field browser GET and answers 204."""
    wire = request_bytes(BROWSER_TARGET, BROWSER_HEADERS)
    server = h11.Connection(h11.SERVER)
    send = cast(Send, server.send)
    next_event: NextEvent = server.next_event
    receive, reset = server.receive_data, server.start_next_cycle
    Request, Response, EndOfMessage = h11.Request, h11.Response, h11.EndOfMessage

    def body(n: int) -> None:
        for _ in range(n):
            receive(wire)
            event = next_event()
            if not (type(event) is Request and len(event.headers) == 13):
                raise WorkloadError("expected a 13-field Request")
            if type(next_event()) is not EndOfMessage:
                raise WorkloadError("expected EndOfMessage")
            out = send(Response(status_code=204, headers=[("Server", "bench/1.0")]))
            if not out.startswith(b"HTTP/1.1 204 "):
                raise WorkloadError("expected a 204 status line")
            send(EndOfMessage())
            reset()

    return Bench(_timed(body))


def make_pipelined(count: int = 100) -> Bench:
    """Server gets `count` GETs in one read and answers each in turn."""
    requests = [
        request_bytes(b"/item/%d" % i, [(b"Host", b"bench.example"), (b"Accept", b"*/*")])
        for i in range(count)
    ]
    wire = b"".join(requests)
    last_target = b"/item/%d" % (count - 1)
    server = h11.Connection(h11.SERVER)
    send = cast(Send, server.send)
    next_event: NextEvent = server.next_event
    receive, reset = server.receive_data, server.start_next_cycle
    Request, Response, EndOfMessage = h11.Request, h11.Response, h11.EndOfMessage
    NEED_DATA = h11.NEED_DATA

    def body(n: int) -> None:
        for _ in range(n):
            receive(wire)
            event = None
            for _ in range(count):
                event = next_event()
                if type(event) is not Request:
                    raise WorkloadError("expected Request")
                if type(next_event()) is not EndOfMessage:
                    raise WorkloadError("expected EndOfMessage")
                send(Response(status_code=200, headers=[("Content-Length", "0")]))
                send(EndOfMessage())
                reset()
            if not (event is not None and event.target == last_target):
                raise WorkloadError("requests out of order")
            if next_event() is not NEED_DATA:
                raise WorkloadError("expected NEED_DATA after the last request")

    return Bench(_timed(body))


def make_chunked_client(chunk: bytes, count: int) -> Bench:
    """Client parses a response of `count` chunks of `chunk`, all in one read."""
    wire = chunked_response(chunk, count)
    expected_bytes = len(chunk) * count
    client = h11.Connection(h11.CLIENT)
    send = cast(Send, client.send)
    next_event: NextEvent = client.next_event
    receive, reset = client.receive_data, client.start_next_cycle
    Response, Data, EndOfMessage = h11.Response, h11.Data, h11.EndOfMessage

    def body(n: int) -> None:
        for _ in range(n):
            send(_client_request())
            send(EndOfMessage())
            receive(wire)
            event = next_event()
            if not (type(event) is Response and event.status_code == 200):
                raise WorkloadError("expected 200")
            total = ends = 0
            event = next_event()
            while type(event) is Data:
                total += len(event.data)
                ends += event.chunk_end
                event = next_event()
            if type(event) is not EndOfMessage:
                raise WorkloadError("expected EndOfMessage")
            if total != expected_bytes:
                raise WorkloadError("body length differs")
            if ends != count:
                raise WorkloadError("chunk_end count differs from the chunk count")
            reset()

    return Bench(_timed(body))


def make_large_body(size: int = 8 * 1024 * 1024, read_size: int = 64 * 1024) -> Bench:
    """Client reads a `size`-byte Content-Length body arriving in `read_size` reads."""
    head = head_bytes(
        b"HTTP/1.1 200 OK",
        [(b"Content-Type", b"application/octet-stream"), (b"Content-Length", b"%d" % size)],
    )
    wire = head + bytes(range(256)) * (size // 256) + b"\x00" * (size % 256)
    pieces = [wire[i : i + read_size] for i in range(0, len(wire), read_size)]
    client = h11.Connection(h11.CLIENT)
    send = cast(Send, client.send)
    next_event: NextEvent = client.next_event
    receive, reset = client.receive_data, client.start_next_cycle
    Response, Data, EndOfMessage = h11.Response, h11.Data, h11.EndOfMessage
    NEED_DATA = h11.NEED_DATA

    def body(n: int) -> None:
        for _ in range(n):
            send(_client_request())
            send(EndOfMessage())
            total = responses = ends = 0
            for piece in pieces:
                receive(piece)
                event = next_event()
                while event is not NEED_DATA:
                    kind = type(event)
                    if kind is Data:
                        total += len(event.data)
                    elif kind is Response:
                        responses += 1
                    elif kind is EndOfMessage:
                        ends += 1
                        break
                    else:
                        raise WorkloadError(f"unexpected event {event!r}")
                    event = next_event()
            if not (responses == 1 and ends == 1):
                raise WorkloadError("expected one Response and one EndOfMessage")
            if total != size:
                raise WorkloadError("body length differs")
            reset()

    return Bench(_timed(body))


def make_byte_by_byte_head(headers: list[tuple[bytes, bytes]], max_size: int = 16384) -> Bench:
    """Server reads a GET head delivered one byte per receive_data (new Connection each op)."""
    wire = request_bytes(b"/", headers)
    pieces = [wire[i : i + 1] for i in range(len(wire))]
    leading, last = pieces[:-1], pieces[-1]
    field_count = len(headers)
    Connection, SERVER = h11.Connection, h11.SERVER
    Request, EndOfMessage = h11.Request, h11.EndOfMessage
    NEED_DATA = h11.NEED_DATA

    def body(n: int) -> None:
        for _ in range(n):
            server = Connection(SERVER, max_incomplete_event_size=max_size)
            receive = server.receive_data
            next_event = server.next_event
            for piece in leading:
                receive(piece)
                if next_event() is not NEED_DATA:
                    raise WorkloadError("event before the head was complete")
            receive(last)
            event = next_event()
            if not (type(event) is Request and len(event.headers) == field_count):
                raise WorkloadError(f"expected a Request with {field_count} fields")
            if type(next_event()) is not EndOfMessage:
                raise WorkloadError("expected EndOfMessage")

    return Bench(_timed(body))


def _server_ready_to_respond(wire: bytes) -> h11.Connection:
    server = h11.Connection(h11.SERVER)
    server.receive_data(wire)
    _check(type(server.next_event()) is h11.Request, "expected Request")
    _check(type(server.next_event()) is h11.EndOfMessage, "expected EndOfMessage")
    return server


def make_server_write(batch: int = 256) -> Bench:
    """Server writes a 10-field response head, a 1 KiB body and EndOfMessage.

    Servers that already parsed a request are prepared outside the timed part,
    `batch` at a time, so only the three send() calls are measured.
    """
    payload = (b"<p>" + b"x" * 121 + b"</p>\n") * 8  # 1 KiB of HTML
    headers = [
        (name, b"%d" % len(payload) if name == b"Content-Length" else value)
        for name, value in RESPONSE_HEADERS
    ]
    expected_head = head_bytes(b"HTTP/1.1 200 OK", headers)
    request = request_bytes(b"/", [(b"Host", b"bench.example")])
    Response, Data, EndOfMessage = h11.Response, h11.Data, h11.EndOfMessage

    def run(n: int) -> float:
        elapsed = 0.0
        done = 0
        while done < n:
            servers = [_server_ready_to_respond(request) for _ in range(min(batch, n - done))]
            sends = [cast(Send, server.send) for server in servers]
            start = CLOCK[0]()
            for send in sends:
                out = send(Response(status_code=200, reason=b"OK", headers=headers))
                if out != expected_head:
                    raise WorkloadError("response head differs from the expected bytes")
                if send(Data(data=payload)) != payload:
                    raise WorkloadError("body bytes differ")
                if send(EndOfMessage()) != b"":
                    raise WorkloadError("EndOfMessage wrote bytes")
            elapsed += CLOCK[0]() - start
            done += len(servers)
        return elapsed

    return Bench(run)


def make_server_ready() -> Bench:
    """Only the preparation of server_write (a server that parsed a request), for callgrind.

    Instruction counts cannot leave out untimed parts, so run.py --callgrind takes this
    from server_write's count to get the three send() calls alone.
    """
    request = request_bytes(b"/", [(b"Host", b"bench.example")])

    def body(n: int) -> None:
        for _ in range(n):
            _server_ready_to_respond(request)

    return Bench(_timed(body))


def make_plugin_cycle() -> Bench:
    """The basic cycle with one observer plugin implementing both hooks on both sides."""
    marker = getattr(h11, "hookimpl", None)
    if marker is None:
        raise Unavailable("h11.hookimpl is missing")
    hookimpl = cast(Callable[[Callable[..., None]], Callable[..., None]], marker)
    counts = {"validate": 0, "dispatch": 0, "ops": 0}

    class Observer:
        """Counts hook calls and never vetoes."""

        @hookimpl
        def h11_validate_header(
            self, name: bytes, value: bytes, event_type: type, direction: object
        ) -> None:
            counts["validate"] += 1

        @hookimpl
        def h11_dispatch_event(self, event: object, direction: object, source: object) -> None:
            counts["dispatch"] += 1

    try:
        bench = make_basic_cycle(plugins=[Observer()])
    except TypeError as exc:
        raise Unavailable(f"Connection(role, plugins=[...]) failed: {exc}") from exc
    inner = bench.run

    def run(n: int) -> float:
        counts["ops"] += n
        return inner(n)

    def stats() -> dict[str, float]:
        ops = max(counts["ops"], 1)
        return {
            "dispatch_calls_per_op": counts["dispatch"] / ops,
            "validate_calls_per_op": counts["validate"] / ops,
        }

    return Bench(run, stats)


def make_bench(name: str, size: int) -> Bench:
    """Build the named workload (`size` parametrises the scaling ones)."""
    if name == "basic_cycle":
        return make_basic_cycle()
    if name == "basic_cycle_plugin":
        return make_plugin_cycle()
    if name == "browser_get":
        return make_browser_get()
    if name == "pipelined_100":
        return make_pipelined(100)
    if name == "chunked_1000x100":
        return make_chunked_client(b"c" * 100, 1000)
    if name == "body_8mib":
        return make_large_body()
    if name == "head_40_bytewise":
        return make_byte_by_byte_head(BROWSER_HEADERS + PROXY_HEADERS)
    if name == "server_write":
        return make_server_write()
    if name == "server_ready":
        return make_server_ready()
    if name == "scale_head_bytewise":
        return make_byte_by_byte_head(numbered_headers(size), max_size=64 * size + 1024)
    if name == "scale_one_byte_chunks":
        return make_chunked_client(b"z", size)
    raise KeyError(f"unknown workload {name!r}")


BENCH_NAMES = [
    "basic_cycle",
    "basic_cycle_plugin",
    "browser_get",
    "pipelined_100",
    "chunked_1000x100",
    "body_8mib",
    "head_40_bytewise",
    "server_write",
    "scale_head_bytewise",
    "scale_one_byte_chunks",
]


def measure(bench: Bench, min_time: float) -> tuple[int, float]:
    """Time one batch of operations lasting at least `min_time` seconds.

    The first call calibrates the batch size (which also warms up caches); later
    calls reuse it so every round times the same amount of work.
    """
    if bench.ops_per_measurement == 0:
        n = 1
        for _ in range(MAX_CALIBRATION_STEPS):
            elapsed = bench.run(n)
            if elapsed >= min_time or n >= MAX_OPS:
                break
            estimate = int(n * min_time * 1.1 / max(elapsed, 1e-9))
            n = min(MAX_OPS, max(2 * n, min(estimate, 100 * n)))
        bench.ops_per_measurement = n
    gc.collect()
    return bench.ops_per_measurement, bench.run(bench.ops_per_measurement)


# --------------------------------------------------------------------------- memory


def _idle() -> h11.Connection:
    return h11.Connection(h11.SERVER)


def _after_request(request: bytes, start_next_cycle: bool) -> Callable[[], h11.Connection]:
    def make() -> h11.Connection:
        # A private copy, so a connection that keeps the caller's buffer is charged for it.
        server = _server_ready_to_respond(bytes(memoryview(request)))
        server.send(h11.Response(status_code=200, headers=[("Content-Length", "13")]))
        server.send(h11.Data(data=HELLO))
        server.send(h11.EndOfMessage())
        _check(server.our_state is h11.DONE, "server should be DONE")
        if start_next_cycle:
            server.start_next_cycle()
            if server.our_state is not h11.IDLE:
                raise WorkloadError("server should be IDLE again")
        return server

    return make


def measure_memory(kind: str, count: int) -> float:
    """Bytes allocated (and still held) per connection, from tracemalloc.

    The cost is the growth between the first quarter of `count` connections and
    all of them: objects that the first few get from the interpreter's free lists
    (which tracemalloc does not see), and other one-time effects, cancel out.
    """
    browser_get = request_bytes(BROWSER_TARGET, BROWSER_HEADERS)
    makers: dict[str, Callable[[], h11.Connection]] = {
        "idle": _idle,
        "after_request": _after_request(browser_get, start_next_cycle=False),
        "after_cycle": _after_request(browser_get, start_next_cycle=True),
    }
    make = makers[kind]
    warm = [make() for _ in range(8)]  # first-use caches are not per-connection cost
    del warm
    first = max(count // 4, 1)
    holder: list[h11.Connection | None] = [None] * count
    gc.collect()
    tracemalloc.start()
    try:
        for i in range(first):
            holder[i] = make()
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(first, count):
            holder[i] = make()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    _check(all(conn is not None for conn in holder), "connections missing")
    return (after - before) / (count - first)


# --------------------------------------------------------------------------- worker


def handle(request: dict[str, Any], cache: dict[str, Bench]) -> dict[str, Any]:
    """Answer one command of run.py."""
    cmd = request["cmd"]
    if cmd == "info":
        return {
            "ok": True,
            "python": sys.version.split()[0],
            "implementation": sys.implementation.name,
            "executable": sys.executable,
            "h11_version": getattr(h11, "__version__", "?"),
            "h11_file": getattr(h11, "__file__", "?"),
            "has_hookimpl": hasattr(h11, "hookimpl"),
            "benches": BENCH_NAMES,
        }
    if cmd == "bench":
        name, size = request["name"], int(request.get("size", 0))
        key = f"{name}:{size}"
        if key not in cache:
            cache[key] = make_bench(name, size)
        bench = cache[key]
        CLOCK[0] = CLOCKS[request.get("clock", "cpu")]
        ops, seconds = measure(bench, float(request["min_time"]))
        answer: dict[str, Any] = {"ok": True, "ops": ops, "seconds": seconds}
        if bench.stats is not None:
            answer["stats"] = bench.stats()
        return answer
    if cmd == "memory":
        return {"ok": True, "bytes": measure_memory(request["kind"], int(request["count"]))}
    if cmd == "quit":
        return {"ok": True}
    raise KeyError(f"unknown command {cmd!r}")


def serve(commands: TextIO, answers: TextIO) -> None:
    """Answer commands until `quit` or end of input; a failing command never kills the worker."""
    cache: dict[str, Bench] = {}
    for line in commands:
        request = json.loads(line)
        try:
            answer = handle(request, cache)
        except Unavailable as exc:
            answer = {"ok": False, "unavailable": str(exc)}
        except Exception as exc:
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            answer["traceback"] = traceback.format_exc()
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
        if request["cmd"] == "quit":
            return


def run_ops(name: str, warm_up: int, ops: int) -> None:
    """Run `warm_up` then `ops` operations of a workload and exit (for instruction counts).

    run.py --callgrind counts the instructions of two such runs under callgrind; their
    difference over the difference in `ops` is the cost of one operation, without the
    start-up, imports and preparation the two runs share.
    """
    bench = make_bench(name, 0)
    bench.run(warm_up)
    bench.run(ops)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--ops"]:
        run_ops(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        sys.exit(0)
    protocol_out = sys.stdout
    sys.stdout = sys.stderr  # a stray print() in the library must not corrupt the protocol
    serve(sys.stdin, protocol_out)
