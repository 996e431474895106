"""h11_testkit.cost: the shapes build what they say, and the growth check tells a linear
parser from a quadratic one."""

from __future__ import annotations

import re

import pytest
from h11_testkit import cost

SPACES = cost.Shape("spaces", "request", lambda n: b" " * n)
#: Tried from every offset of a run of SP, each try scanning to the run's end: quadratic.
QUADRATIC = re.compile(rb" +x")


def test_a_linear_parse_passes() -> None:
    ratio = cost.check_linear(lambda data: data.count(b" "), SPACES, 50_000)
    assert ratio <= cost.LINEAR_BOUND


def test_a_quadratic_parse_fails() -> None:
    with pytest.raises(AssertionError, match="4x the bytes cost"):
        cost.check_linear(QUADRATIC.search, SPACES, 4_000)


@pytest.mark.parametrize("shape", cost.SHAPES, ids=cost.ids(cost.SHAPES))
def test_each_shape_grows_with_n(shape: cost.Shape) -> None:
    small, large = shape.build(1_000), shape.build(4_000)
    assert 2_900 <= len(large) - len(small) <= 3_100
    assert small.startswith(b"HTTP/1.1 " if shape.kind == "response" else b"")


def test_shape_names_are_unique_and_subsets_are_drawn_from_them() -> None:
    names = cost.ids(cost.SHAPES)
    assert len(names) == len(set(names))
    assert set(cost.CORE) <= set(cost.SHAPES)
    assert len(cost.REPORTED) == 6
    assert set(cost.REPORTED) <= set(cost.SHAPES)


def test_byte_by_byte_splits_into_single_bytes() -> None:
    assert cost.byte_by_byte(b"abc") == [b"a", b"b", b"c"]
    assert cost.byte_by_byte(b"") == []
