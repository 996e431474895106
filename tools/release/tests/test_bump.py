"""Version ranges between the packages, and bumping one package alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import bump  # noqa: E402

ROOT = HERE.parents[2]
SCRIPT = HERE.parent / "bump.py"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The packages' pyproject.toml, _version.py and CHANGELOG.md, copied."""
    for package in bump.packages(ROOT):
        folder = ROOT / "packages" / package
        for relative in ["pyproject.toml", "CHANGELOG.md", bump.version_file(package, Path("."))]:
            relative = Path(str(relative).removeprefix(f"packages/{package}/"))
            target = tmp_path / "packages" / package / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(folder / relative, target)
    return tmp_path


def test_this_tree_has_compatible_ranges() -> None:
    assert bump.check(ROOT) == []


def test_every_sibling_dependency_is_a_range_not_a_pin() -> None:
    for package in bump.packages(ROOT):
        for requirement in bump.sibling_requirements(package, ROOT):
            assert "==" not in str(requirement), (package, str(requirement))


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.1.0", ">=0.1.0,<0.2"), ("0.12.3", ">=0.12.3,<0.13"), ("1.4.2", ">=1.4.2,<2")],
)
def test_compatible_range(version: str, expected: str) -> None:
    assert bump.compatible_range(version) == expected


@pytest.mark.parametrize(
    ("level", "expected"),
    [("patch", "0.1.1"), ("minor", "0.2.0"), ("major", "1.0.0"), ("0.3.7", "0.3.7")],
)
def test_next_version(level: str, expected: str) -> None:
    assert bump.next_version("0.1.0", level) == expected


@pytest.mark.parametrize("level", ["0.1.0", "0.0.9", "huge", "1.2"])
def test_next_version_refuses_what_is_not_above(level: str) -> None:
    with pytest.raises(bump.ReleaseError):
        bump.next_version("0.1.0", level)


def test_patch_bump_of_one_package_alone(tree: Path) -> None:
    before = {p: bump.read_version(p, tree) for p in bump.packages(tree)}
    new, excluded = bump.bump("h11-parser", "patch", tree)
    assert new == "0.1.1"
    assert excluded == []
    assert bump.read_version("h11-parser", tree) == "0.1.1"
    assert 'version__ = "0.1.1"' in bump.version_file("h11-parser", tree).read_text()
    others = {p: bump.read_version(p, tree) for p in bump.packages(tree) if p != "h11-parser"}
    assert others == {p: v for p, v in before.items() if p != "h11-parser"}
    changelog = (tree / "packages/h11-parser/CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n\n## 0.1.1 (unreleased)\n")
    assert bump.check(tree) == []  # the siblings' ranges still hold it


def test_a_breaking_bump_names_the_siblings_to_check(tree: Path) -> None:
    new, excluded = bump.bump("h11-events", "minor", tree)
    assert new == "0.2.0"
    assert sorted(line.split()[0] for line in excluded) == [
        "h11",
        "h11-connection",
        "h11-parser",
        "h11-testkit",
    ]
    problems = bump.check(tree)
    assert any(
        "h11-parser: h11-events<0.2,>=0.1.0 excludes h11-events 0.2.0" in p
        and "require h11-events>=0.2.0,<0.3" in p
        for p in problems
    ), problems


def test_facade_bump_moves_only_its_local_label(tree: Path) -> None:
    new, _ = bump.bump("h11", "patch", tree)
    assert new == "0.1.1"
    assert '__version__ = "0.16.0+sansio.0.1.1"' in bump.version_file("h11", tree).read_text()
    changelog = (tree / "packages/h11/CHANGELOG.md").read_text()
    assert "## 0.1.1 (unreleased)" in changelog


def test_a_released_top_section_gets_a_new_one_above(tree: Path) -> None:
    path = tree / "packages/h11-events/CHANGELOG.md"
    path.write_text("# Changelog\n\n## 0.1.0\n- first\n")
    bump.bump("h11-events", "patch", tree)
    assert path.read_text() == "# Changelog\n\n## 0.1.1 (unreleased)\n\n## 0.1.0\n- first\n"


@pytest.mark.parametrize(
    ("requirement", "problem"),
    [
        ("h11-events==0.1.0", "is not a range"),
        ("h11-events>=0.1.0", "is not a range"),
        ("h11-events>=0.1.0,<1", "should read h11-events>=0.1.0,<0.2"),
        ("h11-events>=0.2.0,<0.3", "excludes h11-events 0.1.0"),
    ],
)
def test_range_problems(requirement: str, problem: str) -> None:
    [found] = bump.range_problems(
        {"h11-events": "0.1.0"}, {"h11-parser": [Requirement(requirement)]}
    )
    assert found.startswith("h11-parser: ")
    assert problem in found


def test_command_line_check_and_bump(tree: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    bad = subprocess.run(
        [sys.executable, str(SCRIPT), "h11-nothing", "patch"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "no package 'h11-nothing'" in bad.stderr
