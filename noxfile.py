"""Every check of the monorepo: `nox` runs what CI runs, `nox -s demo` the demo.

Packages are installed from this tree into fresh virtual environments (never
editable), so the tests see what a user's `pip install` would give them: as wheels, each
built once per run (``_wheels``) and installed by every session that needs it.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import nox

ROOT = Path(__file__).resolve().parent
PACKAGES_DIR = ROOT / "packages"

#: Each package and the siblings it needs, lowest first.
PACKAGES: dict[str, list[str]] = {
    "h11-events": ["h11-events"],
    "h11-parser": ["h11-events", "h11-parser"],
    "h11-connection": ["h11-events", "h11-parser", "h11-connection"],
    "h11": ["h11-events", "h11-parser", "h11-connection", "h11"],
    "h11-testkit": ["h11-events", "h11-parser", "h11-connection", "h11-testkit"],
}
#: The modules each wheel must hold (and nothing else at the top level).
WHEEL_MODULES: dict[str, set[str]] = {
    "h11-events": {"h11_events"},
    "h11-parser": {"h11_parser"},
    "h11-connection": {"h11_connection"},
    "h11": {"h11"},
    "h11-testkit": {"h11_testkit"},
}
#: Packages whose branch coverage must stay at or above this (issue #8).
COVERAGE_FLOOR = {
    "h11-events": 95,
    "h11-parser": 95,
    "h11-connection": 95,
    "h11": 95,
    "h11-testkit": 90,
}
#: Installed beside a package's own tests. The testkit's suite runs with PyPI h11 in the
#: venv, as in any downstream project that uses httpx: its fixtures must still run ours.
TEST_EXTRAS = {"h11-testkit": ["h11==0.16.0"]}
#: The ``h11`` each suite's venv holds where its tests need one (PyPI's beside the testkit,
#: ours for the facade): the root conftest fails, instead of skipping, a test that needs it.
REQUIRED_H11 = {"h11-testkit": "pypi", "h11": "ours"}

TEST_REQUIREMENTS = ["pytest>=8", "hypothesis>=6.100", "coverage[toml]>=7.4"]
SUPPORTED_PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
#: The interpreter whose results are the reference (benchmarks, differential).
MAIN_PYTHON = "3.11"


def _test_env(package: str, profile: str) -> dict[str, str]:
    """The environment of a package's suite: its hypothesis profile and required ``h11``."""
    env = {"HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", profile)}
    if package in REQUIRED_H11:
        env["H11_TESTS_REQUIRE_H11"] = REQUIRED_H11[package]
    return env


def _works(executable: str) -> bool:
    try:
        return (
            subprocess.run([executable, "-c", "pass"], capture_output=True, timeout=30).returncode
            == 0
        )
    except (OSError, subprocess.SubprocessError):
        return False


def _find_pythons() -> list[str]:
    """The supported CPythons present on this machine, made findable by name.

    pyenv installs versions side by side but its shims only answer for the
    selected one, so each missing `pythonX.Y` gets a link in a private folder
    put first on PATH (for nox, virtualenv and uv alike).
    """
    links = ROOT / ".nox" / "_pythons"
    pyenv_versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = []
    for version in SUPPORTED_PYTHONS:
        name = f"python{version}"
        link = links / name
        if link.exists() and _works(str(link)):
            found.append(version)
            continue
        if shutil.which(name) and _works(name):
            found.append(version)
            continue
        candidates = sorted(
            pyenv_versions.glob(f"{version}.*/bin/{name}"),
            key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parts[-3].split(".")],
        )
        for candidate in reversed(candidates):
            if _works(str(candidate)):
                links.mkdir(parents=True, exist_ok=True)
                if link.is_symlink() or link.exists():
                    link.unlink()
                link.symlink_to(candidate)
                found.append(version)
                break
    if links.is_dir():
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ.get('PATH', '')}"
    return found


PYTHONS = _find_pythons() or [f"{sys.version_info[0]}.{sys.version_info[1]}"]
REFERENCE_PYTHON = MAIN_PYTHON if MAIN_PYTHON in PYTHONS else PYTHONS[-1]

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = False
nox.options.sessions = [
    "lint",
    "typecheck",
    "tests",
    "isolation",
    "minimums",
    "build",
    "compat",
    "examples",
    "demo",
    "differential",
    "h11suite",
    "docs",
    "tests-compiled",
]


def _local(*names: str) -> list[str]:
    """The packages' source folders (for installs that must build as a user's pip does)."""
    return [str(PACKAGES_DIR / name) for name in names]


#: Each local package's wheel, built once per ``nox`` run (nox runs every session in this
#: one process) into WHEELS_DIR and installed by every session that needs the package.
#: Building a package costs seconds (a build environment with hatchling); the sessions of
#: a full run would otherwise build the five packages about seventy times.
WHEELS_DIR = ROOT / ".nox" / "_wheels"
_WHEELS: dict[str, Path] = {}


def _wheels(session: nox.Session, *names: str) -> list[str]:
    """Paths of the named packages' wheels, built on first use in this run."""
    missing = [name for name in names if name not in _WHEELS]
    if missing:
        if not _WHEELS and WHEELS_DIR.exists():
            shutil.rmtree(WHEELS_DIR)  # a previous run's wheels may be stale
        uv = shutil.which("uv")
        for name in missing:
            out = WHEELS_DIR / name
            if uv:
                build = [uv, "build", "--quiet", "--wheel", "--out-dir", str(out)]
            else:
                build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out)]
            session.run(*build, str(PACKAGES_DIR / name), external=True, silent=True)
            [wheel] = out.glob("*.whl")
            _WHEELS[name] = wheel
    return [str(_WHEELS[name]) for name in names]


def _wheel_with_extra(session: nox.Session, name: str, extra: str) -> str:
    """A requirement for a local package's wheel with one of its extras."""
    [wheel] = _wheels(session, name)
    return f"{name}[{extra}] @ {Path(wheel).as_uri()}"


@nox.session(python=PYTHONS)
@nox.parametrize("package", list(PACKAGES))
def tests(session: nox.Session, package: str) -> None:
    """One package's test suite, with its siblings installed from this tree."""
    ours = _wheels(session, *PACKAGES[package])
    session.install(*TEST_REQUIREMENTS, *TEST_EXTRAS.get(package, []), *ours)
    if package == "h11-testkit":
        session.install(_wheel_with_extra(session, "h11-testkit", "hypothesis"))
    tests_dir = str(PACKAGES_DIR / package / "tests")
    if session.python != REFERENCE_PYTHON:
        # The other interpreters run every test with fewer generated examples and no
        # coverage tracing: the reference run below holds the coverage floors and the
        # full example counts, and CI stays well under its time budget.
        session.run(
            "pytest",
            tests_dir,
            *session.posargs,
            env=_test_env(package, "ci-other"),
        )
        return
    module = package.replace("-", "_")
    data_file = ROOT / ".nox" / f".coverage.{package}.{session.python}"
    session.run(
        "coverage",
        "run",
        f"--data-file={data_file}",
        "--branch",
        f"--source={module}",
        "-m",
        "pytest",
        tests_dir,
        *session.posargs,
        env=_test_env(package, "ci"),
    )
    floor = COVERAGE_FLOOR.get(package)
    report = ["coverage", "report", f"--data-file={data_file}", "--skip-empty"]
    if floor is not None and not session.posargs:
        report.append(f"--fail-under={floor}")
    session.run(*report)


#: Extras each package's suite installs with the package itself (``minimums`` reads their
#: requirements from the wheel's metadata, like the runtime ones).
TEST_PACKAGE_EXTRAS = {"h11-testkit": ["hypothesis"]}


def _metadata_requirements(wheel: str, extras: list[str]) -> list[Any]:
    """The Requires-Dist of a wheel that apply with ``extras`` (markers evaluated)."""
    from packaging.requirements import Requirement

    with zipfile.ZipFile(wheel) as archive:
        text = _wheel_metadata(archive.namelist(), archive)
    found = []
    for line in text.splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        requirement = Requirement(line.split(":", 1)[1].strip())
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": e}) for e in ["", *extras]):
            requirement.marker = None
            found.append(requirement)
    return found


def _lowest_sibling(session: nox.Session, requirement: Any) -> str:
    """The wheel of the lowest version ``requirement`` allows of a sibling: this tree's
    when that is the version, else built from the release tag ``<name>-<version>``."""
    lower = next(str(s.version) for s in requirement.specifier if s.operator == ">=")
    [tree_wheel] = _wheels(session, requirement.name)
    version = _release_tools().read_version(requirement.name)
    if version == lower:
        return tree_wheel
    tag = f"{requirement.name}-{lower}"
    work = ROOT / ".nox" / "_minimums" / tag
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", tag, f"packages/{requirement.name}"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        session.error(
            f"{requirement} allows {requirement.name} {lower}, which is neither this tree's "
            f"({version}) nor a release tag {tag!r}: raise the lower bound or tag the release"
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(work, filter="data")
    out = work / "dist"
    session.run(
        "uv", "build", "--quiet", "--wheel", "--out-dir", str(out),
        str(work / "packages" / requirement.name), external=True,
    )  # fmt: skip
    [wheel] = out.glob("*.whl")
    return str(wheel)


@nox.session(python=REFERENCE_PYTHON, venv_backend="uv")
@nox.parametrize("package", list(PACKAGES))
def minimums(session: nox.Session, package: str) -> None:
    """One package's tests against the lowest versions its metadata allows: of its siblings
    (the lower bound of each range) and of every other requirement (pluggy, pytest,
    hypothesis), resolved by uv with ``--resolution lowest-direct``. Test-only tools
    the metadata does not name (pytest, hypothesis for most) take TEST_REQUIREMENTS'
    lowest."""
    from packaging.requirements import Requirement

    [own] = _wheels(session, package)
    extras = TEST_PACKAGE_EXTRAS.get(package, [])
    siblings = set(PACKAGES)
    wheels = {package: own}
    direct: dict[str, Any] = {}
    pending = _metadata_requirements(own, extras)
    while pending:
        requirement = pending.pop()
        if requirement.name in siblings:
            if requirement.name not in wheels:
                wheels[requirement.name] = _lowest_sibling(session, requirement)
                pending.extend(_metadata_requirements(wheels[requirement.name], []))
        elif requirement.name not in direct:
            direct[requirement.name] = requirement
        else:
            direct[requirement.name].specifier &= requirement.specifier
    for line in [*TEST_REQUIREMENTS, *TEST_EXTRAS.get(package, [])]:
        requirement = Requirement(line)
        if requirement.name not in direct and requirement.name != "coverage":
            direct[requirement.name] = requirement
    session.install(
        "--resolution=lowest-direct",
        *(str(requirement) for requirement in direct.values()),
        *wheels.values(),
    )
    session.run(
        "python", "-c",
        "import importlib.metadata as m\n"
        "print(sorted(f\"{d.metadata['Name']}=={d.version}\" for d in m.distributions()))",
    )  # fmt: skip
    session.run(
        "pytest", "-q", "-p", "no:cacheprovider",
        str(PACKAGES_DIR / package / "tests"), *session.posargs,
        env=_test_env(package, "ci-other"),
    )  # fmt: skip


@nox.session(python=REFERENCE_PYTHON)
def isolation(session: nox.Session) -> None:
    """Only h11-events and h11-parser installed: the parser works on its own."""
    session.install(*TEST_REQUIREMENTS, *_wheels(session, "h11-events", "h11-parser"))
    session.run(
        "python",
        "-c",
        "import importlib.util as u, sys\n"
        "for name in ('h11_connection', 'h11', 'h11_testkit'):\n"
        "    if u.find_spec(name) is not None:\n"
        "        sys.exit(f'{name} is importable in the parser-only venv')\n"
        "import h11_parser, h11_events\n"
        "print('parser-only venv: h11_connection and h11 are not importable')",
    )
    session.run("pytest", str(PACKAGES_DIR / "h11-parser" / "tests"), *session.posargs)


@nox.session(python=REFERENCE_PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole tree; no package uses a private
    name of another (tools/public_imports); sibling dependencies are compatible ranges
    (tools/release). Both tools' own tests first."""
    session.install("ruff>=0.6", "pytest>=8", "packaging>=24")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    tools_tests = ["tools/public_imports/tests", "tools/release/tests"]
    session.run("pytest", "-q", "-p", "no:cacheprovider", *tools_tests)
    session.run("python", "tools/public_imports/check.py")
    session.run("python", "tools/release/bump.py", "--check")


@nox.session(venv_backend="none")
def bump(session: nox.Session) -> None:
    """One package's next version and changelog section: ``nox -s bump -- h11-parser minor``
    (major, minor, patch or X.Y.Z). Siblings are untouched; those whose range the new
    version leaves are named."""
    if len(session.posargs) != 2:
        session.error("usage: nox -s bump -- PACKAGE (major|minor|patch|X.Y.Z)")
    session.run(sys.executable, "tools/release/bump.py", *session.posargs, external=True)


#: Folders mypy --strict checks beyond the packages' src/, one run each: their module
#: names clash across folders (conftest, run), and each finds its siblings on the path.
TYPECHECK_FOLDERS = [
    *(f"packages/{name}/tests" for name in PACKAGES),
    "tools/compat",
    "tools/differential",
    "tools/downstream",
    "tools/h11suite",
    "tools/e2e",
    "tools/fuzz",
    "tools/interop",
    "tools/load",
    "tools/probe",
    "tools/public_imports",
    "tools/release",
    "benchmarks",
    "examples",
]
#: mypy keeps a property's narrowed type across method calls, so a test asserting
#: ``conn.our_state is DONE`` after ``... is SEND_BODY`` and a send would be flagged;
#: tests also compare unlike objects on purpose. Off in test folders only.
TESTS_MYPY_FLAGS = ["--disable-error-code=comparison-overlap"]
#: Usage patterns of h11 by httpcore, uvicorn, hypercorn and wsproto (see its docstring),
#: and ``from h11 import *``: checked as written, then through h11_connection.
DOWNSTREAM_ANNOTATIONS = ROOT / "tools" / "typecheck" / "downstream_annotations.py"
STAR_IMPORT = ROOT / "tools" / "typecheck" / "star_import.py"
#: The standalone parser's types as a parser-only user sees them (``assert_type``).
PARSER_ANNOTATIONS = ROOT / "tools" / "typecheck" / "parser_annotations.py"


@nox.session(python=REFERENCE_PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over every package's src/, the tests, tools, benchmarks and examples,
    and the annotations downstream code writes against h11."""
    session.install("mypy>=1.10", "pytest>=8", "hypothesis>=6.100", "pluggy>=1.3")
    # The interop tests import these (typed) clients and servers; their h11 is ours.
    session.install("--no-deps", "httpx", "httpcore", "uvicorn")
    sources = [str(path) for path in sorted(PACKAGES_DIR.glob("*/src"))]
    # The parser and Connection tests import the testkit's corpus, event_lists and cost as
    # top-level modules (see the root conftest); examples and interop likewise.
    extra = ["packages/h11-testkit/src/h11_testkit", "examples", "tools/interop/tests"]
    mypypath = os.pathsep.join([*sources, *(str(ROOT / path) for path in extra)])
    env = {"MYPYPATH": mypypath}
    session.run("mypy", "--strict", *sources, str(DOWNSTREAM_ANNOTATIONS), env=env)
    session.run("mypy", "--strict", str(STAR_IMPORT), env=env)
    session.run("mypy", "--strict", str(PARSER_ANNOTATIONS), env=env)
    session.run("mypy", "--strict", str(ROOT / "conftest.py"), env=env)
    for folder in TYPECHECK_FOLDERS:
        flags = TESTS_MYPY_FLAGS if folder.endswith("/tests") else []
        session.run("mypy", "--strict", *flags, str(ROOT / folder), env=env)
    # The same patterns through ``import h11_connection as h11``: both namespaces
    # re-export h11_connection.h11_api.
    variants = ROOT / ".nox" / "typecheck"
    variants.mkdir(parents=True, exist_ok=True)
    for path, old, new in (
        (DOWNSTREAM_ANNOTATIONS, "import h11\n", "import h11_connection as h11\n"),
        (STAR_IMPORT, "from h11 import *", "from h11_connection import *"),
    ):
        text = path.read_text()
        if old not in text:
            session.error(f"{path} no longer says {old!r}")
        variant = variants / f"{path.stem}_h11_connection.py"
        variant.write_text(text.replace(old, new))
        session.run("mypy", "--strict", str(variant), env=env)


def _wheel_metadata(names: list[str], wheel: zipfile.ZipFile) -> str:
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    return wheel.read(metadata).decode()


def _release_tools() -> Any:
    """tools/release/bump.py as a module: the one owner of the version-range rules."""
    spec = importlib.util.spec_from_file_location("bump", ROOT / "tools" / "release" / "bump.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_release_set(session: nox.Session, metadata: dict[str, str]) -> None:
    """Each wheel requires its siblings by a compatible range that holds this tree's
    versions (so each package is released alone), and ships its LICENSE and URLs."""
    from packaging.requirements import Requirement

    release = _release_tools()
    versions: dict[str, str] = {}
    requirements: dict[str, list[Requirement]] = {}
    for package, text in metadata.items():
        version = next(
            line.split(":", 1)[1].strip()
            for line in text.splitlines()
            if line.startswith("Version:")
        )
        versions[package] = release.facade_release(version) if package == "h11" else version
        requirements[package] = [
            Requirement(line.split(":", 1)[1].strip())
            for line in text.splitlines()
            if line.startswith("Requires-Dist:")
        ]
        if "License-File: LICENSE" not in text or "Project-URL:" not in text:
            session.error(f"{package}: the wheel lacks its LICENSE file or project URLs")
    siblings = {
        package: [r for r in required if r.name in metadata and r.marker is None]
        for package, required in requirements.items()
    }
    for problem in release.range_problems(versions, siblings):
        session.error(problem)
    ranges = {p: [str(r) for r in required] for p, required in siblings.items() if required}
    session.log(f"release set: {versions}; sibling ranges {ranges}")


#: What every sdist holds besides its package's source (``src/<module>/``); hatchling adds
#: the repository's .gitignore, so a rebuild from the sdist ignores the same files.
SDIST_FILES = {"PKG-INFO", "pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE", ".gitignore"}


def _check_sdist(session: nox.Session, package: str, sdist: Path, modules: set[str]) -> None:
    """The sdist holds its source and documents, and no tests (see the README)."""
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    top = {name.split("/")[0] for name in names}
    expected = SDIST_FILES | {"src"}
    if top != expected:
        session.error(f"{package}: sdist holds {sorted(top)}, expected {sorted(expected)}")
    sources = {name.split("/")[1] for name in names if name.startswith("src/") and "/" in name[4:]}
    if sources != modules:
        session.error(
            f"{package}: sdist's src/ holds {sorted(sources)}, expected {sorted(modules)}"
        )


@nox.session(python=REFERENCE_PYTHON)
def build(session: nox.Session) -> None:
    """sdist, then the wheel built from it, of each package; each holds exactly its modules."""
    uv = shutil.which("uv")
    if not uv:
        session.install("build>=1.2")
    dist = ROOT / ".nox" / "dist"
    if dist.exists():
        shutil.rmtree(dist)
    metadata: dict[str, str] = {}
    for package, modules in WHEEL_MODULES.items():
        out = dist / package
        # Both build the sdist, then the wheel from the unpacked sdist (uv is faster).
        if uv:
            command = [uv, "build", "--quiet", "-p", str(session.python), "--out-dir"]
        else:
            command = ["python", "-m", "build", "--outdir"]
        session.run(*command, str(out), str(PACKAGES_DIR / package), external=True)
        wheels = list(out.glob("*.whl"))
        sdists = list(out.glob("*.tar.gz"))
        if len(wheels) != 1 or len(sdists) != 1:
            session.error(f"{package}: expected one wheel and one sdist, got {wheels + sdists}")
        _check_sdist(session, package, sdists[0], modules)
        with zipfile.ZipFile(wheels[0]) as wheel:
            names = wheel.namelist()
            metadata[package] = _wheel_metadata(names, wheel)
        top = {
            name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")
        }
        if top != modules:
            session.error(f"{package}: wheel holds {sorted(top)}, expected {sorted(modules)}")
        for module in modules:
            if f"{module}/py.typed" not in names:
                session.error(f"{package}: {module}/py.typed missing from the wheel")
        session.log(
            f"{package}: {wheels[0].name} holds {sorted(top)} with py.typed; sdist no tests"
        )
    _check_release_set(session, metadata)


# -- the optional compiled build (issue #19) ---------------------------------------

#: The packages that have a compiled (mypyc) build, lowest first.
COMPILED_PACKAGES = ["h11-events", "h11-parser", "h11-connection"]
#: The switch of the compiled build (hatch's for the packages' ``custom`` wheel hook,
#: tools/mypyc/build_hook.py): the README's install line sets it, and nothing else.
COMPILED_SWITCH = "HATCH_BUILD_HOOK_ENABLE_CUSTOM"


def _compiled_wheels(session: nox.Session) -> list[str]:
    """Compiled wheels of h11-events, h11-parser and h11-connection, built in .nox/.

    Built from the tree as the README's install line builds them: with the switch set and
    nothing else (the hook compiles a copy of each package and leaves the tree as it was).
    """
    work = ROOT / ".nox" / "_compiled"
    if work.exists():
        shutil.rmtree(work)
    dist = work / "dist"
    env = {COMPILED_SWITCH: "1"}
    uv = shutil.which("uv")
    for package in COMPILED_PACKAGES:
        if uv:
            build = [uv, "build", "--wheel", "-p", str(session.python), "--out-dir"]
        else:
            session.install("build>=1.2")
            build = ["python", "-m", "build", "--wheel", "--outdir"]
        session.run(*build, str(dist), str(PACKAGES_DIR / package), env=env, external=True)
    wheels = sorted(str(wheel) for wheel in dist.glob("*.whl"))
    if len(wheels) != len(COMPILED_PACKAGES) or any("-none-any" in w for w in wheels):
        session.error(f"expected {len(COMPILED_PACKAGES)} platform wheels, got {wheels}")
    return wheels


@nox.session(name="tests-compiled", python=REFERENCE_PYTHON)
def tests_compiled(session: nox.Session) -> None:
    """Every package's test suite against the compiled (mypyc) build of the three packages.

    The testkit's suite runs first, with PyPI h11 beside ours (as in ``tests``); then
    our ``h11`` facade (pure, over the compiled packages) replaces PyPI's for the others.
    """
    testkit = _wheel_with_extra(session, "h11-testkit", "hypothesis")
    session.install(*TEST_REQUIREMENTS, *_compiled_wheels(session))
    session.install(*TEST_EXTRAS.get("h11-testkit", []), testkit)
    session.run(
        "python",
        "-c",
        "import h11_connection, sys; sys.exit(0 if h11_connection.COMPILED else 1)",
    )
    compiled = {"H11_EXPECT_COMPILED": "1"}
    pytest = ["pytest", "-q", "-p", "no:cacheprovider"]
    session.run(
        *pytest,
        str(PACKAGES_DIR / "h11-testkit" / "tests"),
        *session.posargs,
        env={**_test_env("h11-testkit", "ci"), **compiled},
    )
    session.install("--reinstall-package", "h11", *_wheels(session, "h11"))
    suites = [name for name in PACKAGES if name != "h11-testkit"]
    session.run(
        *pytest,
        *(str(PACKAGES_DIR / name / "tests") for name in suites),
        *session.posargs,
        env={**_test_env("h11", "ci"), **compiled},
    )


#: Sphinx and its theme and Markdown parser, for ``nox -s docs``.
DOCS_REQUIREMENTS = ["sphinx>=8.1", "furo>=2024.8.6", "myst-parser>=4"]
DOCS_DIR = ROOT / "docs"


@nox.session(python=REFERENCE_PYTHON)
def docs(session: nox.Session) -> None:
    """The documentation site into docs/_build/html (warnings are errors), then every sample run.

    The API reference documents this project's ``h11`` facade (installed here, as a user
    would); the testkit pages need h11-testkit with its hypothesis extra. The pages of the
    standalone parser and the plugin guide (docs/conf.py: ``PARSER_ONLY_PAGES``) run their
    samples once more in a venv holding only h11-events and h11-parser, as their readers have.
    """
    packages = _wheels(session, *PACKAGES["h11-testkit"], "h11")
    session.install(*DOCS_REQUIREMENTS, "hypothesis>=6.100", *packages)
    session.install(_wheel_with_extra(session, "h11-testkit", "hypothesis"))
    build = DOCS_DIR / "_build"
    common = ["-W", "--keep-going", "-q", "-d", str(build / "doctrees"), str(DOCS_DIR)]
    session.run("sphinx-build", "-b", "html", *common, str(build / "html"), *session.posargs)
    session.run("sphinx-build", "-b", "doctest", *common, str(build / "doctest"))
    parser_only = _side_venv(
        session, "docs-parser-only", *DOCS_REQUIREMENTS, *_wheels(session, *PACKAGES["h11-parser"])
    )
    doctrees = str(build / "doctrees-parser-only")
    session.run(
        parser_only,
        *("-m", "sphinx", "-b", "doctest", "-W", "--keep-going", "-q", "-d", doctrees),
        *(str(DOCS_DIR), str(build / "doctest-parser-only")),
        env={"H11_DOCS_PARSER_ONLY": "1"},
        external=True,
    )
    session.log(f"site: {build / 'html' / 'index.html'}")


# -- sessions beyond the package suites -------------------------------------------

#: The three packages that provide `h11_connection`, the whole h11 API under its own name.
H11_PACKAGES = ["h11-events", "h11-parser", "h11-connection"]
#: Those plus our distribution `h11`: `import h11` gives this project, as for a user.
H11_DISTRIBUTION = [*H11_PACKAGES, "h11"]
REFERENCE_H11 = "h11==0.16.0"


def _reference_python(
    session: nox.Session, name: str, *requirements: str, h11: str = REFERENCE_H11
) -> str:
    """A second venv (beside the session's) with PyPI h11 0.16 (or ``h11``) and ``requirements``."""
    return _side_venv(session, f"reference-{name}", h11, *requirements)


def _candidate_python(session: nox.Session) -> str:
    return str(Path(session.virtualenv.location) / "bin" / "python")  # type: ignore[attr-defined]


def _run_against_h11(session: nox.Session, name: str, script: str) -> None:
    """Run ``script --candidate <this h11> --reference <PyPI h11 0.16>`` (each in a venv).

    The scripts import ``h11_connection as h11`` where it exists, else ``h11``: the
    candidate venv has only our packages, the reference venv only PyPI's h11.
    """
    session.install(*_wheels(session, *H11_PACKAGES))
    reference = _reference_python(session, name)
    _expect_implementation(session, _candidate_python(session), ours=True)
    _expect_implementation(session, reference, ours=False)
    session.run(
        "python",
        script,
        "--candidate",
        _candidate_python(session),
        "--reference",
        reference,
        *session.posargs,
    )


def _expect_implementation(session: nox.Session, python: str, *, ours: bool) -> None:
    """Fail unless the tools' import (h11_connection, else h11) gives the expected side."""
    code = (
        "try:\n    import h11_connection as h11\nexcept ImportError:\n    import h11\n"
        "print(h11.PRODUCT_ID)"
    )
    product = str(session.run(python, "-c", code, silent=True, external=True)).strip()
    if product.startswith("python-h11-connection/") != ours:
        session.error(f"{python} runs {product}, expected {'ours' if ours else 'the reference'}")


@nox.session(venv_backend="none")
def compat(session: nox.Session) -> None:
    """Live beside PyPI h11 (#14): fresh venvs built as users build them, then checked.

    httpx then ours, ours then httpx (pip), uvicorn + hypercorn + wsproto + httpx with our
    `h11` (uv), the testkit beside PyPI h11, and every install line of every README and
    documentation page. The scenarios install the run's wheels; the install lines run as
    written (pip builds from the tree, as for a user).
    """
    wheels = _wheels(session, *H11_DISTRIBUTION, "h11-testkit")
    session.run(
        f"python{REFERENCE_PYTHON}",
        "tools/compat/run.py",
        "--python",
        REFERENCE_PYTHON,
        "--wheels",
        str(Path(wheels[0]).parent.parent),
        *session.posargs,
        external=True,
    )


@nox.session(python=REFERENCE_PYTHON)
def demo(session: nox.Session) -> None:
    """The main job: an example asyncio server answering the example client and curl."""
    session.install(*_wheels(session, *H11_PACKAGES))
    session.run("python", "examples/demo.py", *session.posargs)


@nox.session(python=REFERENCE_PYTHON)
def examples(session: nox.Session) -> None:
    """The examples' own tests (server, client, proxy, demo) over loopback."""
    session.install("pytest>=8", "hypothesis>=6.100", *_wheels(session, *H11_PACKAGES))
    session.run("pytest", "examples/tests", *session.posargs)


@nox.session(python=REFERENCE_PYTHON)
def differential(session: nox.Session) -> None:
    """The harness's own tests, then the same generated conversations through this h11
    and PyPI h11 0.16, compared."""
    session.install("pytest>=8", *_wheels(session, *H11_PACKAGES))
    session.run("pytest", str(ROOT / "tools" / "differential" / "tests"))
    _run_against_h11(session, "differential", "tools/differential/run.py")


def _side_venv(session: nox.Session, name: str, *requirements: str) -> str:
    """The python of a venv in .nox/ (beside the session's) holding ``requirements``."""
    venv = ROOT / ".nox" / f"_side-{name}"
    python = venv / "bin" / "python"
    uv = shutil.which("uv")
    if uv:
        session.run(
            uv, "venv", "--quiet", "--clear", "-p", REFERENCE_PYTHON, str(venv), external=True
        )
        install = [uv, "pip", "install", "--quiet", "--python", str(python)]
    else:
        session.run(f"python{REFERENCE_PYTHON}", "-m", "venv", "--clear", str(venv), external=True)
        install = [str(python), "-m", "pip", "install", "--quiet"]
    session.run(*install, *requirements, external=True)
    return str(python)


def _h11_mypyc_python(session: nox.Session) -> str:
    """A venv with h11-mypyc (h11 compiled with mypyc) that ``import h11`` gives.

    h11-mypyc installs as ``h11_mypyc``; a one-line ``h11`` module in its venv makes
    ``import h11`` give it, so the same workloads run unchanged.
    """
    python = _reference_python(session, "bench-mypyc", h11="h11-mypyc")
    purelib = session.run(
        python,
        "-c",
        "import sysconfig; print(sysconfig.get_path('purelib'))",
        silent=True,
        external=True,
    )
    shim = Path(str(purelib).strip()) / "h11.py"
    shim.write_text('import sys, h11_mypyc\nsys.modules["h11"] = h11_mypyc\n')
    return python


@nox.session(python=REFERENCE_PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against PyPI h11 in one run, as ratios (never pass/fail).

    The candidate is the pure-Python build; the compiled (mypyc) build and h11-mypyc are
    measured in the same workload rounds and shown side by side (``--also``), and counted
    in instructions per operation by callgrind when valgrind is on PATH. Ends with the
    README's performance table (``--markdown``).
    """
    session.install(*_wheels(session, *H11_PACKAGES))
    reference = _reference_python(session, "bench")
    compiled = _side_venv(session, "bench-compiled", *_compiled_wheels(session), "pluggy>=1.3")
    session.run(
        "python",
        "benchmarks/run.py",
        "--candidate",
        _candidate_python(session),
        "--reference",
        reference,
        "--also",
        f"compiled={compiled}",
        "--also",
        f"h11-mypyc={_h11_mypyc_python(session)}",
        "--candidate-name=pure",
        "--markdown",
        *(["--callgrind"] if shutil.which("valgrind") else []),
        *session.posargs,
    )


#: The seven timed workloads of benchmarks/run.py (memory is not comparable with compiled code).
_WORKLOADS = (
    "basic_cycle,browser_get,pipelined_100,chunked_1000x100,body_8mib,head_40_bytewise,server_write"
)


@nox.session(name="bench-mypyc", python=REFERENCE_PYTHON)
def bench_mypyc(session: nox.Session) -> None:
    """The benchmarks against h11-mypyc (h11 compiled with mypyc), the build to beat (#7)."""
    session.install(*_wheels(session, *H11_PACKAGES))
    reference = _h11_mypyc_python(session)
    session.run(
        "python",
        "benchmarks/run.py",
        "--candidate",
        _candidate_python(session),
        "--reference",
        reference,
        "--target-ratio",
        "1",
        *(session.posargs or ["--only", _WORKLOADS]),
    )


_INTEROP_DEPS = ["pytest>=8", "anyio", "certifi", "idna", "click", "sniffio", "typing_extensions"]


@nox.session(python=REFERENCE_PYTHON)
def interop(session: nox.Session) -> None:
    """curl, http.client, urllib, httpx, uvicorn and (if installed) chromium, on loopback.

    httpx/httpcore/uvicorn are installed with our `h11` distribution in one resolve, as a
    user would: it meets their h11 requirement, so `import h11` is this project's
    (checked by --expect-h11-dist).
    """
    session.install(
        *_INTEROP_DEPS, "httpx", "httpcore", "uvicorn", *_wheels(session, *H11_DISTRIBUTION)
    )
    # A peer that is not installed (curl, chromium: Debian packages) is reported as
    # SKIP with the package to install, not as a failure.
    session.run(
        "python",
        "tools/interop/run.py",
        "--expect-h11-dist",
        "h11",
        "--allow-missing",
        *session.posargs,
    )


@nox.session(python=REFERENCE_PYTHON)
def downstream(session: nox.Session) -> None:
    """httpcore's, uvicorn's, wsproto's and hypercorn's own tests: PyPI h11, then ours.

    Ours is installed as a user would, with pip from the tree (the README's line), into a
    venv that first got PyPI's h11: our `h11` distribution replaces it.
    """
    session.install("pip")
    session.run("python", "-m", "pip", "install", "-q", REFERENCE_H11)
    session.run("python", "-m", "pip", "install", "-q", *_local(*H11_DISTRIBUTION))
    _expect_h11_is_ours(session, _candidate_python(session))
    reference = _reference_python(session, "downstream", "pip")
    report = ROOT / ".nox" / "downstream-reference.json"
    # The reference run is the baseline, not a verdict: hypercorn's two HTTP/2 websocket
    # tests fail on PyPI h11 too (exit 1); the comparison below decides.
    session.run(
        "python",
        "tools/downstream/run.py",
        "--python",
        reference,
        "--json-out",
        str(report),
        success_codes=[0, 1],
    )
    session.run(
        "python",
        "tools/downstream/run.py",
        "--python",
        _candidate_python(session),
        "--expect-same-as",
        str(report),
        *session.posargs,
    )


#: The Connection suite against PyPI h11 0.16, as packages/h11-connection/tests/conftest.py
#: says: ``h11_connection`` is PyPI's h11, the tests of this project's own additions are
#: left out, and each test of a deliberate difference must fail (a strict xfail there).
#: Exit status 5 (nothing ran) fails too.
CONNECTION_SUITE_ON_H11 = (
    "import sys, h11, pytest; sys.modules['h11_connection'] = h11; "
    "sys.exit(pytest.main(['-p', 'no:cacheprovider', '-q', '-m', 'not ours_only', sys.argv[1]]))"
)


@nox.session(python=REFERENCE_PYTHON)
def h11suite(session: nox.Session) -> None:
    """h11 0.16's own tests, rewritten to the public `h11`: PyPI h11 (must pass), then ours.
    And the converse: our Connection suite on PyPI h11 (must pass).

    Our `h11` is installed from the run's wheels as a user installs it; every failure must
    be listed in tools/h11suite/run.py's EXPECTED_FAILURES (and a listed test must fail).
    The Connection suite runs in the reference venv, which holds PyPI h11, pytest and
    hypothesis and none of this project's packages.
    """
    session.install("pip", "pytest>=8", *_wheels(session, *H11_DISTRIBUTION))
    session.run("pytest", "-p", "no:cacheprovider", str(ROOT / "tools" / "h11suite" / "tests"))
    _expect_h11_is_ours(session, _candidate_python(session))
    reference = _reference_python(session, "h11suite", "pytest>=8", "hypothesis>=6.100")
    _expect_implementation(session, reference, ours=False)
    session.run(
        reference,
        "-c",
        CONNECTION_SUITE_ON_H11,
        str(PACKAGES_DIR / "h11-connection" / "tests"),
        env=_test_env("h11-connection", "ci"),
        external=True,
    )
    session.run(
        "python",
        "tools/h11suite/run.py",
        "--candidate",
        _candidate_python(session),
        "--reference",
        reference,
        *session.posargs,
    )


def _expect_h11_is_ours(session: nox.Session, python: str) -> None:
    code = "import h11; print(h11.PRODUCT_ID)"
    product = str(session.run(python, "-c", code, silent=True, external=True)).strip()
    if not product.startswith("python-h11-connection/"):
        session.error(f"import h11 gives {product} in {python}, not this project's h11")
    session.log(f"import h11 gives {product}")


@nox.session(python=REFERENCE_PYTHON)
def load(session: nox.Session) -> None:
    """10 s of keep-alive load on the example server, this h11 vs PyPI h11."""
    _run_against_h11(session, "load", "tools/load/run.py")


@nox.session(python=REFERENCE_PYTHON)
def e2e(session: nox.Session) -> None:
    """uvicorn and hypercorn serving a hello-world app under load (tools/e2e/run.py).

    On PyPI h11 0.16, on this `h11` pure and compiled, and uvicorn on httptools, in
    alternating rounds (wrk if on PATH, else an asyncio client); then py-spy's share of
    the library in the server's CPU under uvicorn. Loopback, a few minutes; not in the
    default run. Arguments go to the script (``-- --rounds 5 --seconds 10``).
    """
    servers = ["uvicorn", "hypercorn", "py-spy"]
    h11 = _side_venv(session, "e2e-h11", *servers, "httptools", REFERENCE_H11)
    pure = _side_venv(session, "e2e-pure", *servers, *_wheels(session, *H11_DISTRIBUTION))
    compiled = _side_venv(
        session, "e2e-compiled", *servers, *_compiled_wheels(session), *_wheels(session, "h11")
    )
    configs = {
        "uvicorn + h11 0.16": f"uvicorn:{h11}",
        "uvicorn + pure": f"uvicorn:{pure}",
        "uvicorn + compiled": f"uvicorn:{compiled}",
        "uvicorn + httptools": f"uvicorn-httptools:{h11}",
        "hypercorn + h11 0.16": f"hypercorn:{h11}",
        "hypercorn + pure": f"hypercorn:{pure}",
        "hypercorn + compiled": f"hypercorn:{compiled}",
    }
    session.run(
        "python",
        "tools/e2e/run.py",
        *(f"--server={name}={where}" for name, where in configs.items()),
        "--profile=uvicorn + h11 0.16",
        "--profile=uvicorn + pure",
        *session.posargs,
    )


@nox.session(python=REFERENCE_PYTHON)
def fuzz(session: nox.Session) -> None:
    """Time-bounded fuzzing of both parsers and both Connection roles."""
    session.install("hypothesis>=6.100", "pytest>=8", *_wheels(session, *PACKAGES["h11-testkit"]))
    try:
        session.install("atheris")  # coverage-guided when it builds here
    except nox.command.CommandFailed:
        session.log("atheris did not install: fuzzing with hypothesis instead")
    session.run("python", "tools/fuzz/run.py", *session.posargs)


#: uvicorn's and hypercorn's dependencies other than h11 (they are installed --no-deps).
_PROBE_SERVER_DEPS = [
    "click",
    "h2",
    "priority",
    "hpack",
    "hyperframe",
    "typing_extensions",
    "exceptiongroup; python_version<'3.11'",
    "taskgroup; python_version<'3.11'",
    "tomli; python_version<'3.11'",
]


@nox.session(python=REFERENCE_PYTHON)
def probe(session: nox.Session) -> None:
    """The testkit's probe (`python -m h11_testkit probe`) against five servers on loopback.

    The example asyncio server, uvicorn and hypercorn on this project's h11 (installed
    without their h11 dependency; must be 0 unsafe), `python -m http.server` and an
    HTTP/1.1 http.server handler, and uvicorn and hypercorn on PyPI h11 0.16 in a second
    venv (reported, never failing). Not in the default run.
    """
    session.install(*_PROBE_SERVER_DEPS)
    session.install("--no-deps", "uvicorn", "hypercorn", "wsproto")
    # `import h11` is ours: from packages/h11 once that is its own distribution.
    facade = ["h11"] if (PACKAGES_DIR / "h11").is_dir() else []
    ours = dict.fromkeys([*H11_PACKAGES, *facade, "h11-testkit"])
    session.install(*_wheels(session, *ours))
    # The same two servers on PyPI h11 0.16, for comparison (reported, never failing).
    reference = _reference_python(session, "probe", "uvicorn", "hypercorn")
    session.run(
        "python",
        "tools/probe/run.py",
        "--json-dir",
        str(ROOT / ".nox" / "probe-reports"),
        "--reference-python",
        reference,
        *session.posargs,
    )


#: Client libraries for `probe-clients` other than httpx and httpcore (installed --no-deps
#: so that `import h11` stays ours) and their dependencies.
_PROBE_CLIENT_DEPS = ["urllib3", "requests", "aiohttp", "anyio", "certifi", "idna", "sniffio"]


@nox.session(name="probe-clients", python=REFERENCE_PYTHON)
def probe_clients(session: nox.Session) -> None:
    """The testkit's hostile server (`python -m h11_testkit probe-client`) against clients.

    This project's careful h11_connection client (must be 0 unsafe), httpx on this
    project's h11, http.client, urllib3, requests and aiohttp, and httpx on PyPI h11 0.16
    in a second venv (reported, never failing). Prints the table docs/testkit.md shows.
    Not in the default run.
    """
    session.install(*_PROBE_CLIENT_DEPS)
    session.install("--no-deps", "httpx", "httpcore")
    facade = ["h11"] if (PACKAGES_DIR / "h11").is_dir() else []
    ours = dict.fromkeys([*H11_PACKAGES, *facade, "h11-testkit"])
    session.install(*_wheels(session, *ours))
    _expect_h11_is_ours(session, _candidate_python(session))
    testkit = _wheels(session, *PACKAGES["h11-testkit"])
    reference = _reference_python(session, "probe-clients", "httpx", *testkit)
    session.run(
        "python",
        "tools/probe/clients.py",
        "--json-dir",
        str(ROOT / ".nox" / "probe-client-reports"),
        "--reference-python",
        reference,
        *session.posargs,
    )
