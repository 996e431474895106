"""Parsing of message heads: the start line and the field block.

A complete head is parsed in one pass of compiled patterns; only a head that
fails the fast path is looked at line by line, to say exactly what is wrong
(and to unfold obs-fold, which the fast path refuses).
"""

from __future__ import annotations

import re

from h11_events import Headers, RemoteProtocolError
from h11_events._grammar import FIELD_VALUE, REASON_PHRASE, REQUEST_TARGET, TOKEN

# One field line, anchored at a line start so that a line that is not a whole
# field line yields no match at all; the caller compares the match count with
# the line count, which proves every line matched.
_FIELD_LINE_RE = re.compile(
    rb"^(" + TOKEN + rb"):[ \t]*(" + FIELD_VALUE + rb")[ \t]*\r?\n", re.MULTILINE
)
_REQUEST_LINE_RE = re.compile(
    rb"(" + TOKEN + rb") (" + REQUEST_TARGET + rb") HTTP/([0-9])\.([0-9])\r?\n"
)
_STATUS_LINE_RE = re.compile(
    rb"HTTP/([0-9])\.([0-9]) ([0-9]{3})(?: (" + REASON_PHRASE + rb"))?\r?\n"
)
_LOOSE_VERSION_RE = re.compile(rb"HTTP/([0-9]+)\.([0-9]+)")
_OBS_FOLD_RE = re.compile(rb"[ \t]*\r?\n[ \t]+")
_CONTROL_RE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")

#: The parsed field block: (lowercased name, value) pairs and raw pairs.
FieldLists = tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]


def parse_fields(block: bytes, what: str) -> FieldLists:
    """Parse a field block (each line ending in LF), headers or trailers."""
    raw = _FIELD_LINE_RE.findall(block)
    if len(raw) != block.count(b"\n"):
        raw = _parse_fields_slowly(block, what)
    return [(name.lower(), value) for name, value in raw], raw


def _parse_fields_slowly(block: bytes, what: str) -> list[tuple[bytes, bytes]]:
    """Unfold obs-fold, or raise an error that names the offending line."""
    if block[:1] in (b" ", b"\t"):
        raise RemoteProtocolError(f"{what} block starts with whitespace (obs-fold at the start)")
    unfolded = _OBS_FOLD_RE.sub(b" ", block)
    if unfolded != block:
        raw = _FIELD_LINE_RE.findall(unfolded)
        if len(raw) == unfolded.count(b"\n"):
            return raw
    for line in unfolded.splitlines(keepends=True):
        if _FIELD_LINE_RE.fullmatch(line) is None:
            raise RemoteProtocolError(f"illegal {what} line {line!r}: {_diagnose_field(line)}")
    raise RemoteProtocolError(f"illegal {what} block")  # pragma: no cover - defensive


def _diagnose_field(line: bytes) -> str:
    body = line[:-2] if line.endswith(b"\r\n") else line[:-1] if line.endswith(b"\n") else line
    name, colon, value = body.partition(b":")
    if not colon:
        return "no colon"
    if name[-1:] in (b" ", b"\t"):
        return "whitespace between the field name and the colon"
    if re.fullmatch(TOKEN, name) is None:
        return "field name is not a token"
    if b"\r" in body:
        return "bare CR"
    bad = _CONTROL_RE.search(value)
    if bad is not None:
        return f"control byte {bad.group()!r} in the value"
    return "malformed field"  # pragma: no cover - the cases above are exhaustive


def split_head(head: bytes) -> tuple[bytes, bytes]:
    """Split a head into its start line (with line end) and its field block."""
    newline = head.index(b"\n") + 1
    return head[:newline], head[newline:]


def parse_request_line(line: bytes) -> tuple[bytes, bytes, bytes]:
    """Return (method, target, http_version) of a request line."""
    match = _REQUEST_LINE_RE.fullmatch(line)
    if match is None:
        raise _start_line_error(line, "request line")
    method, target, major, minor = match.groups()
    if major != b"1":
        raise RemoteProtocolError(
            f"unsupported HTTP version {major.decode()}.{minor.decode()}", 505
        )
    return method, target, b"1." + minor if minor != b"1" else b"1.1"


def parse_status_line(line: bytes) -> tuple[int, bytes, bytes]:
    """Return (status_code, reason, http_version) of a status line."""
    match = _STATUS_LINE_RE.fullmatch(line)
    if match is None:
        raise _start_line_error(line, "status line")
    major, minor, status, reason = match.groups()
    if major != b"1":
        raise RemoteProtocolError(
            f"unsupported HTTP version {major.decode()}.{minor.decode()}", 505
        )
    return int(status), reason or b"", b"1." + minor if minor != b"1" else b"1.1"


def _start_line_error(line: bytes, what: str) -> RemoteProtocolError:
    version = _LOOSE_VERSION_RE.search(line)
    if version is not None and version.group(1) != b"1":
        return RemoteProtocolError(f"unsupported HTTP version in {what} {line!r}", 505)
    if b"\r" in line.rstrip(b"\r\n") or line.endswith(b"\r\r\n"):
        return RemoteProtocolError(f"bare CR in {what} {line!r}")
    return RemoteProtocolError(f"illegal {what} {line!r}")


def make_headers(fields: FieldLists) -> Headers:
    return Headers._from_parsed(fields[0], fields[1])
