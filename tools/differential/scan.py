"""A deliberately simple, lenient reader of the received byte stream, for the predicates.

It splits what a connection received into heads, chunk-size lines and trailer sections
(skipping body bytes by their framing), so that known_differences.py can ask "was there a
Content-Length field in a request head?" without being fooled by body bytes. It is not a
parser of either implementation and never decides outcomes: when the framing becomes
unknowable (unsupported coding, protocol switch, close-delimited body) it just stops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Head:
    """One head: start line, field lines (as received, no EOL) and its size."""

    start: bytes
    fields: list[bytes]
    leading_empty: int  # bytes of empty lines before the start line
    size: int  # leading empty lines + start line + fields + blank line (so far if incomplete)
    complete: bool
    is_request: bool
    chunk_lines: list[bytes] = field(default_factory=list)  # chunk-size lines of its body
    trailer: list[bytes] = field(default_factory=list)  # its trailer section
    missing_crlf: bool = False  # chunk data not followed by CRLF (or LF)
    trailer_size: int = 0  # bytes of the trailer section (so far if unfinished)
    bare_lf_chunked: bool = False  # a chunk-size line, chunk end or last chunk ended in bare LF
    te_http10: bool = False  # Transfer-Encoding in an HTTP/1.0 head
    bare_lf_head: bool = False  # a line of the head (start line to blank line) ends in bare LF
    bare_lf_trailer: bool = False  # a line of its trailer section (or its end) ends in bare LF

    def values(self, name: bytes) -> list[bytes]:
        """Values (OWS-stripped) of every field named `name` (case-insensitive, lenient)."""
        out = []
        for line in self.fields:
            fname, colon, value = line.partition(b":")
            if colon and fname.strip(b" \t").lower() == name:
                out.append(value.strip(b" \t"))
        return out

    @property
    def version(self) -> bytes:
        m = re.search(rb"HTTP/(\S*)", self.start)
        return m.group(1) if m else b""


@dataclass
class Scan:
    heads: list[Head] = field(default_factory=list)  # in order, 1xx heads included
    stopped: str = "end"  # why the walk ended


def _line(data: bytes, pos: int) -> tuple[bytes, int] | None:
    """(line without its LF and one CR before it, position after the LF), or None."""
    nl = data.find(b"\n", pos)
    if nl < 0:
        return None
    line = data[pos:nl]
    return (line[:-1] if line.endswith(b"\r") else line), nl + 1


def _bare_lf(data: bytes, pos: int) -> bool:
    """Whether the line ending just before `pos` (a position after an LF) lacks its CR."""
    return data[pos - 2 : pos - 1] != b"\r"


def _partial(line: bytes) -> bytes:
    """An unfinished line: a final CR may still become CRLF, so it is not (yet) bare."""
    return line[:-1] if line.endswith(b"\r") else line


def _block(data: bytes, pos: int) -> tuple[list[bytes], int, bool]:
    """Lines up to the next empty line: (lines, position after it, complete)."""
    out: list[bytes] = []
    while True:
        got = _line(data, pos)
        if got is None:
            if pos < len(data):
                out.append(_partial(data[pos:]))
            return out, len(data), False
        line, pos = got
        if line == b"":
            return out, pos, True
        out.append(line)


def _has_bare_lf(segment: bytes) -> bool:
    """Whether some LF of ``segment`` has no CR before it."""
    return segment.count(b"\n") != segment.count(b"\r\n")


def _codings(head: Head) -> list[bytes]:
    return [
        c.strip(b" \t").lower() for v in head.values(b"transfer-encoding") for c in v.split(b",")
    ]


def scan(data: bytes, is_server: bool, request_methods: list[bytes]) -> Scan:
    """Walk the received stream message by message (requests if is_server, else responses).

    An HTTP/1.0 response whose last coding is chunked has a chunked body and ends the
    stream (the connection closes after it); with another coding the scan stops there."""
    result = Scan()
    pos = 0
    responses = 0
    for _ in range(10_000):
        if pos >= len(data):
            return result
        begin = pos
        while data.startswith(b"\r\n", pos) or data.startswith(b"\n", pos):
            pos += 2 if data.startswith(b"\r\n", pos) else 1
        leading = pos - begin
        if pos >= len(data):
            result.heads.append(Head(b"", [], leading, leading, False, is_server))
            return result
        start = pos
        lines, pos, complete = _block(data, pos)
        head = Head(lines[0], lines[1:], leading, pos - begin, complete, is_server)
        head.bare_lf_head = _has_bare_lf(data[start:pos])
        result.heads.append(head)
        if not complete:
            return result
        codings = _codings(head)
        lengths = head.values(b"content-length")
        head.te_http10 = bool(codings) and head.version == b"1.0"
        if is_server:
            no_body = False
            # Upgrade/CONNECT requests are read on: only the response decides whether the
            # protocol switches, and after a switch neither side parses heads any more.
            switch = False
            if head.te_http10:
                result.stopped = "te-http10"
                return result
        else:
            method = request_methods[responses] if responses < len(request_methods) else b"GET"
            m = re.match(rb"HTTP/\S+ (\d{3})", head.start)
            if not m:
                result.stopped = "status"
                return result
            status = int(m.group(1))
            if 100 <= status < 200:
                if status == 101:
                    result.stopped = "switch"
                    return result
                continue
            responses += 1
            no_body = method == b"HEAD" or status in (204, 304)
            switch = method == b"CONNECT" and 200 <= status < 300
            if not no_body and head.te_http10:
                if codings[-1] == b"chunked":
                    _chunked(data, pos, head, result)
                result.stopped = "te-http10"
                return result
            if not no_body and not switch and not codings and not lengths:
                result.stopped = "close-delimited"
                return result
        if no_body or switch:
            pass
        elif codings:
            if codings[-1] != b"chunked":
                result.stopped = "te"
                return result
            pos = _chunked(data, pos, head, result)
            if pos < 0:
                return result
        elif lengths:
            first = lengths[0].split(b",")[0].strip(b" \t")
            if not first.isdigit():
                result.stopped = "content-length"
                return result
            pos += int(first)
        if switch:
            result.stopped = "switch"
            return result
    return result


def _chunked(data: bytes, pos: int, head: Head, result: Scan) -> int:
    """Skip a chunked body, recording size lines and trailers; -1 if the scan must stop."""
    for _ in range(100_000):
        got = _line(data, pos)
        if got is None:
            if pos < len(data):
                head.chunk_lines.append(_partial(data[pos:]))
            return -1
        line, pos = got
        head.chunk_lines.append(line)
        head.bare_lf_chunked |= _bare_lf(data, pos)
        size_text = line.split(b";")[0].strip(b" \t")
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
            result.stopped = "chunk-size"
            return -1
        size = int(size_text, 16)
        if size == 0:
            start = pos
            trailer, pos, complete = _block(data, pos)
            head.trailer = trailer
            head.trailer_size = pos - start
            head.bare_lf_trailer = _has_bare_lf(data[start:pos])
            # the last chunk ends with an empty line (after any trailer fields)
            head.bare_lf_chunked |= complete and _bare_lf(data, pos)
            return pos if complete else -1
        end = pos + size
        if len(data) <= end:
            return -1
        if data.startswith(b"\r\n", end):
            pos = end + 2
        elif data.startswith(b"\n", end):
            head.bare_lf_chunked = True
            pos = end + 1
        elif data[end:] == b"\r":
            return -1
        else:
            head.missing_crlf = True
            result.stopped = "chunk-crlf"
            return -1
    return -1
