"""`nox -s probe`: the testkit's probe against servers on 127.0.0.1, reports printed.

Servers: the project's example asyncio server, uvicorn and hypercorn running on this
project's `h11` (checked before they start), `python -m http.server`, and an HTTP/1.1
`http.server` handler that reads bodies (see http_server_11.py); with
`--reference-python`, uvicorn and hypercorn again on PyPI h11 0.16 for comparison.
Each report is printed in full, then one summary line per server. Exits 1 when a
server built on our `h11` (the example server, uvicorn, hypercorn) has an unsafe case:
their framing is ours.

    python tools/probe/run.py [--only NAME] [--timeout S] [--json-dir DIR]
                              [--reference-python PYTHON]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from h11_testkit.probe import probe

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
#: Seconds a server gets to start listening.
START_TIMEOUT = 30.0


@dataclass
class Server:
    name: str
    #: Command with `{port}` where the port goes.
    command: list[str]
    #: Framing done by this project's h11: an unsafe case is our bug and fails the run.
    ours: bool
    needs_our_h11: bool = False


def _uvicorn(python: str) -> list[str]:
    return [
        python,
        "-m",
        "uvicorn",
        "asgi_app:app",
        "--app-dir",
        str(HERE),
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--http",
        "h11",
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def _hypercorn(python: str) -> list[str]:
    return [
        python,
        "-m",
        "hypercorn",
        "--bind",
        "127.0.0.1:{port}",
        "--log-level",
        "warning",
        "asgi_app:app",
    ]


SERVERS = [
    Server(
        "example-asyncio",
        [sys.executable, str(ROOT / "examples" / "asyncio_server.py"), "--port", "{port}"],
        ours=True,
    ),
    Server("uvicorn", _uvicorn(sys.executable), ours=True, needs_our_h11=True),
    Server("hypercorn", _hypercorn(sys.executable), ours=True, needs_our_h11=True),
    Server(
        "http.server",
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "{port}"],
        ours=False,
    ),
    Server(
        "http.server-1.1",
        [sys.executable, str(HERE / "http_server_11.py"), "{port}"],
        ours=False,
    ),
]


def _on_pypi_h11(python: str) -> list[Server]:
    """uvicorn and hypercorn in another venv, on PyPI h11 0.16: what the drop-in changes."""
    return [
        Server("uvicorn-pypi-h11", _uvicorn(python), ours=False),
        Server("hypercorn-pypi-h11", _hypercorn(python), ours=False),
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with status {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"not listening on port {port} after {START_TIMEOUT:g} s")


def _check_our_h11() -> None:
    """uvicorn and hypercorn must frame with this project's h11, not PyPI's."""
    import h11
    import h11_connection

    if h11.Connection is not h11_connection.Connection:
        sys.exit(f"`import h11` gives {h11.__file__}, not this project's h11: install ours")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="only this server (repeatable)")
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds per case")
    parser.add_argument("--json-dir", type=Path, help="write each report as NAME.json here")
    parser.add_argument(
        "--reference-python",
        help="a Python with uvicorn and hypercorn on PyPI h11: probed too, for comparison",
    )
    args = parser.parse_args()
    every = SERVERS + (_on_pypi_h11(args.reference_python) if args.reference_python else [])
    servers = [s for s in every if not args.only or s.name in args.only]
    if any(s.needs_our_h11 for s in servers):
        _check_our_h11()
    summaries: list[str] = []
    failed = False
    with tempfile.TemporaryDirectory() as empty:  # http.server serves this folder
        for server in servers:
            port = _free_port()
            command = [part.replace("{port}", str(port)) for part in server.command]
            print(f"\n=== {server.name}: {' '.join(command)}", flush=True)
            process = subprocess.Popen(
                command,
                cwd=empty if server.name == "http.server" else HERE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            try:
                _wait_listening(port, process)
                report = probe(f"http://127.0.0.1:{port}", timeout=args.timeout)
            except RuntimeError as exc:
                summaries.append(f"{server.name}: did not start: {exc}")
                failed = True
                continue
            finally:
                process.terminate()
                try:
                    _, err = process.communicate(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    _, err = process.communicate()
            print(report.render())
            if args.json_dir is not None:
                args.json_dir.mkdir(parents=True, exist_ok=True)
                (args.json_dir / f"{server.name}.json").write_text(
                    json.dumps(report.to_json(), indent=2)
                )
            summaries.append(f"{server.name}: {report.summary_line()}")
            if server.ours and report.unsafe:
                failed = True
                summaries[-1] += "  <- built on our h11: must be 0 unsafe"
            if err and err.strip():
                print(f"--- {server.name} stderr (last lines):")
                print("\n".join(err.decode(errors="replace").splitlines()[-15:]))
    print("\n=== summary")
    print("\n".join(summaries))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
