"""Bump one package's version and changelog; check that the packages' ranges fit together.

    python tools/release/bump.py PACKAGE (major|minor|patch|X.Y.Z)   (or: nox -s bump -- ...)
    python tools/release/bump.py --check

Each package depends on its siblings by a compatible range, ``>=X.Y.Z,<X+1`` (at 0.x:
``>=0.Y.Z,<0.(Y+1)``), so each can be released alone. A bump sets the version in
``src/<module>/_version.py`` and names the changelog's top unreleased section after it
(``## 1.2.3 (unreleased)``; a new section when the top one is released). It changes no
sibling: a bump that leaves a sibling's range (a major bump, or a minor one at 0.x)
is reported, since that sibling must be checked against the new API before its range
moves. ``--check`` (and the ``build`` session) fails when a range is not of that form
or excludes the sibling version in this tree.

Tag each release ``<package>-<version>`` (``git tag h11-parser-0.1.0``): once the tree has
moved past a sibling's lowest allowed version, ``nox -s minimums`` builds that version from
its tag.

The ``h11`` facade's version is ``0.16.0+sansio.<its own version>``: the public part is
the h11 API it provides (what httpx, uvicorn... require), the local label its own
release, bumped like any other package's version.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
#: The h11 API version the facade provides (the public part of its version).
FACADE = "h11"
FACADE_API = "0.16.0"
LEVELS = ("major", "minor", "patch")

_VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
_TOP_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)


class ReleaseError(Exception):
    """A bump or a check that cannot be done, with what to fix."""


def packages(root: Path = ROOT) -> list[str]:
    return sorted(path.parent.name for path in root.glob("packages/*/pyproject.toml"))


def version_file(package: str, root: Path = ROOT) -> Path:
    return root / "packages" / package / "src" / package.replace("-", "_") / "_version.py"


def read_version(package: str, root: Path = ROOT) -> str:
    """The package's own version (for the facade: the local label's)."""
    match = _VERSION_LINE.search(version_file(package, root).read_text())
    if match is None:
        raise ReleaseError(f"{version_file(package, root)} has no __version__ line")
    version = match.group(1)
    if package == FACADE:
        return facade_release(version)
    return version


def facade_release(version: str) -> str:
    """The facade's own release from its full version ``0.16.0+sansio.<release>``."""
    parsed = Version(version)
    prefix = "sansio."
    if parsed.public != FACADE_API or not (parsed.local or "").startswith(prefix):
        raise ReleaseError(f"the h11 facade's version {version!r} is not {FACADE_API}+sansio.X.Y.Z")
    return (parsed.local or "")[len(prefix) :]


def full_version(package: str, version: str) -> str:
    """What ``_version.py`` holds for ``version`` of ``package``."""
    return f"{FACADE_API}+sansio.{version}" if package == FACADE else version


def next_version(current: str, level: str) -> str:
    """``current`` bumped by ``level`` (major, minor, patch) or set to an explicit X.Y.Z."""
    if level not in LEVELS:
        if not re.fullmatch(r"\d+\.\d+\.\d+", level):
            raise ReleaseError(f"{level!r} is neither one of {', '.join(LEVELS)} nor X.Y.Z")
        if Version(level) <= Version(current):
            raise ReleaseError(f"{level} is not above the current version {current}")
        return level
    major, minor, patch = Version(current).release[:3]
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def compatible_upper(version: str) -> str:
    """The first version a range from ``version`` excludes: the next major (next minor at 0.x)."""
    major, minor = Version(version).release[:2]
    return f"{major + 1}" if major else f"0.{minor + 1}"


def compatible_range(version: str) -> str:
    """The requirement specifier siblings use for ``version``: ``>=version,<upper``."""
    return f">={version},<{compatible_upper(version)}"


def sibling_requirements(package: str, root: Path = ROOT) -> list[Requirement]:
    """The package's [project] dependencies on siblings, as written in its pyproject.toml."""
    # tomllib from Python 3.11 (this tree's tools run on 3.11; mypy checks as 3.10).
    tomllib: Any = importlib.import_module("tomllib")
    text = (root / "packages" / package / "pyproject.toml").read_text()
    dependencies = tomllib.loads(text)["project"].get("dependencies", [])
    names = set(packages(root))
    return [r for r in map(Requirement, dependencies) if r.name in names]


def range_problems(
    versions: dict[str, str], requirements: dict[str, list[Requirement]]
) -> list[str]:
    """What is wrong with each package's sibling ranges, given the siblings' versions.

    A range must read ``>=L,<U`` with ``U`` the compatible upper bound of ``L`` and hold
    the sibling's version (so the packages of one tree install together).
    """
    problems = []
    for package, required in sorted(requirements.items()):
        for requirement in required:
            name = requirement.name
            specifiers = sorted(str(s) for s in requirement.specifier)
            lower = [s[2:] for s in specifiers if s.startswith(">=")]
            if len(specifiers) != 2 or len(lower) != 1:
                problems.append(f"{package}: {requirement} is not a range >=X.Y.Z,<...")
                continue
            expected = compatible_range(lower[0])
            if sorted(expected.split(",")) != specifiers:
                problems.append(f"{package}: {requirement} should read {name}{expected}")
            version = versions.get(name)
            if version is not None and not requirement.specifier.contains(version, True):
                problems.append(
                    f"{package}: {requirement} excludes {name} {version} of this tree: check "
                    f"{package} against it, then require {name}{compatible_range(version)}"
                )
    return problems


def check(root: Path = ROOT) -> list[str]:
    names = packages(root)
    versions = {name: read_version(name, root) for name in names}
    return range_problems(versions, {name: sibling_requirements(name, root) for name in names})


def bump(package: str, level: str, root: Path = ROOT) -> tuple[str, list[str]]:
    """Set ``package``'s next version and changelog section; the new version and the
    siblings whose ranges now exclude it."""
    if package not in packages(root):
        raise ReleaseError(f"no package {package!r}: one of {', '.join(packages(root))}")
    new = next_version(read_version(package, root), level)
    path = version_file(package, root)
    text = path.read_text()
    path.write_text(_VERSION_LINE.sub(f'__version__ = "{full_version(package, new)}"', text))
    _name_changelog_section(root / "packages" / package / "CHANGELOG.md", new)
    excluded = [
        f"{other} requires {requirement}: widen it once {other} works with {package} {new}"
        for other in packages(root)
        for requirement in sibling_requirements(other, root)
        if requirement.name == package and not requirement.specifier.contains(new, True)
    ]
    return new, excluded


def _name_changelog_section(path: Path, version: str) -> None:
    text = path.read_text()
    top = _TOP_SECTION.search(text)
    heading = f"## {version} (unreleased)"
    if top is not None and "unreleased" in top.group(1).lower():
        text = text[: top.start()] + heading + text[top.end() :]
    elif top is not None:
        text = text[: top.start()] + heading + "\n\n" + text[top.start() :]
    else:
        text = text.rstrip("\n") + "\n\n" + heading + "\n"
    path.write_text(text)


def main(argv: list[str]) -> int:
    try:
        if argv == ["--check"]:
            problems = check()
            for problem in problems:
                print(problem)
            if not problems:
                print("every sibling range is compatible and holds this tree's version")
            return 1 if problems else 0
        if len(argv) != 2:
            print(__doc__, file=sys.stderr)
            return 2
        package, level = argv
        new, excluded = bump(package, level)
    except ReleaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{package} {full_version(package, new)}: version and CHANGELOG.md updated")
    for line in excluded:
        print(f"note: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
