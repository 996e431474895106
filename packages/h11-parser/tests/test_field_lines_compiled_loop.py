"""The compiled build's field-line loop (``_compiled.plain_field_lines``) is a drop-in for
the pure source's ``findall`` (``_heads.plain_field_lines`` runs one or the other).

Both builds run these tests: the loop and the reference are held to what ``findall``
says on any field block, so both paths are tested alike.
"""

from __future__ import annotations

import h11_parser
import pytest
from h11_parser import _compiled, _heads
from h11_parser._heads import FIELD_LINE_CRLF_RE, FIELD_LINE_RE
from hypothesis import given
from hypothesis import strategies as st


def loop_says(head: bytes, start: int, strict: bool) -> list[tuple[bytes, bytes]] | None:
    """The loop's answer, checked against the pure source's reference on the way."""
    loop = _compiled.plain_field_lines(head, start, strict)
    with pytest.MonkeyPatch.context() as patch:  # the pure build's reading (pure Python only)
        patch.setattr(_compiled, "COMPILED", False)
        assert _heads.plain_field_lines(head, start, strict) == loop
    return loop


def findall_says(head: bytes, start: int, strict: bool) -> list[tuple[bytes, bytes]] | None:
    """What the pure build takes from the block: all lines, or None (the slow path)."""
    pattern = FIELD_LINE_CRLF_RE if strict else FIELD_LINE_RE
    found: list[tuple[bytes, bytes]] = pattern.findall(head, start)
    return found if len(found) == head.count(b"\n", start) else None


BLOCKS = [
    b"",
    b"Host: a\r\n",
    b"Host: a\r\nAccept: */*\r\n",
    b"Host:a\r\n",
    b"Host:\r\n",
    b"Host: \t \r\n",
    b"X: a b\tc \t\r\n",
    b"X: \x80\xff\r\n",
    b"Host: a\n",
    b"Host: a\r\r\n",
    b"Host: a\rb\r\n",
    b"Host: a\x00\r\n",
    b"Host: a\x7f\r\n",
    b"Set-Cookie: __utmv=kUd\x01UpAt\r\n",
    b"X: \x01\r\n",
    b"X: a\x08\x0e\x1f\x1b b\r\n",
    b"X: a\x0bb\r\n",
    b"X: \x0c\r\n",
    b"X: \x01 \t\r\n",
    b" folded\r\n",
    b"Host: a\r\n continued\r\n",
    b"\r\n",
    b"Bad Name: a\r\n",
    b": a\r\n",
    b"Host a\r\n",
    b"Host: a\r\ntrailing text without LF",
    b"X-\xff: a\r\n",
]


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("block", BLOCKS)
def test_loop_and_findall_agree_on_known_blocks(block: bytes, strict: bool) -> None:
    head = b"GET / HTTP/1.1\r\n" + block
    start = len(b"GET / HTTP/1.1\r\n")
    assert loop_says(head, start, strict) == findall_says(head, start, strict)


LINE_BYTES = st.sampled_from(
    [
        *(b"a", b"Z", b"-", b":", b" ", b"\t", b"\r", b"\n", b"\r\n", b"\x00", b"\x7f", b"\x80"),
        *(b"(", b"\x01", b"\x08", b"\x0b", b"\x0c", b"\x0e", b"\x1f"),
    ]
)


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("byte", range(256))
def test_loop_and_findall_agree_on_every_byte_in_a_value(byte: int, strict: bool) -> None:
    one = bytes([byte])
    for value in (one, one + b"a", b"a" + one, b"a" + one + b"b"):
        for line_end in (b"\r\n", b"\n"):
            head = b"X: " + value + line_end + b"Y: z" + line_end
            assert loop_says(head, 0, strict) == findall_says(head, 0, strict)


@given(st.lists(LINE_BYTES, max_size=40).map(b"".join), st.booleans())
def test_loop_and_findall_agree_on_generated_blocks(block: bytes, strict: bool) -> None:
    assert loop_says(block, 0, strict) == findall_says(block, 0, strict)


@given(st.binary(max_size=80), st.booleans())
def test_loop_and_findall_agree_on_any_bytes(block: bytes, strict: bool) -> None:
    assert loop_says(block, 0, strict) == findall_says(block, 0, strict)


def test_each_build_reads_heads_with_its_own_path() -> None:
    # Compiled: the loop; pure Python: findall (the faster of the two in each).
    assert _compiled.COMPILED is h11_parser.COMPILED
