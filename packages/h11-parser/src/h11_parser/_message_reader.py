"""The receiving half of HTTP/1.1: bytes in, events out, for one direction.

Pairs with h11_parser._message_writer (events in, bytes out); the standalone
``RequestParser``/``ResponseParser`` (_standalone_parsers) and ``RequestWriter``/
``ResponseWriter`` (_standalone_writers) drive these two, as the Connection does.

``MessageReader`` reads from its receive buffer (h11_parser._buffer) with a
small set of step methods; ``next_event`` is always the current step, so calling
it is the whole cost of dispatch. The steps and what each moves on to:

===================== ============================================ =====================
step                  reads                                        then
===================== ============================================ =====================
``_read_head``        a head, usually whole in the buffer          a body step, or EOM
``_continue_head``    more bytes of an unfinished head             as ``_read_head``
``_read_fixed_body``  Content-Length bytes                         EOM
``_read_chunk_line``  a chunk-size line (and a whole chunk after it) chunk data; last: trailers
``_read_chunk_data``  chunk bytes                                  ``_read_chunk_end``
``_read_chunk_end``   the CRLF after a chunk                       ``_read_chunk_line``
``_read_trailers``    the trailer section and its blank line       EOM
``_read_until_close`` body bytes until EOF                         EOM
``_end_of_message``   (EOM) emits EndOfMessage, ``at_boundary``    ``_read_head``
``_boundary``         after a protocol switch or EOF: no more HTTP itself
(``refuse``'s)        nothing: raises the driver's error           itself
===================== ============================================ =====================

It frames messages back to back and stops at each message end, where its
driver (a standalone parser or a Connection) decides what comes next
(``read_eof`` when the message ended the connection). Which body a head has is
decided by h11_parser._framing, which the writers use too.

Cost is linear in the input for any read pattern: the head terminator search
resumes where the last one stopped, and a body piece that arrived as one
``bytes`` object is handed out as that same object.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from h11_events import (
    NEED_DATA,
    ConnectionClosed,
    EndOfMessage,
    Event,
    Headers,
    InformationalResponse,
    RemoteProtocolError,
    Request,
    Response,
    parsed,
)
from h11_events.grammar import TOKEN, token_re
from h11_events.rules import MAX_BODY_LENGTH, check_hosts, transfer_coding_is_chunked

from . import _compiled
from ._buffer import ReceiveBuffer
from ._framing import (
    CHUNKED,
    CONTENT_LENGTH,
    EMPTY_FACTS,
    NO_BODY,
    TUNNEL,
    HeadFacts,
    body_framing,
    check_request_trailers,
    head_facts,
    normalize_framing_fields,
)
from ._heads import (
    H2_PREFACE_HEAD,
    HTTP_VERSIONS,
    REQUEST_LINE_RE,
    STATUS_LINE_RE,
    bare_lf_in_request,
    request_line_error,
    split_field_lines,
    status_line_error,
    target_form_error,
)

__all__ = ["MessageReader"]

#: The common chunk-size line: the size alone. Any other line is :func:`chunk_line_size`'s.
_BARE_CHUNK_LINE_RE: Final = re.compile(rb"([0-9A-Fa-f]{1,16})\r\n")
#: A chunk-size line of a response, read as tolerantly as h11 reads it and as RFC 9112
#: 7.1.1 allows (BWS): whitespace after the size (servers in the wild send it), then any
#: extension bytes (a bare CR too). Extensions are discarded, so nothing in them can
#: change the framing; the size and the CRLF still must be exact. Matched over the line
#: without its CRLF; valid when the match covers it all.
_TOLERANT_CHUNK_LINE_RE: Final = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\n]*)?")
#: The size of a request's chunk-size line; its extensions are :func:`extensions_end`'s.
_CHUNK_SIZE_RE: Final = re.compile(rb"([0-9A-Fa-f]{1,16})")
_EXTENSION_NAME_RE: Final = re.compile(rb";" + TOKEN)
#: qdtext: HTAB, SP and visible bytes but DQUOTE and backslash, and obs-text.
_QDTEXT_RE: Final = re.compile(rb"[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]*")


def chunk_line_size(
    buf: bytes | bytearray, pos: int, newline: int, strict: bool
) -> re.Match[bytes] | None:
    """The size (group 1) of the chunk-size line from ``pos`` to the LF at ``newline``,
    read as a request's (``strict``, llhttp strict mode) or a response's (as h11 reads
    it); None when the line is malformed. Both readings of a bare size line agree."""
    end = newline - 1  # the CR, if the line ends in CRLF
    match = (_CHUNK_SIZE_RE if strict else _TOLERANT_CHUNK_LINE_RE).match(buf, pos, end)
    if match is None or buf[end] != 13:
        return None
    if match.end() != end and (not strict or extensions_end(buf, match.end(), end) != end):
        return None
    return match


def extensions_end(buf: bytes | bytearray, pos: int, end: int) -> int:
    """Where the chunk extensions of a request's chunk-size line from ``pos`` stop being
    valid (``end`` when all of ``buf[pos:end]`` is valid), as llhttp's strict mode reads
    them: ``*( ";" token [ "=" ( token / quoted-string ) ] )``, no whitespace (RFC 9112
    7.1.1 without BWS: a front end reading the line another way could frame the body
    differently).

    A loop of patterns without repeated groups: Python's regex engine takes time
    quadratic in the repeats of a group holding an alternative, so one pattern for the
    whole grammar would let a long hostile line stall the reader.
    """
    while pos < end:
        match = _EXTENSION_NAME_RE.match(buf, pos, end)
        if match is None:
            return pos
        pos = match.end()
        if pos == end or buf[pos] != 61:  # no "=": a name alone
            continue
        match = token_re.match(buf, pos + 1, end)
        if match is not None:
            pos = match.end()
            continue
        if pos + 1 == end or buf[pos + 1] != 34:  # neither a token nor a quoted-string
            return pos
        closed = _quoted_string_end(buf, pos + 2, end)
        if closed < 0:
            return pos
        pos = closed
    return pos


def _quoted_string_end(buf: bytes | bytearray, pos: int, end: int) -> int:
    """The end of a quoted-string whose opening DQUOTE is just before ``pos``; -1 when it
    does not close validly before ``end``."""
    while True:
        pos = _QDTEXT_RE.match(buf, pos, end).end()  # type: ignore[union-attr]  # may be empty
        if pos == end:
            return -1
        byte = buf[pos]
        if byte == 34:
            return pos + 1
        # Only a quoted-pair may follow: a backslash and HTAB, SP, VCHAR or obs-text.
        if byte != 92 or pos + 1 == end:
            return -1
        escaped = buf[pos + 1]
        if not (escaped == 9 or 32 <= escaped <= 126 or escaped >= 128):
            return -1
        pos += 2


def bare_chunk(buf: bytes | bytearray, pos: int, limit: int) -> tuple[int, int, bool]:
    """(size, start of the data, whole) of a chunk whose size line at ``pos`` is 1 to 16
    hex digits and CRLF, its LF before ``limit``, and its size at most 2**63 - 1;
    ``whole``: its data and the CRLF after it are in ``buf`` too. (-1, -1, False) for
    any other line (extensions, spaces, more digits, unfinished, malformed), which
    :func:`chunk_line_size` then reads (both readings of a bare size line agree).

    The compiled build runs h11_parser._compiled's loop instead of the pattern. The
    choice is made here, in the function, rather than by binding a name at import: it
    runs once per chunk, and compiled code calls a function bound to a name through
    the interpreter, which costs more than the loop saves.
    """
    if _compiled.COMPILED:
        return _compiled.bare_chunk(buf, pos, limit)
    match = _BARE_CHUNK_LINE_RE.match(buf, pos, limit)
    if match is None:
        return -1, -1, False
    size = int(match.group(1), 16)
    if size > MAX_BODY_LENGTH:
        return -1, -1, False
    start = match.end()
    return size, start, buf.startswith(b"\r\n", start + size)


_NO_TRAILERS: Final = parsed.headers([], [])
#: ``parsed.data`` bound once: a call per body piece saves the class attribute
#: lookup (and, compiled, the method call through the class).
_data_event: Final = parsed.data
#: Events are immutable: every message without trailers ends with this one.
_END_OF_MESSAGE: Final = parsed.end_of_message(_NO_TRAILERS)


def _block_end(buf: bytes | bytearray, start: int, limit: int) -> tuple[int, int]:
    """(end of the last field line, end of the blank line) of a head or trailer
    section searched from ``start``, whose lines may end in CRLF or bare LF;
    (-1, -1) when no blank line ends within ``limit`` (plus the blank line)."""
    crlf = buf.find(b"\n\r\n", start, limit + 2)
    lf = buf.find(b"\n\n", start, limit + 1 if crlf < 0 else crlf + 2)
    if lf >= 0 and (crlf < 0 or lf < crlf):
        return lf + 1, lf + 2
    if crlf >= 0:
        return crlf + 1, crlf + 3
    return -1, -1


def _over_limit(buf: bytes | bytearray, unfinished: int, limit: int) -> bool:
    """Whether an unfinished head (or trailer section) of ``unfinished`` bytes can
    no longer fit ``limit``: the blank line ending it comes on top, so a head of
    exactly ``limit`` bytes whose final CRLF has only begun still fits."""
    if unfinished <= limit:
        return False
    return not (unfinished == limit + 1 and unfinished >= 2 and buf[-2] == 10 and buf[-1] == 13)


def _refuse_bare_cr_within(
    buf: bytes | bytearray, start: int, limit: int, size: int, where: str = "message head"
) -> None:
    """Refuse bare CRs from ``start`` up to the size limit (absolute ``limit``).

    Exactly what the byte-by-byte path sees before the size check: every CR
    inside the limit, and the CR just past it when it may begin the final CRLF
    of a head that fits exactly. So the status never depends on the reads.
    """
    end = min(size, limit + 1)
    if buf.find(b"\r", start, end - 1) >= 0:
        _refuse_bare_cr(buf, start, end, where)
    if limit + 1 < size and buf[limit] == 13 and buf[limit - 1] == 10 and buf[limit + 1] != 10:
        raise RemoteProtocolError(f"bare CR in a line of the {where}")


def _refuse_bare_cr(
    buf: bytes | bytearray, start: int, end: int, where: str = "message head"
) -> None:
    """Fail early on a CR not followed by LF in an unfinished head or trailer."""
    cr = buf.find(b"\r", start, end - 1)
    while cr >= 0:
        if buf[cr + 1] != 10:
            raise RemoteProtocolError(f"bare CR in a line of the {where}")
        cr = buf.find(b"\r", cr + 2, end - 1)


class MessageReader(ReceiveBuffer):
    """Incremental reader of requests (``parse_requests``) or responses.

    After each ``EndOfMessage`` the reader is ``at_boundary``; a driver that must
    stop between messages checks that flag (and calls :meth:`start_next_message`
    to go on), while the next call of ``next_event`` simply reads the next head.
    After EOF at a boundary or a protocol switch it reads nothing more. ``facts``
    holds what the last head said about framing and the connection (until its
    message ends); ``http_version`` its version.
    """

    def __init__(self, *, parse_requests: bool, max_head_size: int) -> None:
        self.parse_requests = parse_requests
        self.max_head_size = max_head_size
        #: The method of the request the next response answers (responses only).
        self.request_method = b"GET"
        super().__init__()
        # Head search state, relative to _pos so compaction does not move it.
        self._scanned = 0
        self._skipped = 0
        self._remaining = 0
        #: The declared Content-Length of the body being read (for error messages).
        self._length = 0
        self._chunk_open = False
        #: Returns the next event or NEED_DATA (RemoteProtocolError on bad input);
        #: always the step for what comes next on the wire, so calling it is the
        #: whole cost of dispatch.
        self.next_event: Callable[[], Any] = self._read_head
        self.at_boundary = False
        self.switched = False
        self.http_version = b"1.1"
        #: The framing and connection facts of the last head read.
        self.facts = EMPTY_FACTS
        #: Called once per head or trailer section with all its (name, value) fields and
        #: the event type they belong to; set when plugins are in use.
        self.field_hook: Callable[[list[tuple[bytes, bytes]], type[Event]], None] | None = None

    # -- stepping ---------------------------------------------------------

    def start_next_message(self) -> None:
        """Leave the message boundary: the next bytes start a new head."""
        self.at_boundary = False
        self.next_event = self._read_head

    def refuse(self, error: RemoteProtocolError) -> None:
        """Make ``next_event`` raise ``error`` from now on: for a driver that knows what
        is buffered can't be read as a message (a client's bytes that came before its
        request answer no request), with no check in the reading steps."""

        def refused() -> Any:
            raise error.with_traceback(None)  # a fresh traceback each time, not a growing one

        self.next_event = refused

    def _boundary(self) -> Any:
        """The step after EOF at a boundary or a protocol switch: no more HTTP."""
        if self.eof and self._pos == len(self._buf):
            return ConnectionClosed()
        return NEED_DATA

    def read_eof(self) -> ConnectionClosed | type[NEED_DATA]:
        """What may follow the last message of a connection: only EOF
        (``ConnectionClosed``); NEED_DATA until it comes; any byte is an error."""
        if self._pos < len(self._buf):
            raise RemoteProtocolError("Got data when expecting EOF")
        return ConnectionClosed() if self.eof else NEED_DATA

    def _end_of_message(self, trailers: Headers = _NO_TRAILERS) -> EndOfMessage:
        """The step after a body (or a bodiless head): the message ends here."""
        self.facts = EMPTY_FACTS  # read with the head; an idle reader holds nothing
        self._scanned = 0
        self.at_boundary = True
        self.next_event = self._read_head
        if trailers is _NO_TRAILERS:
            return _END_OF_MESSAGE
        return parsed.end_of_message(trailers)

    # -- heads ------------------------------------------------------------

    def _read_head(self) -> Any:
        """A new head: usually complete in the buffer, with CRLF line ends."""
        buf = self._buf
        pos = self._pos
        size = len(buf)
        if pos == size:
            return self._head_needs_data(True)
        if buf[pos] < 0x21:
            if self.parse_requests and (buf[pos] == 10 or buf[pos] == 13):
                return self._skip_empty_lines()
            # A start line begins with a token or "HTTP/": no control byte,
            # space or (for a status line) empty line. Refuse it now.
            raise RemoteProtocolError(
                f"message head starts with {bytes([buf[pos]])!r}, not a start line"
            )
        # The head proper (start line and field lines) may use the whole budget;
        # the blank line that ends it comes on top (so an exact fit is accepted).
        limit = pos + self.max_head_size - self._skipped
        crlf = buf.find(b"\n\r\n", pos, limit + 2)
        if crlf >= 0:
            head = buf[pos : crlf + 1]
            # No earlier blank line of bare LFs? (find, not ``in``: for bytes, ``in``
            # first tries its operand as an int and pays for the TypeError.)
            if head.find(b"\n\n") < 0:
                return self._parse_head(head, crlf + 3)
        return self._search_head(buf, pos, size, pos)

    def _continue_head(self) -> Any:
        """An unfinished head grew (the trickle path when bytes come one by one)."""
        buf = self._buf
        pos = self._pos
        size = len(buf)
        scanned = self._scanned
        # Every terminator ends in LF: with no new LF, only the size limit and
        # bare CRs need a look.
        new = pos + scanned
        if size - new == 1 and not self.eof:
            byte = buf[new]
            if byte != 10:
                if buf[new - 1] == 13:
                    raise RemoteProtocolError("bare CR in a line of the message head")
                budget = self.max_head_size - self._skipped
                if size - pos > budget and _over_limit(buf, size - pos, budget):  # rarely near
                    raise self._head_too_large()
                self._scanned = scanned + 1
                return NEED_DATA
        elif buf.find(b"\n", new, size) < 0 and not self.eof:
            budget = self.max_head_size - self._skipped
            # Bare CRs within the limit first, then the size (as one read would).
            _refuse_bare_cr_within(buf, new - 1, pos + budget, size)
            if _over_limit(buf, size - pos, budget):
                raise self._head_too_large()
            self._scanned = size - pos
            return NEED_DATA
        return self._search_head(buf, pos, size, new - 2 if scanned > 2 else pos)

    def _search_head(self, buf: bytes | bytearray, pos: int, size: int, start: int) -> Any:
        """Find the end of the head from ``start`` (any line ends), or wait for more."""
        budget = self.max_head_size - self._skipped
        limit = pos + budget
        end, after = _block_end(buf, start, limit)
        if end < 0:
            # Bare CRs within the limit first, as the trickle path would see them.
            _refuse_bare_cr_within(buf, start, limit, size)
            if _over_limit(buf, size - pos, budget):
                raise self._head_too_large()
            self._scanned = size - pos
            self.next_event = self._continue_head
            return self._head_needs_data(False)
        self._scanned = 0
        self.next_event = self._read_head  # the body step replaces it, if any
        if after - end == 1 and self.parse_requests:
            raise bare_lf_in_request("the head")
        return self._parse_head(buf[pos:end], after)

    def _parse_head(self, head: bytes | bytearray, after: int) -> Any:
        """Parse the lines ``head`` of the head that ends at ``after``, and consume it."""
        if type(head) is not bytes:
            head = bytes(head)
        if after == len(self._buf):
            # Drop the consumed bytes now: an idle connection holds no buffer.
            self._buf = b""
            self._pos = 0
        else:
            self._pos = after
        self._skipped = 0
        if self.parse_requests:
            return self._request_head(head)
        return self._response_head(head)

    def _skip_empty_lines(self) -> Any:
        """RFC 9112 2.2: a server ignores empty lines before a request line; they
        still count against the head limit. Then reads the head as usual."""
        buf = self._buf
        pos = self._pos
        size = len(buf)
        while pos < size:
            byte = buf[pos]
            if byte == 10:
                pos += 1
            elif byte == 13 and pos + 1 < size and buf[pos + 1] == 10:
                pos += 2
            else:
                break
        progressed = pos != self._pos
        self._skipped += pos - self._pos
        self._pos = pos
        if self._skipped > self.max_head_size:
            raise self._head_too_large()
        if pos + 1 == size and buf[pos] == 13:
            return self._head_needs_data(False)  # maybe the CR of one more empty line
        if not progressed:
            raise RemoteProtocolError("bare CR before the request line")
        return self._read_head()

    def _head_needs_data(self, empty: bool) -> Any:
        if self.eof:
            if empty:
                self.at_boundary = True
                self.next_event = self._boundary
                return ConnectionClosed()
            raise RemoteProtocolError("peer closed the connection in the middle of a head")
        return NEED_DATA

    def _head_too_large(self) -> RemoteProtocolError:
        return RemoteProtocolError(
            f"message head is larger than the limit of {self.max_head_size} bytes", 431
        )

    def _request_head(self, head: bytes) -> Request:
        match = REQUEST_LINE_RE.match(head)
        if match is None:
            if head == H2_PREFACE_HEAD:
                return self._h2_preface()
            raise request_line_error(head)
        method, target, minor = match.groups()
        if target[0] != 47 or method == b"CONNECT":  # not "/...", or CONNECT
            bad_target = target_form_error(method, target)
            if bad_target is not None:
                raise bad_target
        version = HTTP_VERSIONS[minor]
        items, raw = split_field_lines(head, match.end(), "header", strict=True)
        facts = head_facts(items, RemoteProtocolError)
        check_hosts(items, version, RemoteProtocolError, check_values=True)
        framing, length = body_framing(facts, RemoteProtocolError, minor == b"0")
        if facts.needs_normalizing:
            items, raw = normalize_framing_fields(items, raw, facts)
        if self.field_hook is not None:
            self.field_hook(items, Request)
        self._note_head(facts, version, framing, length)
        return parsed.request(method, items, raw, target, version)

    def _h2_preface(self) -> Request:
        """``PRI * HTTP/2.0`` and an empty head: the HTTP/2 connection preface
        (RFC 9113 3.4). Reported as h11 does, as a bodiless Request of version
        2.0, so a server can hand the connection (and ``trailing_data``, which
        starts with the preface's ``SM``) to an HTTP/2 implementation. As in a
        Connection, reading on parses what follows as HTTP/1.1 (and refuses it)."""
        self._note_head(EMPTY_FACTS, b"2.0", NO_BODY, 0)
        return parsed.request(b"PRI", [], [], b"*", b"2.0")

    def _response_head(self, head: bytes) -> Any:
        match = STATUS_LINE_RE.match(head)
        if match is None:
            raise status_line_error(head)
        minor, status_digits, reason = match.groups()
        status = int(status_digits)
        version = HTTP_VERSIONS[minor]
        if reason is None:
            reason = b""
        if status < 100:
            raise RemoteProtocolError(f"status code {status} is not in the range 100-999")
        items, raw = split_field_lines(head, match.end(), "header")
        facts = head_facts(items, RemoteProtocolError)
        if facts.transfer_encodings is not None:
            # Refused even where it does not frame a body (1xx, 2xx to CONNECT), as h11 does.
            transfer_coding_is_chunked(facts.transfer_encodings, RemoteProtocolError)
        if facts.needs_normalizing:
            items, raw = normalize_framing_fields(items, raw, facts)
        if status < 200:
            if self.field_hook is not None:
                self.field_hook(items, InformationalResponse)
            self.http_version = version
            if status == 101:
                self.switched = True
                self.at_boundary = True
                self.next_event = self._boundary
            return parsed.informational_response(status, items, raw, reason, version)
        method = self.request_method
        framing, length = body_framing(facts, RemoteProtocolError, minor == b"0", method, status)
        if self.field_hook is not None:
            self.field_hook(items, Response)
        self._note_head(facts, version, framing, length)
        return parsed.response(status, items, raw, reason, version)

    def _note_head(self, facts: HeadFacts, version: bytes, framing: int, length: int) -> None:
        """Remember what the Connection needs of this head; set up its body."""
        self.http_version = version
        self.facts = facts
        if framing == CONTENT_LENGTH:
            self._remaining = self._length = length
            self.next_event = self._read_fixed_body
        elif framing == NO_BODY:
            self.next_event = self._end_of_message
        elif framing == CHUNKED:
            self.next_event = self._read_chunk_line
        elif framing == TUNNEL:
            # A 2xx to CONNECT hands the connection over right after the head (RFC
            # 9110 9.3.6): no EndOfMessage, as after a 101 and as in a Connection.
            self.switched = True
            self.at_boundary = True
            self.next_event = self._boundary
        else:
            self.next_event = self._read_until_close

    # -- bodies -----------------------------------------------------------

    def _read_fixed_body(self) -> Any:
        if self._pos == len(self._buf):
            if self.eof:
                raise RemoteProtocolError(
                    "peer closed the connection without sending the complete message body "
                    f"(received {self._length - self._remaining} bytes, expected {self._length})"
                )
            return NEED_DATA
        data = self._take(self._remaining)
        self._remaining -= len(data)
        if not self._remaining:
            self.next_event = self._end_of_message
        return _data_event(data, False, False)

    def _read_until_close(self) -> Any:
        if self._pos == len(self._buf):
            if self.eof:
                self.next_event = self._end_of_message
                return self._end_of_message()
            return NEED_DATA
        return _data_event(self._take(len(self._buf)), False, False)

    def _read_chunk_line(self) -> Any:
        buf = self._buf
        pos = self._pos
        limit = pos + self.max_head_size
        size, start, whole = bare_chunk(buf, pos, limit)
        if size < 0:  # not the common bare size line: find the line end, then read it
            newline = buf.find(b"\n", pos + self._scanned, limit)
            if newline < 0:
                self._scanned = len(buf) - pos
                if self._scanned >= self.max_head_size:
                    raise RemoteProtocolError(
                        f"chunk size line longer than {self.max_head_size} bytes", 431
                    )
                if self.eof:
                    raise _incomplete_chunked("inside a chunk size line")
                return NEED_DATA
            match = chunk_line_size(buf, pos, newline, self.parse_requests)
            if match is None:
                raise RemoteProtocolError(
                    f"illegal chunk size line {bytes(buf[pos : newline + 1])!r}"
                )
            size = int(match.group(1), 16)
            if size > MAX_BODY_LENGTH:
                raise RemoteProtocolError(f"chunk size {match.group(1)!r} is too large")
            start = newline + 1
            whole = buf.startswith(b"\r\n", start + size)
        self._scanned = 0
        if size == 0:
            self._pos = start
            self.next_event = self._read_trailers
            return self._read_trailers()
        if whole:
            # The whole chunk and its CRLF are here: one event, and on to the next line.
            end = start + size
            self._pos = end + 2
            data = buf[start:end] if type(buf) is bytes else bytes(memoryview(buf)[start:end])
            return _data_event(data, True, True)
        self._pos = start
        self._remaining = size
        self._chunk_open = False
        self.next_event = self._read_chunk_data
        return self._read_chunk_data()

    def _read_chunk_data(self) -> Any:
        if self._pos == len(self._buf):
            if self.eof:
                raise _incomplete_chunked("inside a chunk")
            return NEED_DATA
        data = self._take(self._remaining)
        self._remaining -= len(data)
        start = not self._chunk_open
        self._chunk_open = True
        end = not self._remaining
        if end:
            self.next_event = self._read_chunk_end
        return _data_event(data, start, end)

    def _read_chunk_end(self) -> Any:
        buf = self._buf
        pos = self._pos
        if len(buf) - pos < 2:
            if pos < len(buf) and buf[pos] != 13:
                raise RemoteProtocolError("chunk data is not followed by CRLF")
            if self.eof:
                raise _incomplete_chunked("after a chunk")
            return NEED_DATA
        if buf[pos] != 13 or buf[pos + 1] != 10:
            raise RemoteProtocolError("chunk data is not followed by CRLF")
        self._pos = pos + 2
        self.next_event = self._read_chunk_line
        return self._read_chunk_line()

    def _read_trailers(self) -> Any:
        buf = self._buf
        pos = self._pos
        size = len(buf)
        if size - pos >= 2 and buf[pos] == 13 and buf[pos + 1] == 10:
            self._pos = pos + 2
            return self._end_of_message()
        if pos < size and buf[pos] == 10:
            if self.parse_requests:
                raise bare_lf_in_request("the chunked body")
            self._pos = pos + 1
            return self._end_of_message()
        limit = pos + self.max_head_size
        start = pos + self._scanned - 2 if self._scanned > 2 else pos
        end, after = _block_end(buf, start, limit)
        if end < 0:
            _refuse_bare_cr_within(buf, start, limit, size, "trailer section")
            self._scanned = size - pos
            if _over_limit(buf, size - pos, self.max_head_size):
                raise RemoteProtocolError(
                    f"trailer section is larger than the limit of {self.max_head_size} bytes", 431
                )
            if self.eof:
                raise _incomplete_chunked("inside the trailers")
            return NEED_DATA
        if after - end == 1 and self.parse_requests:
            raise bare_lf_in_request("the trailer section")
        block = bytes(buf[pos:end])
        self._pos = after
        self._scanned = 0
        items, raw = split_field_lines(block, 0, "trailer", strict=self.parse_requests)
        if self.parse_requests:
            check_request_trailers(items, RemoteProtocolError)
        if self.field_hook is not None:
            self.field_hook(items, EndOfMessage)
        return self._end_of_message(parsed.headers(items, raw))


def _incomplete_chunked(where: str) -> RemoteProtocolError:
    return RemoteProtocolError(
        "peer closed the connection without sending the complete message body "
        f"(incomplete chunked read: EOF {where})"
    )
