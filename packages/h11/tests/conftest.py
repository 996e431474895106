"""Markers of the h11 facade's tests, and the ``h11`` they need.

Every test here checks this project's ``h11`` facade: in a venv where ``import h11``
gives PyPI's h11 they skip, saying so (the root conftest's ``our_h11``).
"""

from __future__ import annotations

from types import ModuleType

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "differs_from_h11: checks something PyPI h11 0.16 does not have or do",
    )


@pytest.fixture(autouse=True)
def _facade_is_h11(our_h11: ModuleType) -> None:
    """Each test here needs ``import h11`` to give this project's facade."""
