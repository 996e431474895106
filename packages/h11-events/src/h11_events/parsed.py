"""Events and header lists built from parts a reader has already validated.

A parser (h11-parser's ``MessageReader``) checks every byte of a head once; building the
events through their constructors would check it all again. These builders take the
validated parts as they are, and :func:`field_pairs` / :func:`raw_field_pairs` give a
``Headers``' own lists without a copy, for a state machine that scans the fields of
what it sends. Each name *is* the implementation the parsers of this project run (no
wrapper). Nothing here validates: pass only what a reader or ``Headers`` produced, and
never mutate the lists (events are immutable).
"""

from __future__ import annotations

from ._events import Data, EndOfMessage, InformationalResponse, Request, Response
from ._headers import Headers

__all__ = [
    "data",
    "end_of_message",
    "field_pairs",
    "headers",
    "informational_response",
    "raw_field_pairs",
    "request",
    "response",
]

#: ``request(method, items, raw, target, http_version)``: a :class:`Request` whose headers
#: are the lowercased ``items`` and the as-received ``raw`` pairs, unchecked.
request = Request._from_parser
#: ``response(status_code, items, raw, reason, http_version)``: a :class:`Response`, unchecked.
response = Response._from_parser
#: ``informational_response(status_code, items, raw, reason, http_version)``: unchecked.
informational_response = InformationalResponse._from_parser
#: ``data(data, chunk_start, chunk_end)``: a :class:`Data` holding the bytes object given.
data = Data._from_parser
#: ``end_of_message(headers)``: an :class:`EndOfMessage` with these trailer ``Headers``.
end_of_message = EndOfMessage._from_parser
#: ``headers(items, raw)``: a :class:`Headers` of validated lowercased and as-received pairs.
headers = Headers._from_parsed


def field_pairs(fields: Headers) -> list[tuple[bytes, bytes]]:
    """The (lowercased name, value) pairs of ``fields``: its own list, not a copy."""
    return fields._items


def raw_field_pairs(fields: Headers) -> list[tuple[bytes, bytes]]:
    """The (name as written or received, value) pairs of ``fields``: its own list."""
    return fields._raw
