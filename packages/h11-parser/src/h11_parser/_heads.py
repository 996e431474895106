"""Parsing of message heads: the start line and the field block.

A complete head is parsed in one pass of compiled patterns; only a head that
fails the fast path is looked at line by line, to say exactly what is wrong
(and to unfold obs-fold, which the fast path refuses).
"""

from __future__ import annotations

import re
from typing import Final

from h11_events import RemoteProtocolError
from h11_events.grammar import (
    NONEMPTY_FIELD_VALUE,
    NONEMPTY_TOLERANT_FIELD_VALUE,
    REASON_PHRASE,
    REQUEST_TARGET,
    TOKEN,
    TOLERANT_VALUE_BYTES,
    VALUE_BYTES,
    token_re,
)

from . import _compiled


def _field_line_re(value: bytes, line_end: bytes) -> re.Pattern[bytes]:
    """One field line, anchored at a line start so that a line that is not a whole
    field line yields no match at all; the caller compares the match count with
    the line count, which proves every line matched.

    The value and the whitespace after it are optional together (an empty value
    gives ``b""``): two runs of ``[ \t]*`` around a value that may be empty would
    let the engine try every split of a long run of SP (quadratic).
    """
    return re.compile(
        rb"^(" + TOKEN + rb"):[ \t]*(?:(" + value + rb")[ \t]*)?" + line_end, re.MULTILINE
    )


# Responses may end lines with a bare LF (tolerated, as h11 does: old servers) and
# hold control bytes other than NUL, LF, VT, FF and CR in values (as h11 and browsers
# do); requests may not (RFC 9112 2.2, RFC 9110 5.5; llhttp strict): the *_CRLF pattern.
FIELD_LINE_RE: Final = _field_line_re(NONEMPTY_TOLERANT_FIELD_VALUE, rb"\r?\n")
FIELD_LINE_CRLF_RE: Final = _field_line_re(NONEMPTY_FIELD_VALUE, rb"\r\n")
REQUEST_LINE_RE: Final = re.compile(
    rb"(" + TOKEN + rb") (" + REQUEST_TARGET + rb") HTTP/1\.([0-9])\r\n"
)
STATUS_LINE_RE: Final = re.compile(
    rb"HTTP/1\.([0-9]) ([0-9]{3})(?: (" + REASON_PHRASE + rb"))?\r?\n"
)
#: A well-formed version (RFC 9112 2.3: exactly DIGIT "." DIGIT); only then can a
#: major other than 1 be "unsupported" (505) rather than a syntax error (400).
_VERSION_RE: Final = re.compile(rb"HTTP/([0-9])\.([0-9])")
#: The HTTP/2 connection preface's first line (RFC 9113 3.4), reported as a Request.
H2_PREFACE_HEAD: Final = b"PRI * HTTP/2.0\r\n"
# RFC 9112 3.2: the forms of request-target. Origin-form starts with "/" (the
# fast path checks that byte); "*" is for OPTIONS only; authority-form
# (uri-host ":" port) for CONNECT only; absolute-form is a URI with a scheme and
# an authority ("scheme://...", as llhttp's strict parser requires).
_ABSOLUTE_FORM_RE: Final = re.compile(rb"[A-Za-z][-A-Za-z0-9+.]*://[\x21-\x7e]*")
_AUTHORITY_FORM_RE: Final = re.compile(
    rb"(?:\[[0-9A-Fa-f:.]+\]|\[[vV][0-9A-Fa-f]+\.[-A-Za-z0-9._~!$&'()*+;=:]+\]"
    rb"|[-A-Za-z0-9._~!$&'()*+;=%]+):[0-9]*"
)
#: obs-fold: the line end and the whitespace that starts the next line, replaced by one
#: SP (RFC 9112 5.2). Whitespace before the line end stays in the value, as in h11 (a
#: pattern that took it too would be tried from every byte of a long run: quadratic).
_OBS_FOLD_RE: Final = re.compile(rb"\r?\n[ \t]+")
_BAD_VALUE_BYTE: Final = re.compile(rb"[^" + VALUE_BYTES + rb"]")
_BAD_TOLERANT_VALUE_BYTE: Final = re.compile(rb"[^" + TOLERANT_VALUE_BYTES + rb"]")

#: The fields of a head or trailer section: lowercased pairs and received pairs.
FieldLists = tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]

#: HTTP/1.x version strings by minor digit, shared rather than built per head.
HTTP_VERSIONS: Final = {str(minor).encode(): b"1." + str(minor).encode() for minor in range(10)}


def plain_field_lines(head: bytes, start: int, strict: bool) -> list[tuple[bytes, bytes]] | None:
    """The field lines of ``head[start:]`` as (name, value) pairs, or None when a line is
    not a plain field line (obs-fold, or an error: the slow path says which). One
    ``findall``: a line it skips shows as a count short of the line count.

    ``strict`` (requests): CRLF line ends only and RFC 9110 values. Text after the last
    LF is ignored. The compiled build runs h11_parser._compiled's loop instead (chosen
    here: compiled code calls it directly, not through the interpreter).
    """
    if _compiled.COMPILED:
        return _compiled.plain_field_lines(head, start, strict)
    fields = (FIELD_LINE_CRLF_RE if strict else FIELD_LINE_RE).findall(head, start)
    return fields if len(fields) == head.count(b"\n", start) else None


def split_field_lines(head: bytes, start: int, what: str, strict: bool = False) -> FieldLists:
    """The field lines of ``head[start:]``: (lowercased name, value) pairs for
    events and lookups, and (name as received, value) pairs for ``raw_items``.

    ``strict`` (requests) refuses bare LF line ends, obs-fold and control bytes
    other than HTAB in values (400); otherwise (responses) all are tolerated, obs-fold
    replaced by one SP (RFC 9112 5.2), but for NUL, VT, FF and bare CR.
    A block that is not all plain field lines (obs-fold, or an error) goes the slow way.
    """
    raw = plain_field_lines(head, start, strict)
    if raw is None:
        raw = _parse_fields_slowly(head[start:], what, strict)
    return [(name.lower(), value) for name, value in raw], raw


def _parse_fields_slowly(block: bytes, what: str, strict: bool) -> list[tuple[bytes, bytes]]:
    """Unfold obs-fold, or raise an error that names the offending line."""
    if block[:1] in (b" ", b"\t"):
        raise RemoteProtocolError(f"{what} block starts with whitespace (obs-fold at the start)")
    if strict:
        _refuse_lenient_lines(block, what)
        pattern = FIELD_LINE_CRLF_RE
        unfolded = block
    else:
        pattern = FIELD_LINE_RE
        unfolded = _OBS_FOLD_RE.sub(b" ", block)
        if unfolded != block:
            raw = pattern.findall(unfolded)
            if len(raw) == unfolded.count(b"\n"):
                return raw
    for line in unfolded.splitlines(keepends=True):
        if pattern.fullmatch(line) is None:
            problem = _diagnose_field(line, strict)
            raise RemoteProtocolError(f"illegal {what} line {line!r}: {problem}")
    raise RemoteProtocolError(f"illegal {what} block")  # pragma: no cover - defensive


def bare_lf_in_request(where: str) -> RemoteProtocolError:
    """The one rule for line ends in a request: CRLF only (RFC 9112 2.2 lets a recipient
    accept a bare LF; a server here does not, as llhttp's strict mode: a front end that
    splits lines another way would read other fields or another framing). A response
    may end its lines with a bare LF (old servers do; h11 reads them). Every place a
    request's line can end raises this error, naming ``where``."""
    return RemoteProtocolError(f"bare LF ends {where} of a request (not CRLF)")


def _refuse_lenient_lines(block: bytes, what: str) -> None:
    """What a request may not use, though a response may: a bare LF line end, or
    obs-fold (RFC 9112 5.2 lets a server reject it; a server that unfolds
    ``Foo: x\r\n Transfer-Encoding: chunked`` while a front end reads a
    Transfer-Encoding field is the classic TE.CL desync)."""
    if block.count(b"\n") != block.count(b"\r\n"):
        raise bare_lf_in_request(f"a line of the {what} section")
    for line in block.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            raise RemoteProtocolError(
                f"obs-fold (a {what} line continued on the next line) in a request: {line!r}"
            )


def _diagnose_field(line: bytes, strict: bool) -> str:
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
    bad = (_BAD_VALUE_BYTE if strict else _BAD_TOLERANT_VALUE_BYTE).search(value)
    if bad is not None:
        return f"control byte {bad.group()!r} in the value"
    return "malformed field"  # pragma: no cover - the cases above are exhaustive


def request_line_error(head: bytes) -> RemoteProtocolError:
    """The error for a head whose request line did not match."""
    line = head[: head.index(b"\n") + 1]
    if not line.endswith(b"\r\n") and head.count(b"\r") == head.count(b"\r\n"):
        return bare_lf_in_request(f"the request line {line!r}")
    return _start_line_error(line, "request line", head)


def target_form_error(method: bytes, target: bytes) -> RemoteProtocolError | None:
    """RFC 9112 3.2: the error for a target not in a form allowed for ``method``.

    The caller has already seen whether the target starts with ``/``; this is
    the slow path for every other target, and for CONNECT.
    """
    if method == b"CONNECT":
        if _AUTHORITY_FORM_RE.fullmatch(target) is None:
            return RemoteProtocolError(
                f"CONNECT needs an authority-form target (host:port), not {target!r}"
            )
        return None
    if target[:1] == b"/":
        return None
    if target == b"*":
        if method == b"OPTIONS":
            return None
        return RemoteProtocolError(f"request target '*' is for OPTIONS only, not {method!r}")
    if _ABSOLUTE_FORM_RE.fullmatch(target) is None:
        return RemoteProtocolError(
            f"request target {target!r} is not in origin-form (/path) or absolute-form "
            "(scheme://authority/path)"
        )
    return None


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
    version = _VERSION_RE.fullmatch(words[0] if what == "status line" else words[-1])
    if version is not None and version.group(1) != b"1":
        return RemoteProtocolError(f"unsupported HTTP version in {what} {line!r}", 505)
    return RemoteProtocolError(f"illegal {what} {line!r}")
