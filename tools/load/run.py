"""Compare the throughput of the example asyncio server under two interpreters.

Why: the drop-in ``h11`` must not make servers built on it much slower than PyPI h11 0.16. The
same server (examples/asyncio_server.py) is started with the candidate venv's python and with the
reference venv's python, driven with keep-alive load on 127.0.0.1 for a fixed time, and the
requests/s of both and their ratio are reported.

    python tools/load/run.py --candidate OURS/bin/python --reference REF/bin/python \
        [--seconds 10] [--connections 32] [--rounds 1] [--generator auto|wrk|python]

The load comes from ``wrk`` when it is on PATH (Debian package ``wrk``), else from a small
asyncio client in this file (one request in flight per connection, raw bytes, the response
framed by its Content-Length). Every run is bounded in time, and the servers are always
stopped: SIGTERM, then SIGKILL of their process group. Exit status is non-zero only when a run
failed (server did not start, errors, no request completed), or when ``--min-ratio`` is given
and the candidate/reference ratio is below it; timings are otherwise only reported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SERVER = ROOT / "examples" / "asyncio_server.py"
LISTENING = re.compile(r"^listening on http://(127\.0\.0\.1|localhost):(\d+)\s*$")
START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0


@dataclass
class LoadResult:
    """What one timed run produced."""

    requests: int
    errors: int
    seconds: float
    server_requests: int | None = None

    @property
    def rps(self) -> float:
        """Completed requests per second of wall time."""
        return self.requests / self.seconds if self.seconds > 0 else 0.0


class RunFailed(Exception):
    """A run could not produce a trustworthy number."""


# -- the server ---------------------------------------------------------------------------------


class Server:
    """The example server in a subprocess of its own session, so it can be killed as a group."""

    def __init__(self, python: str, script: Path, log: Path) -> None:
        self.python = python
        self.script = script
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> int:
        """Start the server and wait (bounded) for its ``listening on`` line; return the port."""
        with self.log.open("wb") as err:
            self.proc = subprocess.Popen(
                [self.python, str(self.script), "--host", "127.0.0.1", "--port", "0"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
                start_new_session=True,
                cwd=ROOT,
            )
        assert self.proc.stdout is not None
        line = _read_line(self.proc.stdout.fileno(), START_TIMEOUT)
        match = LISTENING.match(line.decode("utf-8", "replace"))
        if match is None:
            self.stop()
            raise RunFailed(
                f"server {self.python} did not say 'listening on http://127.0.0.1:PORT' within "
                f"{START_TIMEOUT:.0f}s; first line {line!r}; stderr: {self.stderr_tail()}"
            )
        # Keep draining stdout so a chatty server can never block on a full pipe.
        threading.Thread(target=_drain, args=(self.proc.stdout,), daemon=True).start()
        self.port = int(match.group(2))
        return self.port

    def alive(self) -> bool:
        """True while the server process has not exited."""
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """SIGTERM, a bounded wait, then SIGKILL to the whole process group; idempotent."""
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(STOP_TIMEOUT)
        if proc.stdout is not None:
            proc.stdout.close()

    def stderr_tail(self, limit: int = 2000) -> str:
        """The end of the server's stderr, for error messages."""
        try:
            return self.log.read_bytes()[-limit:].decode("utf-8", "replace")
        except OSError:
            return ""


def _read_line(fd: int, timeout: float) -> bytes:
    """Read one line from a pipe without blocking past ``timeout`` seconds."""
    buffer = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buffer += chunk
    return buffer.split(b"\n", 1)[0]


def _drain(stream: object) -> None:
    read = getattr(stream, "read", None)
    with contextlib.suppress(OSError, ValueError):
        while read is not None and read(65536):
            pass


def http_get(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """One blocking GET with Connection: close; returns (status, body) -- for checks only."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise RunFailed(f"GET {path}: no HTTP response, got {data[:200]!r}")
    return int(parts[1]), body


# -- load generators ----------------------------------------------------------------------------


def run_wrk(
    wrk: str, port: int, path: str, seconds: float, connections: int, threads: int
) -> LoadResult:
    """Drive the server with wrk and parse its summary."""
    cmd = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        f"http://127.0.0.1:{port}{path}",
    ]
    print("+", " ".join(cmd), flush=True)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30, check=False)
    text = out.stdout + out.stderr
    print(text.rstrip(), flush=True)
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", text)
    if out.returncode != 0 or done is None:
        raise RunFailed(f"wrk failed (exit {out.returncode}): {text[-500:]}")
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[done.group(3)]
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return LoadResult(
        requests=int(done.group(1)), errors=errors, seconds=float(done.group(2)) * scale
    )


class _LoadProtocol(asyncio.Protocol):
    """One keep-alive connection: send, read one Content-Length framed response, repeat.

    A bare Protocol rather than streams: the generator shares the machine with the server, so
    every cycle it saves is one the server can use.
    """

    def __init__(self, request: bytes, deadline: float, counts: list[int]) -> None:
        self.request = request
        self.deadline = deadline
        self.counts = counts
        self.buffer = b""
        self.needed = -1  # total bytes of the current response once its head is parsed
        self.ok = True
        self.close = False
        self.transport: asyncio.Transport | None = None
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.needed < 0:
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                try:
                    status, length, self.close = _parse_head(self.buffer[: end + 4])
                except ValueError:
                    self._stop(error=True)
                    return
                self.ok = status == 200
                self.needed = end + 4 + length
            if len(self.buffer) < self.needed:
                return
            self.buffer = self.buffer[self.needed :]
            self.needed = -1
            if time.monotonic() > self.deadline:
                self._stop(error=False)  # finished after the bell: not counted, like wrk
                return
            self.counts[0 if self.ok else 1] += 1
            if self.close or self.buffer:
                self._stop(error=bool(self.buffer))  # nothing may follow an unpipelined reply
                return
            assert self.transport is not None
            self.transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop(error=time.monotonic() < self.deadline and not self.close)

    def _stop(self, *, error: bool) -> None:
        if self.finished.done():
            return
        if error:
            self.counts[1] += 1
        self.finished.set_result(None)
        if self.transport is not None:
            self.transport.close()


async def _client(port: int, request: bytes, deadline: float, counts: list[int]) -> None:
    """Keep one connection busy until the deadline, reconnecting when the server closes."""
    loop = asyncio.get_running_loop()
    while time.monotonic() < deadline:
        try:
            _, protocol = await loop.create_connection(
                lambda: _LoadProtocol(request, deadline, counts), "127.0.0.1", port
            )
        except OSError:
            counts[1] += 1
            return
        await protocol.finished
        if not protocol.close:
            return


def _parse_head(head: bytes) -> tuple[int, int, bool]:
    """Status, Content-Length and whether the server closes, from a response head."""
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length: int | None = None
    close = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"connection" and b"close" in value.lower():
            close = True
    if length is None:
        raise ValueError("response without Content-Length: pick a path that sends one")
    return status, length, close


async def _python_load(port: int, path: str, seconds: float, connections: int) -> LoadResult:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    counts = [0, 0]  # completed 200s, errors
    start = time.monotonic()
    deadline = start + seconds
    tasks = [
        asyncio.create_task(_client(port, request, deadline, counts)) for _ in range(connections)
    ]
    _, pending = await asyncio.wait(tasks, timeout=seconds + 10)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    counts[1] += len(pending)
    return LoadResult(requests=counts[0], errors=counts[1], seconds=seconds)


def run_python(port: int, path: str, seconds: float, connections: int) -> LoadResult:
    """Drive the server with the built-in asyncio load generator."""
    print(
        f"+ python load generator: {connections} connections, {seconds:g}s, GET {path}", flush=True
    )
    return asyncio.run(_python_load(port, path, seconds, connections))


# -- orchestration ------------------------------------------------------------------------------


def probe(python: str) -> str:
    """Which h11 an interpreter imports, for the report."""
    code = (
        "try:\n    import h11_connection as h11\nexcept ImportError:\n    import h11\n"
        "print(h11.__version__, h11.__file__)"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RunFailed(f"{python} cannot import h11: {out.stderr.strip()[-500:]}")
    return out.stdout.strip()


def one_run(
    args: argparse.Namespace, label: str, python: str, logdir: Path, wrk: str | None
) -> LoadResult:
    """Start a server with ``python``, check it answers, load it, read its counters, stop it."""
    server = Server(python, args.server, logdir / f"{label}.stderr")
    try:
        port = server.start()
        status, _ = http_get(port, args.path)
        if status != 200:
            raise RunFailed(f"{label}: GET {args.path} answered {status}, expected 200")
        print(f"\n== {label}: {python} serving on 127.0.0.1:{port}", flush=True)
        if wrk is not None:
            result = run_wrk(wrk, port, args.path, args.seconds, args.connections, args.threads)
        else:
            result = run_python(port, args.path, args.seconds, args.connections)
        if not server.alive():
            raise RunFailed(f"{label}: server died under load: {server.stderr_tail()}")
        with contextlib.suppress(RunFailed, OSError, ValueError):
            status, body = http_get(port, "/stats")
            if status == 200:
                result.server_requests = int(json.loads(body)["requests"])
        return result
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidate", required=True, help="python of the venv under test")
    parser.add_argument("--reference", required=True, help="python of the venv with PyPI h11")
    parser.add_argument("--seconds", type=float, default=10.0, help="load duration per run")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=1, help="alternating runs per interpreter")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--path", default="/", help="path to GET (must answer 200 + CL)")
    parser.add_argument("--server", type=Path, default=DEFAULT_SERVER, help="server script")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--min-ratio", type=float, help="fail if candidate/reference is below")
    parser.add_argument("--json-out", type=Path, help="write the numbers here")
    args = parser.parse_args(argv)
    if (
        not 0 < args.seconds <= 600
        or not 1 <= args.connections <= 1024
        or not 1 <= args.rounds <= 10
    ):
        parser.error(
            "bounds: 0 < --seconds <= 600, 1 <= --connections <= 1024, 1 <= --rounds <= 10"
        )

    # A SIGTERM to us must still run the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wrk = shutil.which("wrk") if args.generator != "python" else None
    if args.generator == "wrk" and wrk is None:
        parser.error("wrk is not installed (Debian package wrk)")
    if wrk is None:
        print("load generator: built-in asyncio client (wrk not used; Debian package wrk)")
    else:
        print(f"load generator: {wrk}")

    # Absolute paths (the servers run from the repo root), with the venv symlinks unresolved.
    interpreters = {
        label: os.path.abspath(shutil.which(py) or py) if os.sep not in py else os.path.abspath(py)
        for label, py in (("reference", args.reference), ("candidate", args.candidate))
    }
    results: dict[str, list[LoadResult]] = {label: [] for label in interpreters}
    try:
        for label, python in interpreters.items():
            print(f"{label}: h11 {probe(python)}")
        with tempfile.TemporaryDirectory(prefix="h11-load-") as tmp:
            for round_no in range(args.rounds):
                order = list(interpreters.items())
                if round_no % 2:
                    order.reverse()  # alternate who goes first, so drift does not favour one
                for label, python in order:
                    result = one_run(args, label, python, Path(tmp), wrk)
                    results[label].append(result)
                    print(
                        f"{label} round {round_no + 1}: {result.requests} requests in "
                        f"{result.seconds:.2f}s = {result.rps:.0f} req/s, {result.errors} errors, "
                        f"server counted {result.server_requests}",
                        flush=True,
                    )
                    if result.errors or result.requests == 0:
                        raise RunFailed(
                            f"{label}: {result.errors} errors, {result.requests} requests"
                        )
    except RunFailed as exc:
        print(f"load test FAILED: {exc}", file=sys.stderr)
        return 1

    # Median: robust to one round disturbed by whatever else the machine is doing.
    rps = {label: statistics.median(r.rps for r in runs) for label, runs in results.items()}
    ratio = rps["candidate"] / rps["reference"]
    print("\n===== load summary")
    for label in interpreters:
        print(f"{label}: {rps[label]:.0f} req/s (median of {len(results[label])} run(s))")
    print(f"ratio candidate/reference: {ratio:.3f}")
    if args.json_out:
        data = {
            "rps": rps,
            "ratio": ratio,
            "seconds": args.seconds,
            "connections": args.connections,
            "generator": wrk or "python",
        }
        args.json_out.write_text(json.dumps(data, indent=1) + "\n")
    if args.min_ratio is not None and ratio < args.min_ratio:
        print(f"ratio {ratio:.3f} below --min-ratio {args.min_ratio}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
