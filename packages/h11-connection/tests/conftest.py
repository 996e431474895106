"""The markers of the Connection suite, which is also a black-box suite of the h11 0.16 API.

The tests ``import h11_connection as h11``: the whole h11 API is that namespace. Every
test must pass against PyPI h11 0.16 too, except those marked

- ``differs_from_h11``: a deliberate difference from h11 0.16 (a row of the README's
  "Differences from h11" table), where this project is stricter or fixes an h11 bug.
  Against PyPI h11 each must fail (a strict xfail there): one that passes is marked
  wrongly and hides a check of h11's behaviour;
- ``ours_only``: this project's internals or additions, which PyPI h11 does not have
  (plugins, the compiled flag, the engine API, the state machine table,
  ``install_as_h11``, the wording of our error messages). A module that tests nothing
  else says so with ``pytestmark = pytest.mark.ours_only`` at its top level.

``nox -s h11suite`` runs the suite against PyPI h11 0.16, in a venv with PyPI h11, pytest
and hypothesis but none of this project's packages, as
``python -c "import sys, h11, pytest; sys.modules['h11_connection'] = h11;
sys.exit(pytest.main(['-p', 'no:cacheprovider', '-m', 'not ours_only', 'TESTS']))"``.
There (``h11_connection.PRODUCT_ID`` is PyPI h11's) the modules marked ``ours_only`` as
a whole are not collected: they import this project's packages, which that venv lacks.
(Hypothesis profiles are the root conftest's.)
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

#: A module's top-level ``pytestmark`` that makes it ours only, as written.
OURS_ONLY_MODULE_MARK = "pytest.mark.ours_only"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "differs_from_h11: checks a deliberate difference from h11 0.16 (fails on PyPI h11)",
    )
    config.addinivalue_line(
        "markers",
        "ours_only: checks this project's internals or additions (PyPI h11 has none)",
    )


@functools.cache
def against_pypi_h11() -> bool:
    """Whether ``h11_connection`` is PyPI's h11 here (the black-box run)."""
    import h11_connection

    return str(h11_connection.PRODUCT_ID).startswith("python-h11/")


def module_is_ours_only(path: Path) -> bool:
    """Whether a test module's top-level ``pytestmark`` is ``ours_only`` (read, not imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Assign)
        and [ast.unparse(target) for target in node.targets] == ["pytestmark"]
        and ast.unparse(node.value) == OURS_ONLY_MODULE_MARK
        for node in tree.body
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Against PyPI h11, every deliberate difference must fail."""
    if not against_pypi_h11():
        return
    differs = pytest.mark.xfail(strict=True, reason="a deliberate difference from h11 0.16")
    for item in items:
        if item.get_closest_marker("differs_from_h11") is not None:
            item.add_marker(differs)


def pytest_ignore_collect(collection_path: Path) -> bool | None:
    """Against PyPI h11, leave out the modules that are ours only before importing them."""
    if collection_path.suffix != ".py" or not collection_path.name.startswith("test_"):
        return None
    if against_pypi_h11() and module_is_ours_only(collection_path):
        return True
    return None
