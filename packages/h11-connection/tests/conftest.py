"""Markers and hypothesis profiles for the black-box tests of the ``h11`` facade.

Every test here must pass against PyPI h11 0.16 too, except those marked
``differs_from_h11``: they pin down where this project is deliberately stricter.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", deadline=None, max_examples=200, derandomize=False, print_blob=True)
settings.register_profile("dev", max_examples=100)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "differs_from_h11: checks a deliberate difference from h11 0.16 (fails on PyPI h11)",
    )
