"""Markers of the h11 facade's tests."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "differs_from_h11: checks something PyPI h11 0.16 does not have or do",
    )
