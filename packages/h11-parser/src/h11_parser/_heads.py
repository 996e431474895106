"""Parsing of message heads: the start line and the field block.

A complete head is parsed in one pass of compiled patterns; only a head that
fails the fast path is looked at line by line, to say exactly what is wrong
(and to unfold obs-fold, which the fast path refuses).
"""

from __future__ import annotations

import re

from h11_events import RemoteProtocolError
from h11_events._grammar import FIELD_VALUE, REASON_PHRASE, REQUEST_TARGET, TOKEN, token_re

# One field line, anchored at a line start so that a line that is not a whole
# field line yields no match at all; the caller compares the match count with
# the line count, which proves every line matched.
FIELD_LINE_RE = re.compile(
    rb"^(" + TOKEN + rb"):[ \t]*(" + FIELD_VALUE + rb")[ \t]*\r?\n", re.MULTILINE
)
REQUEST_LINE_RE = re.compile(rb"(" + TOKEN + rb") (" + REQUEST_TARGET + rb") HTTP/1\.([0-9])\r?\n")
STATUS_LINE_RE = re.compile(rb"HTTP/1\.([0-9]) ([0-9]{3})(?: (" + REASON_PHRASE + rb"))?\r?\n")
_LOOSE_VERSION_RE = re.compile(rb"HTTP/([0-9]+)\.([0-9]+)")
_OBS_FOLD_RE = re.compile(rb"[ \t]*\r?\n[ \t]+")
_CONTROL_RE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")

#: The fields of a head or trailer section: lowercased pairs and received pairs.
FieldLists = tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]

#: HTTP/1.x version strings by minor digit, shared rather than built per head.
HTTP_VERSIONS = {str(minor).encode(): b"1." + str(minor).encode() for minor in range(10)}


def fields_of(head: bytes, start: int, what: str) -> FieldLists:
    """The field lines of ``head[start:]``: (lowercased name, value) pairs for
    events and lookups, and (name as received, value) pairs for ``raw_items``.

    The fast path is one ``findall``; a block that is not all plain field lines
    (obs-fold, or an error) goes the slow way.
    """
    raw: list[tuple[bytes, bytes]] = FIELD_LINE_RE.findall(head, start)
    if len(raw) != head.count(b"\n", start):
        raw = _parse_fields_slowly(head[start:], what)
    return [(name.lower(), value) for name, value in raw], raw


def _parse_fields_slowly(block: bytes, what: str) -> list[tuple[bytes, bytes]]:
    """Unfold obs-fold, or raise an error that names the offending line."""
    if block[:1] in (b" ", b"\t"):
        raise RemoteProtocolError(f"{what} block starts with whitespace (obs-fold at the start)")
    unfolded = _OBS_FOLD_RE.sub(b" ", block)
    if unfolded != block:
        raw = FIELD_LINE_RE.findall(unfolded)
        if len(raw) == unfolded.count(b"\n"):
            return raw
    for line in unfolded.splitlines(keepends=True):
        if FIELD_LINE_RE.fullmatch(line) is None:
            raise RemoteProtocolError(f"illegal {what} line {line!r}: {_diagnose_field(line)}")
    raise RemoteProtocolError(f"illegal {what} block")  # pragma: no cover - defensive


def _diagnose_field(line: bytes) -> str:
    body = line[:-2] if line.endswith(b"\r\n") else line[:-1] if line.endswith(b"\n") else line
    name, colon, value = body.partition(b":")
    if not colon:
        return "no colon"
    if name[-1:] in (b" ", b"\t"):
        return "whitespace between the field name and the colon"
    if token_re.fullmatch(name) is None:
        return "field name is not a token"
    if b"\r" in body:
        return "bare CR"
    bad = _CONTROL_RE.search(value)
    if bad is not None:
        return f"control byte {bad.group()!r} in the value"
    return "malformed field"  # pragma: no cover - the cases above are exhaustive


def request_line_error(head: bytes) -> RemoteProtocolError:
    """The error for a head whose request line did not match."""
    return _start_line_error(head[: head.index(b"\n") + 1], "request line", head)


def status_line_error(head: bytes) -> RemoteProtocolError:
    """The error for a head whose status line did not match."""
    return _start_line_error(head[: head.index(b"\n") + 1], "status line", head)


def _start_line_error(line: bytes, what: str, head: bytes) -> RemoteProtocolError:
    # A bare CR anywhere in the head is reported first, whatever else is wrong, so
    # the status does not depend on whether the head arrived whole or in pieces.
    if head.count(b"\r") != head.count(b"\r\n"):
        return RemoteProtocolError(f"bare CR in a line of the head beginning {line!r}")
    # 505 only when the version is where it belongs (first in a status line, last in
    # a request line) and well formed: ``xHTTP/9.1 200 OK`` is plain garbage (400).
    words = line.rstrip(b"\r\n").split(b" ")
    version = _LOOSE_VERSION_RE.fullmatch(words[0] if what == "status line" else words[-1])
    if version is not None and version.group(1) != b"1":
        return RemoteProtocolError(f"unsupported HTTP version in {what} {line!r}", 505)
    return RemoteProtocolError(f"illegal {what} {line!r}")
