"""Compiled patterns for the RFC 9110/9112 grammar, shared by events and parsers.

Everything is bytes, and each pattern is meant for ``fullmatch`` unless its name
says otherwise. The parser package builds its whole-head patterns from these
fragments so that the two layers can never disagree about what a token is.
"""

from __future__ import annotations

import re
from typing import Final

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
