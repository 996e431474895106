"""The compiled build's fast paths: byte loops that replace a pattern where mypyc runs them.

Each function here is a drop-in for a named function of the pure source, with the same
arguments and answers (tests hold each pair to the same results, on both builds):

- :func:`tolerant_field_value` for ``_grammar.tolerant_field_value_re.fullmatch``.

Compiled to C, a loop over the bytes is several times cheaper than a call into the
regex engine; in pure Python the pattern is the faster of the two. So each consumer
chooses once, at import, by :data:`COMPILED`: the pure source always reads as the
reference.
"""

from __future__ import annotations

from typing import Final

from ._mypyc import function_is_compiled


def tolerant_field_value(value: bytes) -> bytes | None:
    """``value`` if it is a valid tolerant field value, else None: any byte but NUL,
    LF, VT, FF and CR, neither first nor last byte SP or HTAB."""
    size = len(value)
    if size:
        first = value[0]
        last = value[size - 1]
        if first == 32 or first == 9 or last == 32 or last == 9:
            return None
        # Indexed, not ``for byte in value``: compiled, an index reads a C integer
        # while iteration boxes every byte as a Python int.
        i = 0
        while i < size:
            byte = value[i]
            if byte < 14 and (byte > 9 or byte == 0):  # NUL, LF, VT, FF, CR
                return None
            i += 1
    return value


#: Whether this module runs compiled: then its loops replace the patterns.
COMPILED: Final[bool] = function_is_compiled(tolerant_field_value)
