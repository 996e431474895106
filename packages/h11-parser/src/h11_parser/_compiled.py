"""The compiled build's fast paths: byte loops that replace a pattern where mypyc runs them.

Each function here is a drop-in for a named function of the pure source, with the same
arguments and answers (tests hold each pair to the same results, on both builds):

- :func:`plain_field_lines` for ``_heads.plain_field_lines`` (one ``findall``);
- :func:`bare_chunk` for ``_message_reader.bare_chunk`` (one pattern match).

Compiled to C, a loop over the bytes is cheaper than a call into the regex engine; in
pure Python the pattern is the faster of the two. So each named function runs its
pattern unless :data:`COMPILED`, then the loop here: the pure source reads as the
reference, and compiled code calls the loop directly (a function bound to a name at
import would be called through the interpreter, which costs more than the loop saves
on a path run once per chunk).
"""

from __future__ import annotations

from typing import Final

from h11_events.compilation import function_is_compiled
from h11_events.grammar import token_re
from h11_events.rules import MAX_BODY_LENGTH

#: 1 at the byte values of a token character (what ``token_re`` accepts), else 0.
_IS_TCHAR: Final = bytes(1 if token_re.fullmatch(bytes([i])) else 0 for i in range(256))


def plain_field_lines(head: bytes, start: int, strict: bool) -> list[tuple[bytes, bytes]] | None:
    """The field lines of ``head[start:]`` as (name, value) pairs, by a loop; None as soon
    as a line is not a plain field line. Text after the last LF is ignored.

    ``strict``: CRLF line ends only and RFC 9110 values (any control byte but HTAB ends
    the value); else LF or CRLF, and values hold any byte but NUL, LF, VT, FF and CR.
    """
    fields: list[tuple[bytes, bytes]] = []
    is_tchar = _IS_TCHAR
    size = len(head)
    pos = start
    # One pass per line, no ``find``: the value's scan stops at the first byte no value
    # may hold, which is the line end or makes the line no field line.
    while pos < size:
        i = pos
        while i < size and is_tchar[head[i]]:
            i += 1
        if i in (pos, size) or head[i] != 58:  # a token, then ":"
            return _unless_last_line(fields, head, pos)
        name = head[pos:i]
        i += 1
        while i < size and (head[i] == 32 or head[i] == 9):
            i += 1
        k = i
        if strict:
            while k < size:
                byte = head[k]
                if (byte < 32 and byte != 9) or byte == 127:
                    break
                k += 1
        else:
            while k < size:
                byte = head[k]
                if byte < 14 and (byte > 9 or byte == 0):  # NUL, LF, VT, FF, CR
                    break
                k += 1
        if k == size:
            return fields  # no LF: text after the last LF is ignored
        if head[k] == 13 and k + 1 < size and head[k + 1] == 10:
            newline = k + 1
        elif head[k] == 10 and not strict:
            newline = k
        else:
            return _unless_last_line(fields, head, pos)
        end = k
        while end > i and (head[end - 1] == 32 or head[end - 1] == 9):
            end -= 1
        fields.append((name, head[i:end]))
        pos = newline + 1
    return fields


def _unless_last_line(
    fields: list[tuple[bytes, bytes]], head: bytes, pos: int
) -> list[tuple[bytes, bytes]] | None:
    """A line at ``pos`` that is no plain field line: None (the slow path says why),
    unless no LF ends it, as ``findall`` ignores text after the last LF."""
    return fields if head.find(b"\n", pos) < 0 else None


def bare_chunk(buf: bytes | bytearray, pos: int, limit: int) -> tuple[int, int, bool]:
    """(size, start of the data, whole) of a chunk whose size line at ``pos`` is 1 to 16
    hex digits and CRLF, its LF before ``limit``, and its size at most 2**63 - 1;
    ``whole``: its data and the CRLF after it are in ``buf`` too. (-1, -1, False) for
    any other line."""
    if isinstance(buf, bytes):
        return _bare_chunk(buf, pos, limit)
    # A bytearray (a head that came in pieces): the size line is in its first 18 bytes.
    size, start, _ = _bare_chunk(bytes(buf[pos : min(limit, pos + 18)]), 0, 18)
    if size < 0:
        return -1, -1, False
    end = pos + start + size
    return size, pos + start, end + 1 < len(buf) and buf[end] == 13 and buf[end + 1] == 10


def _bare_chunk(buf: bytes, pos: int, limit: int) -> tuple[int, int, bool]:
    """:func:`bare_chunk` on bytes (compiled, indexing bytes reads C integers)."""
    size = 0
    i = pos
    stop = min(len(buf), pos + 16)
    while i < stop:
        byte = buf[i]
        if 48 <= byte <= 57:
            size = size * 16 + byte - 48
        elif 97 <= byte <= 102:
            size = size * 16 + byte - 87
        elif 65 <= byte <= 70:
            size = size * 16 + byte - 55
        else:
            break
        i += 1
    if i == pos or i + 1 >= limit or i + 1 >= len(buf) or buf[i] != 13 or buf[i + 1] != 10:
        return -1, -1, False
    if i - pos == 16 and size > MAX_BODY_LENGTH:
        return -1, -1, False
    end = i + 2 + size
    return size, i + 2, end + 1 < len(buf) and buf[end] == 13 and buf[end + 1] == 10


#: Whether this module runs compiled: then its loops replace the patterns.
COMPILED: Final[bool] = function_is_compiled(plain_field_lines)
