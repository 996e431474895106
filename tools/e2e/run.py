"""End to end: uvicorn and hypercorn serving a hello-world app under load, per h11 build.

    python tools/e2e/run.py --server NAME=SERVER:PYTHON [...] [--rounds 3] [--seconds 5]
                            [--profile NAME ...] [--markdown]

Each ``--server`` is one configuration: SERVER is ``uvicorn`` (its h11 protocol),
``uvicorn-httptools`` or ``hypercorn``, PYTHON the venv's python that has it (and the h11
to measure). One server process at a time (one worker, asyncio loop, loopback) serves
``app.py`` while the load generator keeps 32 keep-alive connections busy: ``wrk -t1 -c32``
when it is on PATH (Debian: ``apt-get install wrk``), else this file's asyncio client.
Rounds alternate the configurations, so drift of a shared machine hits them alike; the
table gives each one's median requests/s, its ratio to the first configuration, and the
CPU both processes used: a server near one core and a client well under it show the
server is what is measured, not the client.

``--profile NAME`` samples that configuration's server with py-spy (if on PATH) for one
more load period and reports the share of the server's CPU samples inside this
library's (or PyPI h11's) modules, and the library functions with most samples.

Loopback only. Timings never fail the run: the exit status is 1 only if a server did not
start or answered wrongly.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONNECTIONS = 32
REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
#: Above this share of one core, the load generator may be what limits a row.
CLIENT_CPU_LIMIT = 0.8
#: The modules whose frames count as "the library" in a profile: ours, or PyPI's h11.
LIBRARY_FRAME = re.compile(r"[/\\](h11|h11_events|h11_parser|h11_connection)[/\\]\w+\.py")


@dataclass
class Config:
    name: str
    server: str
    python: str
    rps: list[float] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)
    client_cpu: list[float] = field(default_factory=list)

    def per_cpu(self) -> list[float]:
        """Requests per CPU-second of the server, each round: what a busy machine leaves."""
        return [
            rps / cpu if cpu else 0.0 for rps, cpu in zip(self.rps, self.server_cpu, strict=True)
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(config: Config, port: int) -> list[str]:
    if config.server in ("uvicorn", "uvicorn-httptools"):
        http = "httptools" if config.server == "uvicorn-httptools" else "h11"
        return [
            config.python,
            "-m",
            "uvicorn",
            "app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--http",
            http,
            "--loop",
            "asyncio",
            "--lifespan",
            "off",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
    if config.server == "hypercorn":
        return [
            config.python,
            "-m",
            "hypercorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "0",  # serve in this process (1 would fork one worker process)
            "--worker-class",
            "asyncio",
            "app:app",
        ]
    raise SystemExit(f"unknown server {config.server!r}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children so far (Linux /proc)."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        pending += [int(child) for child in children]
    return total


class Server:
    """One server process serving app.py on a free loopback port."""

    def __init__(self, config: Config) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        self.proc = subprocess.Popen(
            server_command(config, self.port),
            cwd=HERE,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                    sock.sendall(REQUEST)
                    answer = b""
                    while not answer.endswith(b"Hello, world!"):
                        chunk = sock.recv(4096)
                        if not chunk:
                            break
                        answer += chunk
                if answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b"Hello, world!"):
                    return
                self.stop()
                raise RuntimeError(f"{config.name}: unexpected answer {answer[:200]!r}")
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    error = self.proc.stderr.read().decode() if self.proc.stderr else ""
                    raise RuntimeError(
                        f"{config.name}: the server did not start\n{error}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --------------------------------------------------------------------- load generators


def wrk_load(port: int, seconds: float) -> tuple[float, float]:
    """wrk -t1 -c32 for ``seconds``: requests/s and the CPU seconds wrk used."""
    wrk = shutil.which("wrk")
    assert wrk is not None
    before = os.times()
    proc = subprocess.run(
        [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds:g}s", f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        check=False,
    )
    after = os.times()
    match = re.search(r"Requests/sec:\s*([\d.]+)", proc.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", proc.stdout)
    if proc.returncode != 0 or match is None or errors is not None:
        raise RuntimeError(f"wrk failed or saw errors:\n{proc.stdout}{proc.stderr}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return float(match.group(1)), cpu


async def _client(port: int, stop_at: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    buffer = b""
    try:
        while time.monotonic() < stop_at:
            writer.write(REQUEST)
            while True:
                end = buffer.find(b"\r\n\r\n")
                if end >= 0:
                    head = buffer[:end].lower()
                    length_at = head.find(b"content-length:")
                    if length_at < 0:
                        raise RuntimeError(f"no content-length in {head!r}")
                    length = int(head[length_at + 15 :].split(b"\r\n", 1)[0])
                    if len(buffer) >= end + 4 + length:
                        if not head.startswith(b"http/1.1 200 "):
                            raise RuntimeError(f"unexpected response {head!r}")
                        buffer = buffer[end + 4 + length :]
                        break
                chunk = await reader.read(65536)
                if not chunk:
                    raise RuntimeError("the server closed the connection")
                buffer += chunk
            counts[0] += 1
    finally:
        writer.close()


async def _asyncio_load(port: int, seconds: float) -> int:
    counts = [0]
    stop_at = time.monotonic() + seconds
    await asyncio.gather(*(_client(port, stop_at, counts) for _ in range(CONNECTIONS)))
    return counts[0]


def asyncio_load(port: int, seconds: float) -> tuple[float, float]:
    """This file's client in a child process: requests/s and the CPU seconds it used."""
    before = os.times()
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, __file__, "--client", str(port), str(seconds)],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - started
    after = os.times()
    if proc.returncode != 0:
        raise RuntimeError(f"the asyncio client failed:\n{proc.stderr}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return int(proc.stdout.split()[0]) / min(elapsed, seconds), cpu


def load(port: int, seconds: float) -> tuple[float, float]:
    return (wrk_load if shutil.which("wrk") else asyncio_load)(port, seconds)


# --------------------------------------------------------------------------- rounds


def measure(config: Config, seconds: float) -> None:
    server = Server(config)
    try:
        load(server.port, 1.0)  # warm-up, not counted
        cpu_before = cpu_seconds(server.proc.pid)
        rps, client_cpu = load(server.port, seconds)
        server_cpu = cpu_seconds(server.proc.pid) - cpu_before
    finally:
        server.stop()
    config.rps.append(rps)
    config.server_cpu.append(server_cpu / seconds)
    config.client_cpu.append(client_cpu / seconds)


def profile(config: Config, seconds: float) -> dict[str, object]:
    """py-spy samples of the server under load: the library's share, its top functions."""
    py_spy = shutil.which("py-spy") or str(Path(config.python).parent / "py-spy")
    server = Server(config)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stacks.txt"
        try:
            load(server.port, 1.0)
            spy = subprocess.Popen(
                [
                    py_spy,
                    "record",
                    "--format",
                    "raw",
                    "--full-filenames",
                    "--rate",
                    "250",
                    "--duration",
                    f"{seconds + 1:g}",
                    "--pid",
                    str(server.proc.pid),
                    "--output",
                    str(out),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            time.sleep(0.5)
            load(server.port, seconds)
            _, spy_err = spy.communicate(timeout=60)
        finally:
            server.stop()
        if not out.exists():
            raise RuntimeError(f"py-spy wrote nothing: {spy_err.decode()[-1000:]}")
        total = inside = 0
        own: collections.Counter[str] = collections.Counter()
        for line in out.read_text().splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not stack:
                continue
            count = int(count_text)
            total += count
            frames = stack.split(";")
            if any(LIBRARY_FRAME.search(frame) for frame in frames):
                inside += count
                # the outermost library frame: the call uvicorn/hypercorn made
                first = next(frame for frame in frames if LIBRARY_FRAME.search(frame))
                own[re.sub(r":\d+\)$", ")", first)] += count
    return {
        "samples": total,
        "share": inside / total if total else 0.0,
        "top": [(name, count / total) for name, count in own.most_common(6)],
    }


# -------------------------------------------------------------------------- output


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                cpu = value.strip()
                break
    except OSError:
        pass
    return f"{cpu} ({os.cpu_count()} cores)"


def python_of(config: Config) -> str:
    code = (
        "import sys, importlib.metadata as m, h11\n"
        "compiled = getattr(sys.modules.get('h11_connection'), 'COMPILED', '-')\n"
        "print(sys.version.split()[0], 'uvicorn', m.version('uvicorn'), h11.PRODUCT_ID,"
        " 'compiled:', compiled)"
    )
    proc = subprocess.run([config.python, "-c", code], capture_output=True, text=True)
    return proc.stdout.strip() or proc.stderr.strip()[-300:]


def render(configs: list[Config], args: argparse.Namespace, generator: str) -> str:
    base = statistics.median(configs[0].rps)
    header = (
        "| server and h11 | requests/s (median) | ratio | requests per server CPU-second"
        " | ratio | server CPU | client CPU |"
    )
    base_per_cpu = statistics.median(configs[0].per_cpu())
    lines = [header, "|---|--:|--:|--:|--:|--:|--:|"]
    for config in configs:
        rps = statistics.median(config.rps)
        per_cpu = statistics.median(config.per_cpu())
        lines.append(
            f"| {config.name} | {rps:,.0f} | {rps / base:.2f}x"
            f" | {per_cpu:,.0f} | {per_cpu / base_per_cpu:.2f}x"
            f" | {statistics.median(config.server_cpu):.0%}"
            f" | {statistics.median(config.client_cpu):.0%} |"
        )
    return (
        f"CPU: {machine()}; {generator}, {CONNECTIONS} keep-alive connections, "
        f"{args.rounds} alternating rounds of {args.seconds:g} s (median); "
        "ratios to the first row; CPU: share of one core over the round\n\n"
        + "\n".join(lines)
        + "".join(
            f"\nWARNING: the client used {max(c.client_cpu):.0%} of a core with {c.name}:"
            " it may be what limits that row"
            for c in configs
            if max(c.client_cpu) > CLIENT_CPU_LIMIT
        )
    )


def parse_config(text: str) -> Config:
    name, sep, rest = text.partition("=")
    server, sep2, python = rest.partition(":")
    if not (sep and sep2 and name and python):
        raise argparse.ArgumentTypeError(f"expected NAME=SERVER:PYTHON, not {text!r}")
    return Config(name, server, python)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", type=parse_config, action="append", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--profile", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    configs: list[Config] = args.server
    generator = "wrk -t1 -c32" if shutil.which("wrk") else "tools/e2e asyncio client"
    print(f"machine: {machine()}, {platform.platform()}; load: {generator}", flush=True)
    for config in configs:
        print(f"  {config.name}: Python {python_of(config)}")
    try:
        for index in range(args.rounds):
            first = index % len(configs)
            for config in configs[first:] + configs[:first]:
                measure(config, args.seconds)
                print(
                    f"round {index + 1} {config.name}: {config.rps[-1]:,.0f} req/s, server CPU "
                    f"{config.server_cpu[-1]:.0%}, client CPU {config.client_cpu[-1]:.0%}",
                    flush=True,
                )
        print()
        print(render(configs, args, generator))
        for name in args.profile:
            [config] = [c for c in configs if c.name == name]
            result = profile(config, args.seconds)
            print()
            print(
                f"py-spy, {config.name}: {result['share']:.0%} of the server's CPU samples "
                f"are in h11 ({result['samples']} samples); by the library call made:"
            )
            for frame, share in result["top"]:  # type: ignore[attr-defined]
                print(f"  {share:6.1%}  {frame}")
    except RuntimeError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--client"]:
        done = asyncio.run(_asyncio_load(int(sys.argv[2]), float(sys.argv[3])))
        print(done)
        sys.exit(0)
    sys.exit(main())
