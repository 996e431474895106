"""Run h11 0.16's own test suite against this project's ``h11`` (and against PyPI h11 first).

    python tools/h11suite/run.py --candidate OURS/bin/python --reference REF/bin/python
        [--sdist h11-0.16.0.tar.gz] [--workdir DIR]

Why: the facade is a drop-in for h11 0.16, and h11's own tests are the most direct
statement of what h11 users rely on. The tests are fetched at run time (``pip download
--no-binary :all: --no-deps h11==0.16.0``, never committed), only ``h11/tests/`` is unpacked,
and ``rewrite.py`` turns their imports of h11's private modules into imports of the public
``h11``; the tests that need a private name are left out and listed.

The rewritten suite runs first under REF (PyPI h11 0.16): every test must pass, which proves
the rewrite changed no test. Then under OURS (``import h11`` must be this project's): every
failure must be one of ``EXPECTED_FAILURES`` and fail for the reason given there, and every
test listed there must fail (a listed test that passes is stale: remove it). Exit status 0
when both hold, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from rewrite import rewrite_package  # noqa: E402

REQUIREMENT = "h11==0.16.0"
#: The rewritten tests' package name (their relative ``.helpers`` imports need a package).
PACKAGE = "h11_upstream_tests"


@dataclass(frozen=True)
class Expected:
    """A test of h11's suite that fails against this project on purpose."""

    #: Why we differ: the RFC rule (and the README's "Differences from h11" row), or the
    #: branch that makes it pass.
    reason: str
    #: Text the failure report must contain, so the test fails for exactly this reason.
    match: str


#: Every test of h11 0.16's suite (rewritten) that fails against this project, and why.
#: The only list of its kind: the README's "Differences from h11" section refers here.
#: A test listed here that passes makes the run fail (stale entry: delete it).
EXPECTED_FAILURES: dict[str, Expected] = {
    "test_connection.py::test_empty_request": Expected(
        "empty lines before a request line are skipped (RFC 9112 2.2: a server SHOULD "
        "ignore at least one empty line before the request-line); h11 raises at once on "
        "a lone CRLF. README row 'empty lines before a request line'",
        "DID NOT RAISE",
    ),
}


def download_sdist(workdir: Path) -> Path:
    """``pip download`` h11 0.16.0's sdist (the tests ship only there)."""
    dest = workdir / "sdist"
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "download", "-q"]
    cmd += ["--no-binary", ":all:", "--no-deps", "--dest", str(dest), REQUIREMENT]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    [sdist] = dest.glob("h11-*.tar.gz")
    return sdist


def unpack_tests(sdist: Path, workdir: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """h11/tests/ of the sdist only: module sources by name, and the data files."""
    modules: dict[str, str] = {}
    data: dict[str, bytes] = {}
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if not member.isfile() or parts[1:3] != ["h11", "tests"]:
                continue  # h11's implementation modules are never unpacked
            relative = "/".join(parts[3:])
            extracted = archive.extractfile(member)
            assert extracted is not None
            content = extracted.read()
            if "/" not in relative and relative.endswith(".py"):
                modules[relative[:-3]] = content.decode()
            else:
                data[relative] = content
    if not modules:
        sys.exit(f"no h11/tests/*.py in {sdist}")
    return modules, data


def public_names(python: str) -> set[str]:
    """What ``h11`` exposes without a leading underscore, in the given venv."""
    code = "import h11, json; print(json.dumps([n for n in dir(h11) if not n.startswith('_')]))"
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    return set(json.loads(out.stdout))


def product_id(python: str) -> str:
    code = "import h11; print(h11.PRODUCT_ID)"
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    return out.stdout.strip()


def write_suite(
    modules: dict[str, str], data: dict[str, bytes], public: set[str], root: Path
) -> int:
    """Rewrite and write the test package under ``root``; print and count what is left out."""
    package = root / PACKAGE
    package.mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n")  # no outside configuration applies
    rewritten = rewrite_package(modules, public)
    left_out = 0
    total = 0
    for name, result in sorted(rewritten.items()):
        (package / f"{name}.py").write_text(result.source)
        total += len(result.tests) + len(result.left_out_tests)
        for test in result.left_out_tests:
            label = test.split("::")[0]
            needs = result.left_out.get(label, [])
            print(f"  left out {name}.py::{test} (needs {', '.join(needs)})")
        left_out += len(result.left_out_tests)
    for relative, content in data.items():
        target = package / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(
        f"h11 0.16 suite: {total} test functions, {left_out} left out (need a private name), "
        f"{total - left_out} run",
        flush=True,
    )
    return total - left_out


def run_pytest(python: str, root: Path, label: str) -> dict[str, tuple[str, str]]:
    """Run the rewritten suite; per test id (``module.py::name[...]``): outcome and report."""
    report = root / f"junit-{label}.xml"
    cmd = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=short", "-rfE"]
    cmd += [f"--junitxml={report}"]
    cmd.append(PACKAGE)
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    env.pop("PYTHONPATH", None)
    print(f"+ [{label}]", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, cwd=root, env=env, check=False)
    if proc.returncode not in (0, 1) or not report.exists():
        sys.exit(f"pytest could not run the suite under {python} (exit {proc.returncode})")
    outcomes: dict[str, tuple[str, str]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")
        name = case.get("name", "")
        path = f"{module[1]}.py" if len(module) > 1 else ""
        test_id = "::".join([path, *module[2:], name])
        outcome, text = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome, text = "failed", f"{child.get('message', '')}\n{child.text or ''}"
                break
            if child.tag == "skipped":
                outcome = "skipped"
        outcomes[test_id] = (outcome, text)
    return outcomes


def check_reference(outcomes: dict[str, tuple[str, str]], expected_count: int) -> list[str]:
    """Under PyPI h11 every rewritten test passes (else the rewrite broke something)."""
    problems = [
        f"{test}: {outcome} under PyPI h11"
        for test, (outcome, _) in outcomes.items()
        if outcome != "passed"
    ]
    functions = {test.split("[")[0] for test in outcomes}
    if len(functions) != expected_count:
        problems.append(f"collected {len(functions)} test functions, expected {expected_count}")
    return problems


def check_candidate(outcomes: dict[str, tuple[str, str]]) -> list[str]:
    """Failures of ours: exactly the expected ones, each for its stated reason."""
    problems = []
    for test, (outcome, text) in sorted(outcomes.items()):
        expected = EXPECTED_FAILURES.get(test)
        if outcome == "failed" and expected is None:
            problems.append(f"unexpected failure: {test}\n{text.strip()[-1500:]}")
        elif outcome == "failed" and expected is not None and expected.match not in text:
            problems.append(
                f"{test} fails, but not with {expected.match!r}:\n{text.strip()[-1500:]}"
            )
        elif outcome != "failed" and expected is not None:
            problems.append(f"stale entry in EXPECTED_FAILURES: {test} {outcome} (delete it)")
        elif outcome == "skipped":
            problems.append(f"{test} skipped: every test must run")
    problems.extend(
        f"stale entry in EXPECTED_FAILURES: {test} not in the suite (delete it)"
        for test in sorted(set(EXPECTED_FAILURES) - set(outcomes))
    )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidate", required=True, help="python whose `import h11` is ours")
    parser.add_argument("--reference", required=True, help="python with PyPI h11 0.16")
    parser.add_argument("--sdist", type=Path, help="h11-0.16.0.tar.gz (default: pip download)")
    parser.add_argument("--workdir", type=Path, help="keep the rewritten suite here")
    args = parser.parse_args(argv)

    ours, theirs = product_id(args.candidate), product_id(args.reference)
    if not ours.startswith("python-h11-connection/"):
        sys.exit(f"--candidate's h11 is {ours}, not this project's")
    if not theirs.startswith("python-h11/0.16"):
        sys.exit(f"--reference's h11 is {theirs}, not PyPI h11 0.16")

    with tempfile.TemporaryDirectory(prefix="h11suite-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        sdist = args.sdist or download_sdist(workdir)
        modules, data = unpack_tests(sdist, workdir)
        root = workdir / "suite"
        if root.exists():
            sys.exit(f"{root} exists: give an empty --workdir")
        count = write_suite(modules, data, public_names(args.reference), root)

        problems = check_reference(run_pytest(args.reference, root, "reference"), count)
        if problems:
            print("\nthe rewritten suite does not pass on PyPI h11 0.16:", *problems, sep="\n  ")
            return 1
        print(f"PyPI h11 0.16 ({theirs}): all {count} test functions pass", flush=True)

        outcomes = run_pytest(args.candidate, root, "candidate")
        problems = check_candidate(outcomes)
        failed = sorted(test for test, (outcome, _) in outcomes.items() if outcome == "failed")
        print(
            f"\nthis project ({ours}): {len(outcomes) - len(failed)} passed, {len(failed)} failed"
        )
        for test in failed:
            if test in EXPECTED_FAILURES:
                print(f"  expected: {test}: {EXPECTED_FAILURES[test].reason}")
        if problems:
            print("\nh11suite: FAILED", *problems, sep="\n  ")
            return 1
        print("h11suite: OK (every failure is listed in EXPECTED_FAILURES)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
