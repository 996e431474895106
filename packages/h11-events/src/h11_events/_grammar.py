"""Compiled patterns for the RFC 9110/9112 grammar, shared by events and parsers.

Everything is bytes, and each pattern is meant for ``fullmatch`` unless its name
says otherwise. The parser package builds its whole-head patterns from these
fragments so that the two layers can never disagree about what a token is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from ._compiler import function_is_compiled

#: tchar, RFC 9110 5.6.2.
TCHAR: Final = rb"[-!#$%&'*+.^_`|~0-9A-Za-z]"
TOKEN: Final = TCHAR + rb"+"
#: field-vchar / obs-text: any byte but controls (HTAB aside, which is only
#: allowed inside a value) and DEL.
VCHAR_OR_OBS: Final = rb"[\x21-\x7e\x80-\xff]"
#: A field value with no leading or trailing whitespace (RFC 9110 5.5).
FIELD_VALUE: Final = (
    rb"(?:" + VCHAR_OR_OBS + rb"(?:[\t\x20-\x7e\x80-\xff]*" + VCHAR_OR_OBS + rb")?)?"
)
#: Request target: visible ASCII only (every form of RFC 9112 3.2 is ASCII).
REQUEST_TARGET: Final = rb"[\x21-\x7e]+"
#: reason-phrase, RFC 9112 4.
REASON_PHRASE: Final = rb"[\t\x20-\x7e\x80-\xff]*"
HTTP_VERSION: Final = rb"[0-9]\.[0-9]"

token_re: Final = re.compile(TOKEN)
field_value_re: Final = re.compile(FIELD_VALUE)
request_target_re: Final = re.compile(REQUEST_TARGET)
reason_phrase_re: Final = re.compile(REASON_PHRASE)
http_version_re: Final = re.compile(HTTP_VERSION)


def scan_field_value(value: bytes) -> bytes | None:
    """``value`` if it is a valid field value, else None: ``field_value_re.fullmatch`` as a loop.

    Same answers as the pattern (tested): HTAB, SP, visible ASCII and obs-text bytes,
    neither first nor last byte SP or HTAB. The compiled build checks values with it (a
    loop compiled to C is several times cheaper than a call into the regex engine);
    pure Python keeps the pattern, which is the faster of the two there.
    """
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
            if (byte < 32 and byte != 9) or byte == 127:
                return None
            i += 1
    return value


#: The check of a field value the headers use: the loop when this module is compiled,
#: the pattern in pure Python (compiled, a function is no longer a Python function).
#: Compiled code that can call ``scan_field_value`` by name should (a direct C call).
SCAN_FIELD_VALUES: Final = function_is_compiled(scan_field_value)
field_value_ok: Final[Callable[[bytes], object]] = (
    scan_field_value if SCAN_FIELD_VALUES else field_value_re.fullmatch
)
