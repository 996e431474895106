"""`python -m h11_testkit probe URL`: the attack corpus against a live server, as a report.

`python -m h11_testkit probe-client CLIENT`: hostile responses against an HTTP client.

Exit status: 0 when no case is unsafe, 1 when one is, 2 when the probe could not run
(bad arguments, nothing to connect to, or no case reached a verdict), said in one line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from h11_testkit.client_probe import DEFAULT_TIMEOUT as CLIENT_DEFAULT_TIMEOUT
from h11_testkit.client_probe import command
from h11_testkit.probe import (
    DEFAULT_CONCURRENCY,
    DEFAULT_HEAD_LIMIT,
    DEFAULT_TIMEOUT,
    CaseResult,
    Verdict,
    probe,
    select_cases,
    unreachable,
)


class ProgressBar:
    """`[#####.....] 42/120 cases, 1 unsafe` redrawn in place on a terminal's stderr."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.unsafe = 0
        self.stream = stream

    def __call__(self, result: CaseResult) -> None:
        self.done += 1
        self.unsafe += result.verdict is Verdict.UNSAFE
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} cases, {self.unsafe} unsafe")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\r" + " " * (self.WIDTH + 40) + "\r")
        self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m h11_testkit")
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser(
        "probe",
        help="send every request case of the corpus to a live server and judge its framing",
        description="Send every request case of the attack corpus to the HTTP/1.1 server at "
        "URL (each over its own connection, followed by EOF) and report, by family, which "
        "cases it served, rejected, or handled UNSAFELY. Only URL's host is contacted.",
    )
    cmd.add_argument("url", help="http://HOST:PORT of the server under test (path ignored)")
    _common_options(cmd, DEFAULT_TIMEOUT, f"seconds per case (default {DEFAULT_TIMEOUT:g})")
    cmd.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"cases in flight at once (default {DEFAULT_CONCURRENCY})",
    )
    cmd.add_argument(
        "--head-limit",
        type=int,
        default=DEFAULT_HEAD_LIMIT,
        help="the server's limit on a request head in bytes; cases written for another "
        f"limit are skipped (default {DEFAULT_HEAD_LIMIT}, h11's)",
    )
    cmd.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal)",
    )
    cmd = commands.add_parser(
        "probe-client",
        help="serve hostile responses to an HTTP client library and judge what it made of them",
        description="Serve every hostile response of the client corpus on 127.0.0.1 to "
        "CLIENT (two requests per case: the hostile answer, then a plain one) and report, "
        "by family, which responses it handled safely, refused, accepted leniently, or "
        "handled UNSAFELY (wrong framing, leftover bytes taken as an answer, a connection "
        "reused that had to close).",
    )
    cmd.add_argument(
        "client",
        help="a client library (h11_connection, http.client, urllib3, requests, httpx, "
        "httpx-async, aiohttp), or module:function naming your fetch(url) "
        "(sync or async, returning (status, body))",
    )
    _common_options(
        cmd,
        CLIENT_DEFAULT_TIMEOUT,
        f"the client's timeout in seconds (default {CLIENT_DEFAULT_TIMEOUT:g})",
    )
    return parser


def _common_options(cmd: argparse.ArgumentParser, timeout: float, timeout_help: str) -> None:
    """--json, --timeout, --case and --family, as both probes take them."""
    cmd.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    cmd.add_argument("--timeout", type=float, default=timeout, help=timeout_help)
    cmd.add_argument("--case", action="append", help="only this case (repeatable)")
    cmd.add_argument("--family", action="append", help="only this family (repeatable)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "probe-client":
        return command(args, emit)
    try:
        cases = select_cases(names=args.case, only_families=args.family)
        if args.timeout <= 0 or args.concurrency < 1:
            raise ValueError("--timeout must be positive and --concurrency at least 1")
        problem = unreachable(args.url, args.timeout)
        if problem is not None:
            raise ValueError(problem)
        show_progress = sys.stderr.isatty() if args.progress is None else args.progress
        bar = ProgressBar(len(cases), sys.stderr) if show_progress else None
        report = probe(
            args.url,
            cases=cases,
            timeout=args.timeout,
            concurrency=args.concurrency,
            head_limit=args.head_limit,
            on_result=bar,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if bar is not None:
        bar.finish()
    why = report.unjudged_reason()
    if why is not None and not report.unsafe:
        print(f"error: {why}", file=sys.stderr)
        return 2
    emit(report.to_json() if args.json else report.render())
    return report.exit_status


def emit(output: str | dict[str, object]) -> None:
    """Print a report (text, or JSON data) to stdout; a reader that went away is no error.

    ``probe ... --json | head`` closes the pipe early: the rest of the output is dropped
    instead of ending in a BrokenPipeError traceback.
    """
    text = output if isinstance(output, str) else json.dumps(output, indent=2)
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at devnull so that flush is silent.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
