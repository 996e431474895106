"""RFC 9110/9112 grammar as byte patterns, for parsers that build their own.

Pattern sources (``TOKEN``, ``FIELD_VALUE``, ...) are ``bytes`` fragments to combine
into larger patterns; the ``*_re`` objects are compiled, for ``fullmatch``. The events
validate with the same objects, so a parser built from these cannot disagree with them
about what a token or a field value is.
"""

from ._grammar import (
    FIELD_VALUE,
    HTTP_VERSION,
    NONEMPTY_FIELD_VALUE,
    NONEMPTY_TOLERANT_FIELD_VALUE,
    REASON_PHRASE,
    REQUEST_TARGET,
    TCHAR,
    TOKEN,
    TOLERANT_FIELD_VALUE,
    TOLERANT_VALUE_BYTES,
    TOLERANT_VCHAR,
    VALUE_BYTES,
    VCHAR_OR_OBS,
    field_value_ok,
    field_value_re,
    http_version_re,
    reason_phrase_re,
    request_target_re,
    token_re,
    tolerant_field_value_re,
)

__all__ = [
    "FIELD_VALUE",
    "HTTP_VERSION",
    "NONEMPTY_FIELD_VALUE",
    "NONEMPTY_TOLERANT_FIELD_VALUE",
    "REASON_PHRASE",
    "REQUEST_TARGET",
    "TCHAR",
    "TOKEN",
    "TOLERANT_FIELD_VALUE",
    "TOLERANT_VALUE_BYTES",
    "TOLERANT_VCHAR",
    "VALUE_BYTES",
    "VCHAR_OR_OBS",
    "field_value_ok",
    "field_value_re",
    "http_version_re",
    "reason_phrase_re",
    "request_target_re",
    "token_re",
    "tolerant_field_value_re",
]
