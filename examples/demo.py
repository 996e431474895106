"""The h11 demo: an h11 server and an h11 client talking over loopback.

It starts ``asyncio_server.py`` and ``proxy.py`` on free ports of 127.0.0.1,
runs a series of exchanges against them with ``client.py`` (and with curl
when it is installed), prints each one, checks what came back, stops both
servers and exits: 0 when every check passed, 1 otherwise. It never runs
longer than ``--deadline`` seconds. Only ``h11`` and the standard library
are needed.

    python examples/demo.py
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import client  # noqa: E402  (the example client next to this file)
import h11_connection as h11  # noqa: E402

DEFAULT_DEADLINE = 90.0
STEP_TIMEOUT = 10.0


class DemoFailed(Exception):
    """A check did not hold."""


class DeadlineExceeded(Exception):
    """The whole demo ran out of time."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise DemoFailed(message)


class Script:
    """An example server script running on a free port, its stderr kept in a temporary file.

    A server that logged a traceback fails the demo even if every answer looked right.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / name), "--host", "127.0.0.1", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        assert self.process.stdout is not None
        try:
            line = self.process.stdout.readline().strip()  # bounded by the alarm set in main()
        except BaseException:
            self.stop()  # e.g. the deadline struck: never leave the server running
            raise
        prefix = "listening on "
        if not line.startswith(prefix):
            self.stop()
            raise DemoFailed(f"{name} did not start (first line {line!r})")
        self.url = line[len(prefix) :]

    def stop(self) -> list[str]:
        """SIGTERM, a bounded wait (SIGKILL as a last resort); the problems seen."""
        process = self.process
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        self.log.seek(0)
        stderr = self.log.read().decode("utf-8", "replace")
        self.log.close()
        problems = []
        if process.returncode != 0:
            problems.append(f"{self.name} exited with {process.returncode} on SIGTERM")
        if "Traceback" in stderr:
            problems.append(f"{self.name} logged an error:\n{stderr}")
        return problems


def show_request(method: str, url: str, note: str = "") -> None:
    print(f"  -> {method} {url}{'  (' + note + ')' if note else ''}")


def show_response(response: client.Response, body_preview: int = 0) -> None:
    for status in response.informational:
        print(f"  <- {status} (informational)")
    print(f"  <- HTTP/{response.http_version} {response.status} {response.reason}")
    for name, value in response.headers:
        print(f"       {name}: {value}")
    reuse = "reused connection" if response.reused_connection else "new connection"
    print(f"     body: {len(response.body)} bytes in {response.data_events} Data events, {reuse}")
    if body_preview and response.body:
        text = response.body[:body_preview].decode("utf-8", "replace").rstrip("\n")
        for line in text.splitlines():
            print(f"     | {line}")


class Demo:
    """The steps, run in order; each prints its exchange and checks it."""

    def __init__(self, base: str, proxy: str) -> None:
        self.base = base
        self.proxy = proxy
        self.http = client.HTTPClient(timeout=STEP_TIMEOUT)

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("GET the HTML page", self.page),
            ("keep-alive: two requests, one connection", self.keep_alive),
            ("HEAD: the head of the page, no body", self.head),
            ("POST with a streamed (chunked) request body", self.streamed_post),
            ("chunked response", self.chunked_response),
            ("Expect: 100-continue", self.expect_continue),
            ("pipelining: three requests sent before any answer", self.pipelining),
            ("protocol error: a malformed request gets 400 and Connection: close", self.bad),
            ("HTTP/1.0 request: no chunked encoding, connection closes", self.http10),
            ("through the h11 forward proxy", self.via_proxy),
        ]

    def page(self) -> None:
        show_request("GET", self.base + "/")
        response = self.http.request("GET", self.base + "/")
        show_response(response, body_preview=120)
        check(response.status == 200, "GET / did not return 200")
        check(b"Hello from h11" in response.body, "the page lacks its heading")

    def keep_alive(self) -> None:
        ids = []
        for _ in range(2):
            show_request("GET", self.base + "/conn")
            response = self.http.request("GET", self.base + "/conn")
            show_response(response)
            ids.append(json.loads(response.body)["connection"])
        check(ids[0] == ids[1], f"the server saw two connections: {ids}")
        check(response.reused_connection, "the client did not reuse its connection")
        print(f"     both requests travelled on server connection #{ids[0]}")

    def head(self) -> None:
        show_request("HEAD", self.base + "/")
        response = self.http.request("HEAD", self.base + "/")
        show_response(response)
        check(response.status == 200 and response.body == b"", "HEAD must have no body")
        check(response.header("content-length") is not None, "HEAD lost Content-Length")

    def streamed_post(self) -> None:
        pieces = [f"piece {i}\n".encode() for i in range(1, 6)]

        def body() -> Iterator[bytes]:
            yield from pieces

        show_request("POST", self.base + "/echo", "body sent as 5 chunks")
        response = self.http.request("POST", self.base + "/echo", [], body())
        show_response(response, body_preview=200)
        check(response.status == 200, "POST /echo failed")
        check(response.body == b"".join(pieces), "the echoed body differs from what we sent")

    def chunked_response(self) -> None:
        show_request("GET", self.base + "/chunked?n=4")
        response = self.http.request("GET", self.base + "/chunked?n=4")
        show_response(response, body_preview=200)
        check(response.header("transfer-encoding") == "chunked", "the response was not chunked")
        check(response.body.count(b"\n") == 4, "expected 4 lines")

    def expect_continue(self) -> None:
        payload = b"x" * 2000
        show_request("POST", self.base + "/echo", "Expect: 100-continue")
        response = self.http.request(
            "POST", self.base + "/echo", [("Expect", "100-continue")], payload
        )
        show_response(response)
        check(response.informational == [100], "no 100 Continue before the response")
        check(response.body == payload, "the echoed body differs")

    def pipelining(self) -> None:
        paths = [("GET", "/conn"), ("HEAD", "/"), ("GET", "/conn")]
        for method, path in paths:
            show_request(method, self.base + path, "pipelined")
        responses = client.pipeline(self.base, paths, timeout=STEP_TIMEOUT)
        for response in responses:
            show_response(response)
        check(len(responses) == 3, f"got {len(responses)} responses for 3 requests")
        first, third = json.loads(responses[0].body), json.loads(responses[2].body)
        check(first["connection"] == third["connection"], "pipelined requests were split")
        check((first["request"], third["request"]) == (1, 3), "responses came out of order")
        check(responses[1].body == b"", "the pipelined HEAD got a body")

    def bad(self) -> None:
        raw = b"GET / HTTP/1.1\r\nHost: demo\r\nBad Header : 1\r\n\r\n"
        print(f"  -> raw bytes {raw!r}")
        where = client.Target.from_url(self.base)
        with socket.create_connection((where.host, where.port), timeout=STEP_TIMEOUT) as sock:
            sock.sendall(raw)
            conn = h11.Connection(h11.CLIENT)
            # Tell our state machine what was sent, so it can parse the answer.
            conn.send(h11.Request(method="GET", target="/", headers=[("Host", "demo")]))
            conn.send(h11.EndOfMessage())
            events: list[h11.Event] = []
            for _ in range(100):
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    conn.receive_data(sock.recv(65536))
                    continue
                assert isinstance(event, h11.Event)
                events.append(event)
                if isinstance(event, h11.EndOfMessage):
                    break
            eof = sock.recv(65536)
        head = events[0]
        check(isinstance(head, h11.Response), f"expected a response, got {head!r}")
        assert isinstance(head, h11.Response)
        body = b"".join(bytes(e.data) for e in events if isinstance(e, h11.Data))
        print(f"  <- HTTP/{head.http_version.decode()} {head.status_code} {head.reason.decode()}")
        for name, value in head.headers:
            print(f"       {name.decode()}: {value.decode()}")
        print(f"     body: {body.decode().strip()}")
        print(f"     then the server closed the connection: {eof == b''}")
        check(400 <= head.status_code < 500, "a malformed request must get a 4xx")
        check((b"connection", b"close") in list(head.headers), "no Connection: close")
        check(eof == b"", "the server kept the connection open after a protocol error")

    def http10(self) -> None:
        where = client.Target.from_url(self.base)
        raw = b"GET /chunked?n=3 HTTP/1.0\r\nHost: demo\r\n\r\n"
        print(f"  -> raw bytes {raw!r}")
        with socket.create_connection((where.host, where.port), timeout=STEP_TIMEOUT) as sock:
            sock.sendall(raw)
            received = b""
            for _ in range(1000):
                data = sock.recv(65536)
                if not data:
                    break
                received += data
        head, _, body = received.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        print(f"  <- {lines[0]}")
        for line in lines[1:]:
            print(f"       {line}")
        print(f"     body: {len(body)} bytes, ended by the server closing the connection")
        lowered = head.lower()
        check(b"transfer-encoding" not in lowered, "chunked sent to an HTTP/1.0 client")
        check(b"connection: close" in lowered, "no Connection: close for HTTP/1.0")
        check(body.count(b"\n") == 3, "the close-delimited body is incomplete")

    def via_proxy(self) -> None:
        url = self.base + "/headers"
        show_request("GET", url, f"absolute-form, via proxy {self.proxy}")
        with client.HTTPClient(timeout=STEP_TIMEOUT, proxy=self.proxy) as proxied:
            response = proxied.request("GET", url)
        show_response(response)
        check(response.status == 200, "the proxied request failed")
        headers = {k.lower(): v for k, v in json.loads(response.body)["headers"]}
        check("via" in headers, "the origin did not see the proxy's Via header")
        print(f"     the origin saw Via: {headers['via']}")


def run_curl(base: str) -> list[str]:
    """The same server seen by curl; returns failure messages."""
    curl = shutil.which("curl")
    if curl is None:
        print("\n== curl: SKIPPED, curl is not installed (Debian package: curl)")
        return []
    failures = []
    runs: list[tuple[str, list[str], Callable[[str, str], bool]]] = [
        (
            "curl: GET / then /conn on one connection",
            [
                base + "/",
                base + "/conn",
                "-w",
                "\\n[curl: %{http_code}, new connections: %{num_connects}]\\n",
            ],
            lambda out, err: "new connections: 0" in out and "Hello from h11" in out,
        ),
        (
            "curl: chunked upload with Expect: 100-continue",
            [
                "-H",
                "Transfer-Encoding: chunked",
                "-H",
                "Expect: 100-continue",
                "--data-binary",
                "hello from curl",
                base + "/echo",
                "-v",
            ],
            lambda out, err: "hello from curl" in out and "100 Continue" in err,
        ),
        (
            "curl: HEAD",
            ["-I", base + "/"],
            lambda out, err: out.startswith("HTTP/1.1 200") and "content-length" in out.lower(),
        ),
        (
            "curl: HTTP/1.0",
            ["--http1.0", "-i", base + "/stream?n=3"],
            lambda out, err: "tick 3" in out and "transfer-encoding" not in out.lower(),
        ),
    ]
    for title, args, ok in runs:
        print(f"\n== {title}")
        command = [curl, "-sS", "--max-time", str(STEP_TIMEOUT), *args]
        print("  $ " + shlex.join(command))
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=STEP_TIMEOUT + 5, check=False
        )
        lines = result.stdout.strip().splitlines()
        if len(lines) > 12:
            lines = [*lines[:5], f"... ({len(lines) - 8} more lines)", *lines[-3:]]
        for line in lines:
            print(f"  | {line}")
        for line in result.stderr.splitlines():
            if line.startswith(("< HTTP", "> POST", "> GET")):
                print(f"  | {line}")
        if result.returncode == 0 and ok(result.stdout, result.stderr):
            print("  ok")
        else:
            print(f"  FAILED (curl exit {result.returncode})")
            failures.append(title)
    return failures


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise DeadlineExceeded("the demo ran out of time")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the h11 example server/client demo.")
    parser.add_argument("--deadline", type=float, default=DEFAULT_DEADLINE, help="seconds")
    parser.add_argument("--no-curl", action="store_true", help="skip the curl exchanges")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, args.deadline)
    started = time.monotonic()
    scripts: list[Script] = []
    failures: list[str] = []
    try:
        scripts.append(Script("asyncio_server.py"))
        scripts.append(Script("proxy.py"))
        base, proxy_url = scripts[0].url, scripts[1].url
        print(f"{h11.PRODUCT_ID} demo: server at {base}, proxy at {proxy_url}")
        demo = Demo(base, proxy_url)
        try:
            for title, step in demo.steps():
                print(f"\n== {title}")
                try:
                    step()
                    print("  ok")
                except (
                    DemoFailed,
                    client.ClientError,
                    h11.ProtocolError,
                    OSError,
                    ValueError,
                    KeyError,
                    AssertionError,
                ) as exc:
                    print(f"  FAILED: {exc}")
                    failures.append(title)
        finally:
            demo.http.close()
        if args.no_curl:
            print("\n== curl: skipped (--no-curl)")
        else:
            failures += run_curl(base)
    except DeadlineExceeded as exc:
        failures.append(str(exc))
    except DemoFailed as exc:
        failures.append(str(exc))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for script in scripts:
            failures += script.stop()
    elapsed = time.monotonic() - started
    print()
    if failures:
        print(f"demo FAILED in {elapsed:.1f}s: {len(failures)} problem(s):")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print(f"demo finished in {elapsed:.1f}s: every exchange behaved as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
