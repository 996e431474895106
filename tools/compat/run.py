"""Live beside PyPI h11: fresh venvs built the way a user builds them, then checked.

    python tools/compat/run.py [--python 3.11] [--only NAME[,NAME...]] [--keep DIR]
                               [--wheels DIR]

Scenarios (issue #14): httpx then ours (pip); ours then httpx (pip), then ``pip install -U``;
uvicorn + hypercorn + wsproto + httpx with our ``h11`` distribution (uv); the testkit beside
PyPI h11 with a downstream test that uses httpx; and every install line a README or a
documentation page shows, run as written in a fresh venv. Each scenario prints ``pip list``,
``pip check`` and which implementation ``import h11`` gives (``PRODUCT_ID``), and asserts:

* ``pip check`` is clean;
* a line that installs the compiled build (``HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 pip install``)
  gives ``h11_connection.COMPILED`` and leaves the clone as it was: ``git status --ignored``
  of packages/ and the build hook shows nothing new, and no extension module is under
  packages/;
* ``import h11`` gives the expected implementation;
* no file is listed in two distributions' RECORD;
* uninstalling any one distribution (with pip, in a copy of the venv) leaves every other
  one whole (each RECORD file present with its hash) and importable; a distribution that
  needs the removed one fails only with ModuleNotFoundError for the removed module.

The scenarios install our packages from wheels: ``--wheels DIR`` (one folder per package,
as ``nox -s compat`` fills ``.nox/_wheels``), else built here once for the run. The README
lines run exactly as written (they build from the tree, as a user's pip does).

Needs ``uv`` on PATH and the package index. Exit status 1 if any check failed.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ROOT / "packages"
#: Every file whose install lines users copy: the READMEs and the documentation site's pages.
READMES = [
    ROOT / "README.md",
    *sorted(PACKAGES.glob("*/README.md")),
    *sorted((ROOT / "docs").glob("*.md")),
]
OURS = ["h11-events", "h11-parser", "h11-connection", "h11"]
OUR_PRODUCT = "python-h11-connection/"
PYPI_PRODUCT = "python-h11/"
NO_H11 = "import h11 failed"
#: Never uninstalled by the per-distribution check: the installer itself.
INSTALLERS = {"pip", "setuptools", "wheel"}
#: Name of the clone in a user project (README examples of uv and requirements files).
CLONE_NAME = "h11-sansio"

#: What a venv reports about itself (run by the venv's python, standard library only).
PROBE = r"""
import csv, importlib, importlib.metadata as md, json, sys
dists = {}
for d in md.distributions():
    name = d.metadata["Name"].lower().replace("_", "-")
    files = [str(f) for f in (d.files or [])]
    record = d.read_text("RECORD") or ""
    rows = [r for r in csv.reader(record.splitlines()) if r]
    dists[name] = {
        "version": d.version,
        "requires": [r for r in (d.requires or []) if "extra ==" not in r],
        "record": rows,
        "path": str(d.locate_file("")),
    }
try:
    import h11
    product = h11.PRODUCT_ID
except Exception as exc:
    product = f"import h11 failed: {type(exc).__name__}: {exc}"
# then each module named on argv: None, or the error it raised
imports = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        imports[name] = None
    except BaseException as exc:
        imports[name] = {"type": type(exc).__name__, "name": getattr(exc, "name", None),
                         "message": str(exc)[:300]}
print(json.dumps({"dists": dists, "product": product, "imports": imports}))
"""
#: Uninstalled with pip itself (the behaviour the issue is about); uv for the others.
PIP_UNINSTALLS = {*OURS, "h11-testkit"}


class CheckFailed(Exception):
    """One assertion of a scenario did not hold."""


@dataclass
class Report:
    """What one scenario showed and which checks failed."""

    name: str
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def say(self, text: str) -> None:
        self.lines.append(text)

    def check(self, ok: bool, what: str) -> None:
        self.say(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(what)


def sh(
    cmd: list[str] | str, *, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command (a list, or a bash script), capturing output; never raises."""
    if isinstance(cmd, str):
        cmd = ["bash", "-eo", "pipefail", "-c", cmd]
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def must(proc: subprocess.CompletedProcess[str], what: str) -> str:
    if proc.returncode != 0:
        raise CheckFailed(
            f"{what} failed ({proc.returncode}):\n{proc.stdout[-1500:]}{proc.stderr[-3000:]}"
        )
    return proc.stdout


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class Venv:
    """A fresh virtual environment with pip only (made by uv: fast; pip is the real pip)."""

    def __init__(self, path: Path, python: str, *, create: bool = True) -> None:
        self.path = path
        self.python = str(path / "bin" / "python")
        if create:
            must(sh(["uv", "venv", "--quiet", "-p", python, str(path)]), "uv venv")
            must(sh(["uv", "pip", "install", "-q", "--python", self.python, "pip"]), "pip")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.path / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.path)
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        return env

    def pip(self, *args: str, cwd: Path = ROOT) -> str:
        proc = sh([self.python, "-m", "pip", *args], cwd=cwd, env=self.env())
        return must(proc, "pip " + " ".join(args))

    def uv_install(self, *args: str) -> str:
        proc = sh(["uv", "pip", "install", "--quiet", "--python", self.python, *args])
        return must(proc, "uv pip install " + " ".join(args))

    def run(self, code: str, *args: str) -> str:
        return must(sh([self.python, "-c", code, *args], env=self.env()), "python -c")

    def probe(self, *modules: str) -> dict[str, object]:
        """Installed distributions, ``import h11``'s PRODUCT_ID, and importing ``modules``."""
        result: dict[str, object] = json.loads(self.run(PROBE, *modules))
        return result

    def copy(self, target: Path) -> Venv:
        # Hard links: an uninstall only unlinks files, so the original stays intact, and
        # linking is far cheaper than copying. Bytecode caches are left out (and out of the
        # RECORD check): Python remakes them.
        shutil.copytree(
            self.path,
            target,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__"),
            copy_function=os.link,
        )
        return Venv(target, "", create=False)


def top_level_modules(record: list[list[str]]) -> set[str]:
    """Importable top-level names a distribution's RECORD installs."""
    names = set()
    for row in record:
        parts = row[0].split("/")
        first = parts[0]
        if (
            first.startswith("..")
            or first.endswith((".dist-info", ".data"))
            or first == "__pycache__"
        ):
            continue
        if len(parts) == 1:
            if first.endswith(".py") and first != "__init__.py":
                names.add(first[:-3])
            elif first.endswith(".so"):
                names.add(first.split(".")[0])
        elif parts[1] in ("__init__.py",) or (parts[1].endswith(".py") and len(parts) == 2):
            names.add(first)
    return {n for n in names if n.isidentifier() and not n.startswith("_distutils")}


def whole(dist: dict[str, object], site: Path) -> list[str]:
    """RECORD files of a distribution that are missing or changed."""
    broken = []
    record = dist["record"]
    assert isinstance(record, list)
    for row in record:
        path, digest = row[0], row[1] if len(row) > 1 else ""
        if "__pycache__/" in path:
            continue
        target = (site / path).resolve()
        if not target.exists():
            broken.append(f"{path} missing")
            continue
        if digest.startswith("sha256="):
            actual = base64.urlsafe_b64encode(hashlib.sha256(target.read_bytes()).digest())
            if actual.rstrip(b"=").decode() != digest[len("sha256=") :]:
                broken.append(f"{path} changed")
    return broken


def requirement_names(dist: dict[str, object]) -> set[str]:
    requires = dist["requires"]
    assert isinstance(requires, list)
    names = set()
    for req in requires:
        if ";" in req and "python_version" in req:
            marker = req.split(";", 1)[1]
            if "< '3.1" in marker or '< "3.1' in marker:
                continue  # backports for older Pythons: not installed here
        match = re.match(r"[A-Za-z0-9._-]+", req)
        if match:
            names.add(normalise(match.group(0)))
    return names


def needs(dists: dict[str, dict[str, object]], name: str, removed: str) -> bool:
    """Whether ``name`` needs ``removed``, directly or through other installed dists."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in dists:
            continue
        seen.add(current)
        for dep in requirement_names(dists[current]):
            if dep == removed:
                return True
            todo.append(dep)
    return False


def show_state(report: Report, venv: Venv, expect_product: str) -> dict[str, dict[str, object]]:
    """pip list, pip check and PRODUCT_ID, printed and checked; returns the dists."""
    listing = venv.pip("list", "--format=freeze", "--exclude", "pip")
    report.say("  pip list: " + ", ".join(listing.split()))
    check = sh([venv.python, "-m", "pip", "check"], env=venv.env())
    report.say(f"  pip check: {(check.stdout + check.stderr).strip()}")
    report.check(check.returncode == 0, "pip check is clean")
    probe = venv.probe()
    product = str(probe["product"])
    report.say(f"  import h11 -> PRODUCT_ID {product}")
    report.check(
        product.startswith(expect_product),
        f"import h11 gives {expect_product}..."
        if expect_product != NO_H11
        else "import h11 fails: no h11 installed by these lines",
    )
    dists = probe["dists"]
    assert isinstance(dists, dict)
    owners: dict[str, list[str]] = {}
    for name, dist in dists.items():
        for row in dist["record"]:
            if not row[0].endswith(".pyc"):
                owners.setdefault(row[0], []).append(name)
    shared = {path: names for path, names in owners.items() if len(names) > 1}
    report.check(not shared, f"no file in two RECORDs {sorted(shared.items())[:5] or ''}")
    return dists


def uninstall_each(report: Report, venv: Venv, work: Path) -> None:
    """For each distribution: uninstall it in a copy; the others stay whole and importable.

    Every module imports in the full venv first. After an uninstall, a distribution whose
    files are all intact imports as before unless it needs the removed one, so the imports
    retried are those of the removed one's dependents (and ``import h11``'s PRODUCT_ID).
    """
    dists = venv.probe()["dists"]
    assert isinstance(dists, dict)
    site = Path(next(iter(dists.values()))["path"])
    problems = []
    names = sorted(n for n in dists if n not in INSTALLERS)
    modules = {name: top_level_modules(dists[name]["record"]) for name in names}
    everything = sorted(m for name in names for m in modules[name])
    baseline = venv.probe(*everything)
    assert isinstance(baseline["imports"], dict)
    for module, error in baseline["imports"].items():
        if error is not None:
            problems.append(f"import {module} fails before any uninstall: {error}")
    for removed in names:
        copy = venv.copy(work / f"without-{removed}")
        copy_site = Path(str(site).replace(str(venv.path), str(copy.path), 1))
        if removed in PIP_UNINSTALLS:
            copy.pip("uninstall", "-y", "-q", removed)
        else:
            must(sh(["uv", "pip", "uninstall", "-q", "--python", copy.python, removed]), "uv")
        owner = {
            m: name
            for name in names
            if name != removed and needs(dists, name, removed)
            for m in modules[name]
        }
        probe = copy.probe(*sorted(owner))
        after = probe["dists"]
        assert isinstance(after, dict)
        if removed in after:
            problems.append(f"{removed}: still listed after uninstalling it")
        if "h11" in after and not needs(dists, "h11", removed):
            if probe["product"] != baseline["product"]:
                problems.append(f"without {removed}: import h11 gives {probe['product']}")
        for name, dist in after.items():
            broken = [] if name in INSTALLERS else whole(dist, copy_site)
            if broken:
                problems.append(f"without {removed}: {name} not whole: {broken[:3]}")
        imports = probe["imports"]
        assert isinstance(imports, dict)
        for module, error in imports.items():
            if error is None:
                continue
            missing = str(error.get("name") or "").split(".")[0]
            if (
                needs(after, owner[module], removed)
                and error["type"] == "ModuleNotFoundError"
                and missing in modules[removed]
            ):
                continue  # a dependent of the removed distribution: a clean failure
            problems.append(f"without {removed}: import {module} ({owner[module]}): {error}")
        shutil.rmtree(copy.path)
    report.check(
        not problems,
        f"uninstalling any one of {len(names)} distributions leaves the others whole and "
        "importable" + "".join(f"\n        {p}" for p in problems[:12]),
    )


#: Wheels of our packages, by distribution name (filled by ``main`` before any scenario).
WHEELS: dict[str, str] = {}


def find_or_build_wheels(names: list[str], given: Path | None, work: Path) -> None:
    """Each package's wheel: from ``given``/<name>/ when it holds one, else built (uv)."""
    for name in names:
        found = sorted((given / name).glob("*.whl")) if given else []
        if not found:
            out = work / "wheels" / name
            must(
                sh(
                    [
                        "uv",
                        "build",
                        "--quiet",
                        "--wheel",
                        "--out-dir",
                        str(out),
                        str(PACKAGES / name),
                    ]
                ),
                f"uv build {name}",
            )
            found = sorted(out.glob("*.whl"))
        WHEELS[name] = str(found[-1])


def ours_paths() -> list[str]:
    """Our four distributions (h11 included), as wheel files."""
    return [WHEELS[name] for name in OURS]


# ---------------------------------------------------------------- scenarios


def httpx_then_ours(report: Report, python: str, work: Path) -> None:
    venv = Venv(work / "venv", python)
    venv.pip("install", "-q", "httpx")
    report.say("  pip install httpx; then pip install <wheels of h11-events ... h11>")
    out = venv.pip("install", *ours_paths())
    report.check("Successfully uninstalled h11-0.16.0" in out, "pip replaced PyPI's h11 0.16.0")
    show_state(report, venv, OUR_PRODUCT)
    uninstall_each(report, venv, work)


def ours_then_httpx(report: Report, python: str, work: Path) -> None:
    venv = Venv(work / "venv", python)
    venv.uv_install(*ours_paths())
    report.say("  uv pip install <wheels of h11-events ... h11>; then pip install httpx")
    venv.pip("install", "-q", "httpx")
    show_state(report, venv, OUR_PRODUCT)
    uninstall_each(report, venv, work)
    for upgrade in (["httpx"], ["h11"], ["--upgrade-strategy", "eager", "httpx"]):
        venv.pip("install", "-q", "-U", *upgrade)
        product = venv.probe()["product"]
        report.check(
            str(product).startswith(OUR_PRODUCT),
            f"after pip install -U {' '.join(upgrade)}: import h11 still gives {product}",
        )


def servers_with_our_h11(report: Report, python: str, work: Path) -> None:
    venv = Venv(work / "venv", python)
    report.say("  uv pip install uvicorn hypercorn wsproto httpx <wheels of ours, h11 too>")
    venv.uv_install("uvicorn", "hypercorn", "wsproto", "httpx", *ours_paths())
    show_state(report, venv, OUR_PRODUCT)
    out = venv.run(
        "import h11, uvicorn.protocols.http.h11_impl as u, hypercorn.protocol.h11 as hc,"
        " wsproto.handshake as w, httpcore._sync.http11 as hp\n"
        "from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE\n"
        "from h11._headers import Headers  # wsproto's annotations\n"
        "print(all(m.h11 is h11 for m in (u, hc, w, hp)))"
    )
    report.check(out.strip() == "True", "uvicorn, hypercorn, wsproto and httpcore import ours")
    uninstall_each(report, venv, work)


DOWNSTREAM_TEST = """
import h11
import h11_connection
import httpx
from h11_testkit import corpus


def test_httpx_against_the_testkit_server(h11_server):
    h11_server.handler = lambda request, body: (200, [("X-Kind", "ok")], b"hello " + body)
    response = httpx.post(h11_server.url + "/x", content=b"you")
    assert (response.status_code, response.text) == (200, "hello you")
    assert h11.PRODUCT_ID.startswith("python-h11/")  # httpx runs on PyPI h11


def test_the_fixtures_run_ours(h11_pair, h11_server, h11_raw_client):
    assert type(h11_pair.server) is h11_connection.Connection
    case = corpus.by_name("value_soh")  # PyPI h11 accepts it; ours answers 400
    result = h11_raw_client(h11_server.host, h11_server.port).exchange(case.data, until_closed=True)
    assert result.status_codes == [400]
"""


def testkit_beside_pypi_h11(report: Report, python: str, work: Path) -> None:
    venv = Venv(work / "venv", python)
    venv.uv_install("httpx")
    report.say("  uv pip install httpx; then wheels of h11-{events,parser,connection,testkit}")
    venv.uv_install(*ours_paths()[:3], WHEELS["h11-testkit"])
    show_state(report, venv, PYPI_PRODUCT)
    project = work / "downstream"
    project.mkdir()
    (project / "test_downstream.py").write_text(DOWNSTREAM_TEST)
    proc = sh(
        [venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, env=venv.env()
    )
    tail = (proc.stdout.strip().splitlines() or ["no output"])[-1]
    report.say(f"  downstream suite (h11-testkit fixtures, httpx client): {tail}")
    report.check(proc.returncode == 0 and "2 passed" in tail, "the downstream suite passes")
    uninstall_each(report, venv, work)


# ---------------------------------------------------------------- README install lines

INSTALL = re.compile(r"\b(pip install|uv sync|uv add|uv pip install)\b")
#: A line that only sets a variable (``NAME=value``, maybe a comment): kept for the block's
#: installs. ``NAME=value pip install ...`` is an install with its own environment.
ASSIGNMENT = re.compile(r"^(?:export\s+)?[A-Z_][A-Z0-9_]*=\S*\s*(?:#.*)?$")
#: hatch's switch for the compiled build's hook: a line that sets it must install the
#: compiled build and leave the clone as it was.
COMPILED_SWITCH = "HATCH_BUILD_HOOK_ENABLE_CUSTOM=1"


def clone_state() -> set[str]:
    """What git sees in the clone's packages and build hook, ignored files included,
    and every extension module under packages/ (which ``.gitignore`` hides)."""
    proc = sh(
        [
            "git",
            "status",
            "--porcelain",
            "--ignored",
            "--untracked-files=all",
            "--",
            "packages",
            "tools/mypyc",
        ]
    )
    lines = {line for line in must(proc, "git status").splitlines() if line.strip()}
    modules = {
        f"extension module {path.relative_to(ROOT)}"
        for pattern in ("*.so", "*.pyd")
        for path in PACKAGES.rglob(pattern)
    }
    # Byte-code caches come and go with any run of the tests from the clone.
    return {line for line in lines | modules if "__pycache__" not in line}


@dataclass
class Snippet:
    """An install script from READMEs, with the files it needs (written as shown)."""

    readmes: list[Path]
    script: str
    files: dict[str, str]


def readme_snippets() -> list[Snippet]:
    """Each install line of each README, as it must be run, once per distinct line.

    Each install command of an sh block runs in a fresh venv, after the block's variable
    assignments; other commands (running nox, say) are not installs. A code block whose
    first line is ``# NAME`` (a pyproject.toml, a requirements.txt) is a file the next sh
    block runs beside.
    """
    snippets: dict[tuple[str, tuple[tuple[str, str], ...]], Snippet] = {}
    for readme in READMES:
        files: dict[str, str] = {}
        for lang, body in re.findall(r"```(\w*)\n(.*?)```", readme.read_text(), re.DOTALL):
            first = body.splitlines()[0] if body.strip() else ""
            file_match = re.match(r"# ([\w.-]+\.(?:toml|txt))\b", first)
            if lang != "sh" and file_match:
                files[file_match.group(1)] = body
                continue
            if lang != "sh":
                continue
            assignments = []
            for line in body.replace("\\\n", " ").splitlines():
                if ASSIGNMENT.match(line):
                    assignments.append(line)
                    continue
                for part in line.split("&&"):
                    if INSTALL.search(part):
                        script = "\n".join([*assignments, part.strip()])
                        # `python3 -m pip` is the venv's pip, as `pip` is: one run for both.
                        same = script.replace("python3 -m pip ", "pip ")
                        key = (same, tuple(sorted(files.items())))
                        snippet = snippets.setdefault(key, Snippet([], script, files))
                        if readme not in snippet.readmes:
                            snippet.readmes.append(readme)
            files = {}
    return list(snippets.values())


def run_snippet(snippet: Snippet, python: str, work: Path) -> Report:
    where = ", ".join(str(readme.relative_to(ROOT)) for readme in snippet.readmes)
    report = Report(f"README lines of {where}")
    started = time.monotonic()
    report.say("  $ " + snippet.script.replace("\n", "\n  $ "))
    try:
        venv = Venv(work / "venv", python)
        cwd = ROOT
        if snippet.files:
            cwd = work / "project"
            cwd.mkdir()
            (cwd / CLONE_NAME).symlink_to(ROOT)
            for name, body in snippet.files.items():
                (cwd / name).write_text(body)
            report.say(f"  (in a project holding {', '.join(snippet.files)} and {CLONE_NAME}/)")
        env = venv.env()
        if (cwd / "pyproject.toml").exists():
            env.pop("VIRTUAL_ENV")
        compiled = COMPILED_SWITCH in snippet.script
        before = clone_state() if compiled else set()
        proc = sh(snippet.script, cwd=cwd, env=env)
        report.check(
            proc.returncode == 0,
            "the lines run as written"
            + ("" if proc.returncode == 0 else f"\n{proc.stderr[-2000:]}"),
        )
        if compiled and proc.returncode == 0:
            added = sorted(clone_state() - before)
            report.check(not added, f"the clone is left as it was (new: {added})")
            answer = venv.run("import h11_connection; print(h11_connection.COMPILED)")
            report.check(answer.strip() == "True", "h11_connection.COMPILED is True")
        if proc.returncode == 0:
            if (cwd / ".venv").is_dir():
                venv = Venv(cwd / ".venv", python, create=False)
                if sh([venv.python, "-m", "pip", "--version"]).returncode != 0:
                    must(sh(["uv", "pip", "install", "-q", "--python", venv.python, "pip"]), "pip")
            probe = venv.probe()
            dists = probe["dists"]
            assert isinstance(dists, dict)
            expect = (
                OUR_PRODUCT if "h11" in dists and "+sansio" in str(dists["h11"]["version"]) else ""
            )
            show_state(report, venv, expect if "h11" in dists else NO_H11)
    except CheckFailed as exc:
        report.check(False, str(exc))
    report.seconds = time.monotonic() - started
    return report


SCENARIOS: dict[str, Callable[[Report, str, Path], None]] = {
    "httpx-then-ours": httpx_then_ours,
    "ours-then-httpx": ours_then_httpx,
    "servers-with-our-h11": servers_with_our_h11,
    "testkit-beside-pypi-h11": testkit_beside_pypi_h11,
}


def run_scenario(name: str, python: str, work: Path) -> Report:
    report = Report(name)
    started = time.monotonic()
    try:
        SCENARIOS[name](report, python, work)
    except CheckFailed as exc:
        report.check(False, str(exc))
    report.seconds = time.monotonic() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=f"{sys.version_info[0]}.{sys.version_info[1]}")
    parser.add_argument("--only", help="comma-separated scenario names, or 'readme'")
    parser.add_argument("--jobs", type=int, default=3, help="scenarios run in parallel")
    parser.add_argument("--keep", type=Path, help="work here and keep the venvs")
    parser.add_argument("--wheels", type=Path, help="our wheels, in DIR/<distribution>/")
    args = parser.parse_args(argv)
    if shutil.which("uv") is None:
        sys.exit("uv is not on PATH")
    chosen = args.only.split(",") if args.only else [*SCENARIOS, "readme"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="h11-compat-") as tmp:
        work = args.keep.resolve() if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if any(name in SCENARIOS for name in chosen):
            find_or_build_wheels([*OURS, "h11-testkit"], args.wheels, work)
        jobs: list[Callable[[], Report]] = []
        for i, name in enumerate(n for n in chosen if n in SCENARIOS):
            path = work / f"s{i}-{name}"
            path.mkdir()
            jobs.append(functools.partial(run_scenario, name, args.python, path))
        if "readme" in chosen:
            for i, snippet in enumerate(readme_snippets()):
                path = work / f"r{i}"
                path.mkdir()
                jobs.append(functools.partial(run_snippet, snippet, args.python, path))
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            reports = list(pool.map(lambda job: job(), jobs))
    failed = 0
    for report in reports:
        status = "FAILED" if report.failures else "ok"
        print(f"\n=== {report.name}: {status} ({report.seconds:.0f}s)")
        print("\n".join(report.lines))
        failed += bool(report.failures)
    elapsed = time.monotonic() - started
    print(f"\ncompat: {len(reports) - failed} of {len(reports)} passed in {elapsed:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
