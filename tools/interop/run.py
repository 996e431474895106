"""Interop checks (issue #9): the h11 examples against other HTTP implementations.

Runs the pytest checks in tools/interop/tests/ and prints one readable line
per check plus a final ``N passed, M failed`` line; exits non-zero when a
check failed. Everything talks over 127.0.0.1 only.

    python tools/interop/run.py                  # every check; a missing tool fails
    python tools/interop/run.py --allow-missing  # missing curl/chromium/httpx/uvicorn: skipped
    python tools/interop/run.py -- -k curl       # extra pytest arguments after --
    python tools/interop/run.py --expect-h11-dist h11   # our h11 distribution, not PyPI's

Needs: pytest, httpx and uvicorn (pip), curl and chromium (Debian), plus the
``h11`` under test. httpx (through httpcore) and uvicorn (``http="h11"``) run
on whatever ``h11`` is installed, so they exercise it too.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


class Reporter:
    """A pytest plugin that prints PASS/FAIL/SKIP per check and counts them."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.lines: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        name = report.nodeid.split("::", 1)[-1]
        if report.failed:
            self.failed += 1
            self.lines.append(f"FAIL  {name}  ({report.when}): {_first_line(report)}")
        elif report.skipped:
            self.skipped += 1
            self.lines.append(f"SKIP  {name}: {_first_line(report)}")
        elif report.when == "call":
            self.passed += 1
            self.lines.append(f"PASS  {name}")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.failed += 1
            self.lines.append(f"FAIL  collecting {report.nodeid}: {_first_line(report)}")


def _first_line(report: pytest.TestReport | pytest.CollectReport) -> str:
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    text = str(report.longrepr or "").strip()
    for line in text.splitlines():
        if line.startswith("E "):
            return line[1:].strip()
    return text.splitlines()[-1] if text else "no details"


def describe_h11() -> str:
    try:
        import h11
    except ImportError:
        return "h11 is NOT importable: install the h11 under test"
    providers = importlib.metadata.packages_distributions().get("h11", [])
    return (
        f"h11 under test: {h11.PRODUCT_ID} from {Path(h11.__file__).parent}"
        f" (distribution: {', '.join(providers) or 'unknown'})"
    )


def wrong_h11(expected: str) -> str | None:
    """Why the installed ``h11`` is not (only) from ``expected``, or None if it is.

    Our distribution is also named ``h11`` (version ``0.16.0+sansio.<version>``), so
    the module must come from that distribution *and* be this implementation.
    """
    providers = importlib.metadata.packages_distributions().get("h11", [])
    normalised = {name.lower().replace("_", "-") for name in providers}
    if normalised != {expected.lower().replace("_", "-")}:
        return (
            f"the h11 module is provided by {sorted(providers) or 'nothing'}, expected only"
            f" {expected!r}: install this project's h11 (pip install ./packages/h11 and siblings)"
        )
    import h11

    if not h11.PRODUCT_ID.startswith("python-h11-connection/"):
        return f"import h11 gives {h11.PRODUCT_ID}, not this project's h11: install ./packages/h11"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="report checks whose tool is missing as skipped instead of failed",
    )
    parser.add_argument(
        "--expect-h11-dist",
        metavar="NAME",
        help="fail unless the h11 module comes from this distribution only (e.g. h11) and is ours",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    if args.allow_missing:
        os.environ["INTEROP_ALLOW_MISSING"] = "1"
    print(describe_h11(), flush=True)
    if args.expect_h11_dist:
        problem = wrong_h11(args.expect_h11_dist)
        if problem is not None:
            print(f"FAIL  h11 under test: {problem}")
            print("0 passed, 1 failed")
            return 1
    reporter = Reporter()
    code = pytest.main(
        [str(HERE / "tests"), "-q", "-p", "no:cacheprovider", *args.pytest_args],
        plugins=[reporter],
    )
    print()
    print("interop checks:")
    for line in reporter.lines:
        print(f"  {line}")
    summary = f"{reporter.passed} passed, {reporter.failed} failed"
    if reporter.skipped:
        summary += f", {reporter.skipped} skipped"
    print(summary)
    if reporter.failed or code not in (pytest.ExitCode.OK,):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
