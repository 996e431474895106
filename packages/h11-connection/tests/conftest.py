"""The marker of the black-box tests of the h11 0.16 API.

The tests ``import h11_connection as h11``: the whole h11 API is that namespace.
Every test must pass against PyPI h11 0.16 too, except those marked
``differs_from_h11`` (where this project is deliberately stricter). To check, in a
venv with PyPI h11, pytest and hypothesis but without h11-connection, run
``python -c "import sys, h11, pytest; sys.modules['h11_connection'] = h11;
sys.exit(pytest.main(['-p', 'no:cacheprovider', '-m', 'not differs_from_h11', 'TESTS']))"``.
(Hypothesis profiles are the root conftest's.)
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "differs_from_h11: checks a deliberate difference from h11 0.16 (fails on PyPI h11)",
    )
