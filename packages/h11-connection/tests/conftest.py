"""The marker of the black-box tests of the ``h11`` facade.

Every test here must pass against PyPI h11 0.16 too, except those marked
``differs_from_h11``: they pin down where this project is deliberately stricter.
(Hypothesis profiles are the root conftest's.)
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "differs_from_h11: checks a deliberate difference from h11 0.16 (fails on PyPI h11)",
    )
