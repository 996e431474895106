"""The compiled build's field-value loop (``_compiled.tolerant_field_value``) is a drop-in
for the pattern pure Python uses (``_grammar.field_value_ok`` chooses one at import).

Both builds run these tests; holding the two to the same answers tests both paths alike.
"""

from __future__ import annotations

import h11_events
import pytest
from h11_events._compiled import tolerant_field_value as scan_field_value
from h11_events._grammar import field_value_ok, tolerant_field_value_re
from hypothesis import given
from hypothesis import strategies as st

#: The bytes the grammar cares about, so generated values hit every class often.
INTERESTING = st.sampled_from(
    [0, 1, 8, 9, 10, 11, 12, 13, 14, 31, 32, 33, 65, 126, 127, 128, 200, 255]
)


def pattern_says(value: bytes) -> bool:
    return tolerant_field_value_re.fullmatch(value) is not None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (b"", True),
        (b"a", True),
        (b"text/html; charset=utf-8", True),
        (b"a\tb c", True),
        (b"\x80\xff", True),
        (b" a", False),
        (b"a ", False),
        (b"\ta", False),
        (b"a\t", False),
        (b" ", False),
        (b"a\x00b", False),
        (b"a\rb", False),
        (b"a\nb", False),
        (b"a\x0bb", False),
        (b"\x0c", False),
        (b"\x00", False),
        (b"a\x7fb", True),
        (b"\x1f", True),
        (b"\x01a\x08", True),
        (b"kUd\x01UpAt", True),
        (b"\x0e \x1b", True),
    ],
)
def test_loop_and_pattern_agree_on_known_values(value: bytes, valid: bool) -> None:
    assert pattern_says(value) is valid
    assert (scan_field_value(value) is not None) is valid


@given(st.lists(INTERESTING, max_size=12).map(bytes))
def test_loop_and_pattern_agree_on_generated_values(value: bytes) -> None:
    assert (scan_field_value(value) is not None) is pattern_says(value)


@given(st.binary(max_size=64))
def test_loop_and_pattern_agree_on_any_bytes(value: bytes) -> None:
    assert (scan_field_value(value) is not None) is pattern_says(value)


@pytest.mark.parametrize("byte", range(256))
def test_loop_and_pattern_agree_on_every_byte_everywhere(byte: int) -> None:
    one = bytes([byte])
    for value in (one, one + b"a", b"a" + one, b"a" + one + b"b"):
        assert (scan_field_value(value) is not None) is pattern_says(value)


def test_loop_returns_the_value_it_accepts() -> None:
    value = b"gzip, br"
    assert scan_field_value(value) is value


def test_each_build_checks_values_with_its_own_path() -> None:
    # Compiled: the loop; pure Python: the pattern (the faster of the two in each).
    assert (field_value_ok is scan_field_value) is h11_events.COMPILED
