"""Compiled patterns for the RFC 9110/9112 grammar, shared by events and parsers.

Everything is bytes, and each pattern is meant for ``fullmatch`` unless its name
says otherwise. The parser package builds its whole-head patterns from these
fragments so that the two layers can never disagree about what a token is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from . import _compiled

#: tchar, RFC 9110 5.6.2.
TCHAR: Final = rb"[-!#$%&'*+.^_`|~0-9A-Za-z]"
TOKEN: Final = TCHAR + rb"+"
#: field-vchar / obs-text: any byte but controls (HTAB aside, which is only
#: allowed inside a value) and DEL.
VCHAR_OR_OBS: Final = rb"[\x21-\x7e\x80-\xff]"
#: The bytes inside a field value (RFC 9110 5.5: HTAB, SP, VCHAR, obs-text), as the
#: body of a character class.
VALUE_BYTES: Final = rb"\t\x20-\x7e\x80-\xff"
#: A field value that is not empty, with no leading or trailing whitespace (RFC 9110
#: 5.5): what a request must carry. (Line patterns make the whole value optional
#: together with the whitespace after it: an empty value between two runs of SP/HTAB
#: would let a backtracking engine try every split of a long run.)
NONEMPTY_FIELD_VALUE: Final = VCHAR_OR_OBS + rb"(?:[" + VALUE_BYTES + rb"]*" + VCHAR_OR_OBS + rb")?"
FIELD_VALUE: Final = rb"(?:" + NONEMPTY_FIELD_VALUE + rb")?"
#: The bytes inside a tolerant field value: any but NUL, LF, VT, FF and CR. Real
#: servers send other control bytes (Google Analytics' ``__utmv`` cookie holds 0x01);
#: browsers, curl and h11 accept them (h11 issue #57, httpwg/http-core #683). None of
#: them ends a line or is whitespace, so no two peers read such a line differently.
TOLERANT_VALUE_BYTES: Final = rb"\x01-\x09\x0e-\xff"
#: Those bytes but SP and HTAB: the first and last byte of a tolerant value.
TOLERANT_VCHAR: Final = rb"[\x01-\x08\x0e-\x1f\x21-\xff]"
#: A tolerant field value: what a response may carry and what we send (as h11).
NONEMPTY_TOLERANT_FIELD_VALUE: Final = (
    TOLERANT_VCHAR + rb"(?:[" + TOLERANT_VALUE_BYTES + rb"]*" + TOLERANT_VCHAR + rb")?"
)
TOLERANT_FIELD_VALUE: Final = rb"(?:" + NONEMPTY_TOLERANT_FIELD_VALUE + rb")?"
#: Request target: visible ASCII only (every form of RFC 9112 3.2 is ASCII).
REQUEST_TARGET: Final = rb"[\x21-\x7e]+"
#: reason-phrase (RFC 9112 4: HTAB, SP, VCHAR, obs-text), tolerant as field values
#: are, received (as h11) or sent.
REASON_PHRASE: Final = rb"[" + TOLERANT_VALUE_BYTES + rb"]*"
HTTP_VERSION: Final = rb"[0-9]\.[0-9]"

token_re: Final = re.compile(TOKEN)
field_value_re: Final = re.compile(FIELD_VALUE)
tolerant_field_value_re: Final = re.compile(TOLERANT_FIELD_VALUE)
request_target_re: Final = re.compile(REQUEST_TARGET)
reason_phrase_re: Final = re.compile(REASON_PHRASE)
http_version_re: Final = re.compile(HTTP_VERSION)


#: The check of a field value we send (and a user constructs), a drop-in for
#: ``tolerant_field_value_re.fullmatch``: the compiled build's loop
#: (h11_events._compiled) where it runs compiled, else the pattern.
field_value_ok: Final[Callable[[bytes], object]] = (
    _compiled.tolerant_field_value if _compiled.COMPILED else tolerant_field_value_re.fullmatch
)
