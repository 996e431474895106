"""The private-import checker: what it finds, what it accepts, and the advice it gives."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import check  # noqa: E402

ROOT = HERE.parents[2]
SCRIPT = HERE.parent / "check.py"


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Two distributions: ``lib`` (a private _impl, re-exported by public api) and ``app``."""
    write(tmp_path, "packages/lib/src/lib/__init__.py", "from ._impl import Thing\n")
    write(tmp_path, "packages/lib/src/lib/_impl.py", "class Thing: ...\ndef helper(): ...\n")
    write(tmp_path, "packages/lib/src/lib/api.py", "from ._impl import helper as run\n")
    write(tmp_path, "packages/app/src/app/__init__.py", "")
    return tmp_path


def findings(root: Path) -> list[str]:
    return [str(finding) for finding in check.check_tree(root)]


def test_public_imports_pass(tree: Path) -> None:
    write(tree, "packages/app/src/app/main.py", "from lib import Thing\nfrom lib.api import run\n")
    assert findings(tree) == []


def test_private_module_import_names_the_public_name(tree: Path) -> None:
    write(tree, "packages/app/src/app/main.py", "x = 1\nfrom lib._impl import helper\n")
    assert findings(tree) == [
        "packages/app/src/app/main.py:2: from lib._impl import helper: "
        "private to lib; use lib.api.run (the same object)"
    ]


def test_private_name_without_public_home_says_to_export_one(tree: Path) -> None:
    write(tree, "packages/lib/src/lib/_impl.py", "class Thing: ...\ndef helper(): ...\nZ = 1\n")
    write(tree, "packages/app/src/app/main.py", "import lib._impl\nfrom lib import _impl\n")
    assert findings(tree) == [
        "packages/app/src/app/main.py:1: import lib._impl: "
        "private to lib, which has no public name for it: export one first",
        "packages/app/src/app/main.py:2: from lib import _impl: "
        "private to lib, which has no public name for it: export one first",
    ]


def test_private_attribute_of_an_imported_class_is_found(tree: Path) -> None:
    write(tree, "packages/app/src/app/main.py", "from lib import Thing\nThing._make()\n")
    [finding] = findings(tree)
    assert finding.startswith("packages/app/src/app/main.py:2: Thing._make: private attribute")


def test_a_package_may_use_its_own_private_names(tree: Path) -> None:
    write(
        tree,
        "packages/lib/src/lib/other.py",
        "from lib._impl import helper\nfrom ._impl import Thing\n",
    )
    assert findings(tree) == []


def test_dunder_names_are_public(tree: Path) -> None:
    write(tree, "packages/app/src/app/main.py", "from lib import __name__ as n\n")
    assert findings(tree) == []


def test_exit_status_and_output(tree: Path) -> None:
    write(tree, "packages/app/src/app/main.py", "from lib._impl import Thing\n")
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(tree)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert "main.py:1: from lib._impl import Thing: private to lib; use lib.Thing" in run.stdout


def test_this_repository_is_clean() -> None:
    assert findings(ROOT) == []


def test_a_new_private_engine_import_is_told_the_engine_name(tmp_path: Path) -> None:
    """What an engineer adding ``from h11_parser._framing import head_facts`` reads."""
    for src in ROOT.glob("packages/*/src"):
        for path in src.rglob("*.py"):
            target = tmp_path / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text())
    connection = tmp_path / "packages/h11-connection/src/h11_connection/_connection.py"
    connection.write_text(
        connection.read_text() + "\nfrom h11_parser._framing import head_facts as _s\n"
    )
    [finding] = findings(tmp_path)
    assert finding.endswith(
        "from h11_parser._framing import head_facts: "
        "private to h11-parser; use h11_parser.engine.head_facts (the same object)"
    )


def test_a_private_slot_read_through_any_name_is_found(tmp_path: Path) -> None:
    """``headers._items`` in another package: the object's name does not hide it."""
    for src in ROOT.glob("packages/*/src"):
        for path in src.rglob("*.py"):
            target = tmp_path / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text())
    writer = tmp_path / "packages/h11-parser/src/h11_parser/_message_writer.py"
    writer.write_text(writer.read_text() + "\n\ndef _peek(fields):\n    return fields._raw\n")
    [finding] = findings(tmp_path)
    assert finding.endswith(
        "._raw: private attribute declared by h11-events's classes; use a public name of "
        "theirs (or ask for one)"
    )
    assert "packages/h11-parser/src/h11_parser/_message_writer.py:" in finding
