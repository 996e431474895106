"""The repository README's Python examples run as written (the seed examples among them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# The README documents this library (plugins, h11_parser): not a check of PyPI h11.
pytestmark = pytest.mark.differs_from_h11

README = Path(__file__).resolve().parents[3] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(source: str) -> None:
    exec(compile(source, str(README), "exec"), {"__name__": "readme_example"})


def test_seed_client_example_produces_h11_bytes() -> None:
    namespace: dict[str, object] = {}
    [seed] = [block for block in BLOCKS if "conn = h11.Connection(h11.CLIENT)" in block]
    exec(compile(seed, str(README), "exec"), namespace)
    assert namespace["data"] == b"GET / HTTP/1.1\r\nhost: example.com\r\n\r\n"
