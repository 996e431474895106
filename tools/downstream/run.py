"""Run httpcore's, uvicorn's, wsproto's and hypercorn's own tests against a venv's ``h11``.

Why: the facade must be a drop-in replacement for h11 0.16, and the best witness of that is the
test code of the biggest h11 users. Run it once with a venv holding PyPI h11 0.16 and once
with a venv holding this project's packages; ``--expect-same-as`` compares the two.

    python tools/downstream/run.py --python REF/bin/python --json-out ref.json
    python tools/downstream/run.py --python OURS/bin/python --expect-same-as ref.json

What it does, in order: records ``h11.__file__`` and ``h11.__version__`` of PY; downloads the
pinned sdists from PyPI (``pip download --no-binary :all: --no-deps``) and unpacks them in a
temporary directory; installs ``requirements.txt`` (the full closure of the suites' test
requirements, without h11) and the sdists into PY's venv with ``--no-deps``; checks that
``import h11`` still resolves to the same file; runs pytest in each unpacked sdist on the module
list below; prints each pytest summary, then the counts. See README.md for what is excluded and
why. Exclusions are constants here, so they are the same for both runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"


@dataclass(frozen=True)
class Suite:
    """One downstream project: which sdist, which test modules, which tests deselected."""

    name: str
    requirement: str
    modules: tuple[str, ...]
    # Loaded explicitly, with autoload off, so that whatever else lives in the venv -- e.g.
    # h11-testkit's own pytest plugin, or hypothesis -- cannot change the outcome of either run.
    plugins: tuple[str, ...]
    deselect_expr: str = ""
    # A module that fails to import must not hide the results of all the others.
    addopts: str = "-rfExXs --strict-config --strict-markers --continue-on-collection-errors"


SUITES: tuple[Suite, ...] = (
    Suite(
        name="httpcore",
        requirement="httpcore==1.0.9",
        # Everything that drives h11 (client side): the HTTP/1.1 connection, the generic
        # connection and the pool (mock streams), proxies (CONNECT tunnels and plain forwarding
        # over HTTP/1.1, SOCKS then HTTP/1.1), cancellation, the top-level API and integration
        # (both against a local pytest-httpbin server on 127.0.0.1), each in async and sync form.
        modules=(
            "tests/_async/test_http11.py",
            "tests/_sync/test_http11.py",
            "tests/_async/test_connection.py",
            "tests/_sync/test_connection.py",
            "tests/_async/test_connection_pool.py",
            "tests/_sync/test_connection_pool.py",
            "tests/_async/test_http_proxy.py",
            "tests/_sync/test_http_proxy.py",
            "tests/_async/test_socks_proxy.py",
            "tests/_sync/test_socks_proxy.py",
            "tests/_async/test_integration.py",
            "tests/_sync/test_integration.py",
            "tests/test_cancellations.py",
            "tests/test_api.py",
        ),
        plugins=("anyio.pytest_plugin", "pytest_trio.plugin", "pytest_httpbin.plugin"),
    ),
    Suite(
        name="uvicorn",
        requirement="uvicorn==0.54.0",
        # The H11Protocol tests (byte level), websocket upgrades through H11Protocol (wsproto's
        # handshake is h11 too), and every module that serves real requests over 127.0.0.1
        # with H11Protocol and the httpx2 client (whose httpcore2 is another h11 client).
        modules=(
            "tests/protocols/test_http.py",
            "tests/protocols/test_websocket.py",
            "tests/test_server.py",
            "tests/test_default_headers.py",
            "tests/test_main.py",
            "tests/test_ssl.py",
            "tests/middleware/test_proxy_headers.py",
            "tests/middleware/test_logging.py",
        ),
        plugins=("anyio.pytest_plugin", "pytest_mock"),
        # The httptools and zttp parametrisations never touch h11.
        deselect_expr="not httptools and not zttp",
    ),
    Suite(
        name="wsproto",
        requirement="wsproto==1.3.2",
        # The whole suite: the opening handshake (client and server) is h11 request and
        # response parsing; frames and extensions run on the same Connection objects.
        modules=("tests",),
        plugins=(),
    ),
    Suite(
        name="hypercorn",
        requirement="hypercorn==0.18.0",
        # The whole suite: tests/protocol/test_h11.py drives H11Protocol byte by byte, the
        # asyncio/trio servers and the e2e httpx test serve real HTTP/1.1 on 127.0.0.1 (and
        # httpx's client is h11 again); HTTP/2 and websocket modules share the code paths
        # that pick h11 or h2 (upgrade, prior knowledge).
        modules=("tests",),
        plugins=("pytest_asyncio.plugin", "pytest_trio.plugin"),
    ),
)

OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed")
MAX_LISTED = 60  # moved tests printed per suite by --expect-same-as
TEST_TIMEOUT = 20  # seconds per test (pytest-timeout); the slowest takes ~1 s with h11 0.16

# Tests that assert an h11 leniency this project rejects on purpose (see the table of deliberate
# differences in the README). They still run in both runs; a failure counts as "xfailed" only if
# its report contains the given text, i.e. only if it failed for exactly that reason.
KNOWN_DIFFERENCES: dict[str, tuple[str, str]] = {
    "tests.protocols.test_http::test_huge_headers_h11_max_incomplete": (
        "a head of 65,581 bytes (start line + field lines) against "
        "h11_max_incomplete_event_size=65,536, in two reads: h11 accepts it because the "
        "second read completes the head; we reject any head over the limit whatever the read "
        "sizes (431), which uvicorn answers with its 400 and a warning log line",
        "Invalid HTTP request received.",
    ),
}


@dataclass
class SuiteResult:
    """Per-test outcomes of one suite; counts are derived from them."""

    outcomes: dict[str, str] = field(default_factory=dict)
    returncode: int = 0

    def counts(self) -> dict[str, int]:
        """Count outcomes by kind, in a fixed key order."""
        result = dict.fromkeys(OUTCOMES, 0)
        for outcome in self.outcomes.values():
            result[outcome] += 1
        return result


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command, echoing it, and fail loudly if it fails."""
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def probe_h11(python: str) -> dict[str, str]:
    """Where the venv's ``h11`` lives and which version it claims to be."""
    code = "import h11, json; print(json.dumps({'file': h11.__file__, 'version': h11.__version__}))"
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"{python} cannot import h11:\n{out.stderr[-2000:]}")
    probe: dict[str, str] = json.loads(out.stdout)
    return probe


def absolute_python(python: str) -> str:
    """An absolute path (pytest runs elsewhere), keeping the venv's symlink unresolved."""
    if os.sep not in python:
        python = shutil.which(python) or python
    return os.path.abspath(python)


def pip_install(python: str) -> list[str]:
    """``pip install`` of the venv if it has pip, else ``uv pip install`` aimed at the venv."""
    ok = subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode == 0
    if ok:
        return [python, "-m", "pip", "--disable-pip-version-check", "install", "-q"]
    uv = shutil.which("uv")
    if uv is None:
        sys.exit(f"{python} has no pip and uv is not on PATH: cannot install test requirements")
    return [uv, "pip", "install", "-q", "--python", python]


def download_sdists(workdir: Path) -> dict[str, Path]:
    """Fetch and unpack each suite's sdist; return the unpacked source directories."""
    dist = workdir / "sdists"
    dist.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    requirements = [suite.requirement for suite in SUITES]
    run(
        [
            *pip,
            "download",
            "-q",
            "--no-binary",
            ":all:",
            "--no-deps",
            "--dest",
            str(dist),
            *requirements,
        ]
    )
    sources: dict[str, Path] = {}
    for suite in SUITES:
        name, version = suite.requirement.split("==")
        archive = dist / f"{name}-{version}.tar.gz"
        target = workdir / "src"
        with tarfile.open(archive) as tar:
            if sys.version_info >= (3, 12):
                tar.extractall(target, filter="data")
            else:
                tar.extractall(target)  # PyPI sdist pinned by version
        source = target / f"{name}-{version}"
        if not (source / "tests").is_dir():
            sys.exit(f"{archive.name} ships no tests/ directory")
        sources[suite.name] = source
    return sources


def install(python: str, sources: dict[str, Path]) -> None:
    """Install the test requirements and the two projects without letting pip touch h11."""
    install_cmd = pip_install(python)
    run([*install_cmd, "--no-deps", "-r", str(REQUIREMENTS)])
    run([*install_cmd, "--no-deps", *(str(src) for src in sources.values())])


def parse_junit(path: Path) -> dict[str, str]:
    """Map each test id to one outcome; an error anywhere beats a pass."""
    outcomes: dict[str, str] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        test_id = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome = "passed"
        # Failure text plus captured output and logs (junit_logging=all): the evidence that a
        # known difference failed for its known reason.
        report = "\n".join(f"{c.get('message', '')}\n{c.text or ''}" for c in case)
        for child in case:
            if child.tag == "failure":
                outcome = "failed"
                known = KNOWN_DIFFERENCES.get(test_id)
                if known is not None and known[1] in report:
                    outcome = "xfailed"
            elif child.tag == "error":
                outcome = "error"
            elif child.tag == "skipped" and outcome == "passed":
                is_xfail = child.get("type") == "pytest.xfail"
                outcome = "xfailed" if is_xfail else "skipped"
        if outcomes.get(test_id) in ("failed", "error"):
            continue
        outcomes[test_id] = outcome
    return outcomes


def run_suite(
    python: str, suite: Suite, source: Path, workdir: Path, timeout: float
) -> SuiteResult:
    """Run one suite's pytest in its unpacked sdist, bounded by ``timeout`` seconds."""
    junit = workdir / f"{suite.name}-junit.xml"
    junit.unlink(missing_ok=True)
    cmd = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    for plugin in suite.plugins:
        cmd += ["-p", plugin]
    cmd += ["-p", "pytest_timeout", f"--timeout={TEST_TIMEOUT}", "--timeout-method=signal"]
    cmd += ["-o", f"addopts={suite.addopts}", "-o", "junit_logging=all", f"--junitxml={junit}"]
    if suite.deselect_expr:
        cmd += ["-k", suite.deselect_expr]
    cmd += list(suite.modules)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTHONPATH"))}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    print(f"\n===== {suite.name}: {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen(cmd, cwd=source, env=env, start_new_session=True)
    try:
        returncode = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        print(f"{suite.name}: pytest killed after {timeout:.0f}s", flush=True)
        returncode = -1
    outcomes = parse_junit(junit) if junit.exists() else {}
    if not outcomes:
        outcomes = {f"{suite.name}::<no junit report>": "error"}
    return SuiteResult(outcomes=outcomes, returncode=returncode)


def format_counts(counts: dict[str, int]) -> str:
    """One-line rendering of a counts dict, zeros included so runs line up."""
    return ", ".join(f"{counts[k]} {k}" for k in OUTCOMES)


def compare(previous: dict[str, object], current: dict[str, object]) -> bool:
    """Print both runs side by side and every test whose outcome moved; True if identical."""
    same = True
    prev_suites = previous["suites"]
    cur_suites = current["suites"]
    assert isinstance(prev_suites, dict)
    assert isinstance(cur_suites, dict)
    print("\n===== comparison (reference | this run)")
    print(f"h11: {previous['h11']} | {current['h11']}")
    for name in sorted(set(prev_suites) | set(cur_suites)):
        prev = prev_suites.get(name, {"counts": {}, "outcomes": {}})
        cur = cur_suites.get(name, {"counts": {}, "outcomes": {}})
        before, after = format_counts(_full(prev["counts"])), format_counts(_full(cur["counts"]))
        print(f"{name}: {before} | {after}")
        moved = sorted(
            (test, prev["outcomes"].get(test, "absent"), cur["outcomes"].get(test, "absent"))
            for test in set(prev["outcomes"]) | set(cur["outcomes"])
            if prev["outcomes"].get(test) != cur["outcomes"].get(test)
        )
        shown = 0
        for test, was, now in moved:
            known = KNOWN_DIFFERENCES.get(test)
            if known is not None and now == "xfailed":
                print(f"  {test}: {was} -> {now} (known difference: {known[0]})")
                continue
            same = False
            shown += 1
            if shown <= MAX_LISTED:
                print(f"  {test}: {was} -> {now}")
        if shown > MAX_LISTED:
            print(f"  ... and {shown - MAX_LISTED} more (see --json-out for all outcomes)")
    print("downstream outcomes:", "same (up to deliberate differences)" if same else "DIFFERENT")
    return same


def _full(counts: dict[str, int]) -> dict[str, int]:
    return {k: counts.get(k, 0) for k in OUTCOMES}


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; exit status 0 means green (or identical with --expect-same-as)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="venv python whose h11 is under test")
    parser.add_argument("--json-out", type=Path, help="write counts and per-test outcomes here")
    parser.add_argument("--expect-same-as", type=Path, help="JSON of a previous run to compare")
    parser.add_argument("--workdir", type=Path, help="keep sdists and reports here (default: temp)")
    parser.add_argument("--timeout", type=float, default=1500.0, help="seconds per suite")
    args = parser.parse_args(argv)

    python = absolute_python(args.python)
    before = probe_h11(python)
    print(f"h11 under test: {before['version']} at {before['file']}", flush=True)

    with tempfile.TemporaryDirectory(prefix="h11-downstream-") as tmp:
        workdir = args.workdir.resolve() if args.workdir else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        sources = download_sdists(workdir)
        install(python, sources)
        after = probe_h11(python)
        if after != before:
            sys.exit(f"installing the test requirements replaced h11: {before} -> {after}")
        started = time.monotonic()
        results = {
            suite.name: run_suite(python, suite, sources[suite.name], workdir, args.timeout)
            for suite in SUITES
        }
        elapsed = time.monotonic() - started

    report: dict[str, object] = {
        "h11": f"{before['version']} at {before['file']}",
        "suites": {
            name: {"counts": res.counts(), "outcomes": res.outcomes, "returncode": res.returncode}
            for name, res in results.items()
        },
    }
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")

    print(f"\n===== downstream summary ({elapsed:.0f}s), h11 {report['h11']}")
    total = dict.fromkeys(OUTCOMES, 0)
    for name, res in results.items():
        counts = res.counts()
        print(f"{name}: {format_counts(counts)} (pytest exit {res.returncode})")
        for key in OUTCOMES:
            total[key] += counts[key]
        for test, outcome in sorted(res.outcomes.items()):
            if outcome in ("failed", "error"):
                print(f"  {outcome}: {test}")

    ok = total["failed"] == 0 and total["error"] == 0
    if args.expect_same_as:
        ok = compare(json.loads(args.expect_same_as.read_text()), report)
    bad = total["failed"] + total["error"]
    print(
        f"downstream: {total['passed']} passed, {bad} failed, "
        f"{total['skipped'] + total['xfailed']} skipped"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
