"""Named attack and edge cases with the outcome a strict RFC 9112 peer must produce.

Each `Case` is raw bytes plus the expected `Outcome`; `run` feeds a case to an
`h11.Connection` (SERVER for requests, CLIENT for responses) and returns the outcome
it actually produced, so `run(case) == case.expected` is the whole check::

    @pytest.mark.parametrize("case", corpus.REQUESTS, ids=corpus.ids(corpus.REQUESTS))
    def test_request(case):
        assert corpus.run(case) == case.expected
        assert corpus.run(case, split=True) == case.expected

Outcome events are plain tuples so they compare across implementations:
`("request", method, target, version, headers)`, `("informational", status, reason, headers)`,
`("response", status, reason, version, headers)`, `("data", bytes)` (adjacent Data events
merged, so read sizes do not matter), `("end", trailers)`, `("must-close",)` (the message was
the last one on the connection: keep-alive is off), `("paused",)` (protocol switch: the
runner stops), `("closed",)` (EOF at a message boundary, or a close-delimited body
ended). Headers are `(lowercase name, value)` pairs. The case bytes are always followed
by EOF.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

Event = tuple[Any, ...]
Headers = tuple[tuple[bytes, bytes], ...]

#: Safety bound on events per delivered piece (a parser that never asks for data fails).
_MAX_EVENTS = 100_000


@dataclass(frozen=True)
class Outcome:
    """What a peer made of a byte stream: the events it produced, then maybe an error.

    `error` is the `error_status_hint` of the RemoteProtocolError that stopped parsing
    (e.g. 400, 431, 501, 505), or None when the stream was accepted.
    """

    events: tuple[Event, ...]
    error: int | None = None

    @property
    def accepted(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Case:
    """One corpus entry: bytes a peer receives and what a strict peer must do with them."""

    name: str
    kind: Literal["request", "response"]
    data: bytes
    expected: Outcome
    #: Whether PyPI h11 0.16 produces `expected` when the bytes arrive in one read (observed).
    h11_agrees: bool
    description: str
    tags: tuple[str, ...] = ()
    #: max_incomplete_event_size of the receiving Connection.
    max_head_size: int = 16384
    #: For responses: the method of the request being answered.
    request_method: bytes = b"GET"
    #: For responses: extra headers of that request (e.g. an Upgrade proposal).
    request_headers: Headers = ()
    #: Whether PyPI h11 0.16 produces `expected` byte by byte; None: same as `h11_agrees`.
    h11_agrees_split: bool | None = None

    def h11_agrees_when(self, *, split: bool) -> bool:
        """The observed agreement of PyPI h11 for one way of delivering the bytes."""
        if split and self.h11_agrees_split is not None:
            return self.h11_agrees_split
        return self.h11_agrees


# --- helpers that keep the case table readable -------------------------------------------

HOST: Headers = ((b"host", b"a"),)
END: Event = ("end", ())
CLOSED: Event = ("closed",)
MUST_CLOSE: Event = ("must-close",)
PAUSED: Event = ("paused",)


def req(
    target: bytes = b"/",
    method: bytes = b"GET",
    headers: Headers = HOST,
    version: bytes = b"1.1",
) -> Event:
    return ("request", method, target, version, headers)


def resp(
    status: int = 200, reason: bytes = b"OK", headers: Headers = (), version: bytes = b"1.1"
) -> Event:
    return ("response", status, reason, version, headers)


def info(status: int, reason: bytes = b"", headers: Headers = ()) -> Event:
    return ("informational", status, reason, headers)


def data(payload: bytes) -> Event:
    return ("data", payload)


def end(*trailers: tuple[bytes, bytes]) -> Event:
    return ("end", tuple(trailers))


def accept(*events: Event) -> Outcome:
    return Outcome(tuple(events))


def reject(status: int, *events_before: Event) -> Outcome:
    return Outcome(tuple(events_before), status)


def ids(cases: Iterable[Case]) -> list[str]:
    """Test ids for `pytest.mark.parametrize`."""
    return [case.name for case in cases]


def by_name(name: str) -> Case:
    for case in (*REQUESTS, *RESPONSES):
        if case.name == name:
            return case
    raise KeyError(name)


# --- the runner ---------------------------------------------------------------------------


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> Headers:
    return tuple((bytes(name), bytes(value)) for name, value in raw)


def summarize(event: Any, h11: ModuleType) -> Event:
    """An h11 event as a plain comparable tuple (see the module docstring)."""
    if isinstance(event, h11.Request):
        return req(
            bytes(event.target),
            bytes(event.method),
            _headers(event.headers),
            bytes(event.http_version),
        )
    if isinstance(event, h11.InformationalResponse):
        return info(event.status_code, bytes(event.reason), _headers(event.headers))
    if isinstance(event, h11.Response):
        return resp(
            event.status_code,
            bytes(event.reason),
            _headers(event.headers),
            bytes(event.http_version),
        )
    if isinstance(event, h11.Data):
        return data(bytes(event.data))
    if isinstance(event, h11.EndOfMessage):
        return end(*_headers(event.headers))
    if isinstance(event, h11.ConnectionClosed):
        return CLOSED
    raise TypeError(f"unexpected event {event!r}")


#: Every name the runner takes from the implementation under test.
_RUNNER_NAMES = (
    "Connection",
    "CLIENT",
    "SERVER",
    "IDLE",
    "DONE",
    "MUST_CLOSE",
    "CLOSED",
    "NEED_DATA",
    "PAUSED",
    "Request",
    "InformationalResponse",
    "Response",
    "Data",
    "EndOfMessage",
    "ConnectionClosed",
    "RemoteProtocolError",
)


def _implementation(h11_module: ModuleType | None) -> ModuleType:
    """The module the runner drives: `h11_module` completed with what it lacks.

    A namespace such as `h11_connection` may hold the Connection and its states but
    not the events and errors (those live in `h11_events`): missing names come from
    `h11_connection`, then `h11_events`. Default: this project's implementation.
    """
    if h11_module is not None and all(hasattr(h11_module, n) for n in _RUNNER_NAMES):
        return h11_module
    sources = [
        module
        for module in (
            h11_module,
            importlib.import_module("h11_connection"),
            importlib.import_module("h11_events"),
        )
        if module is not None
    ]
    name = h11_module.__name__ if h11_module is not None else "h11_connection"
    completed = ModuleType(f"{name} (completed for the corpus runner)")
    for attr in _RUNNER_NAMES:
        for module in sources:
            if hasattr(module, attr):
                setattr(completed, attr, getattr(module, attr))
                break
        else:
            raise AttributeError(f"{name} has no {attr}, and neither has h11_events")
    return completed


def _prime(conn: Any, case: Case, h11: ModuleType) -> None:
    """Make a CLIENT Connection expect a response to the case's request."""
    target = b"example.com:443" if case.request_method == b"CONNECT" else b"/"
    headers = ((b"host", b"a"), *case.request_headers)
    conn.send(h11.Request(method=case.request_method, target=target, headers=headers))
    conn.send(h11.EndOfMessage())


def run(case: Case, *, split: bool = False, h11_module: ModuleType | None = None) -> Outcome:
    """Feed `case.data` then EOF to a fresh Connection and return what it made of them.

    With `split=True` every byte is a separate `receive_data` call. After each complete
    message the runner answers it (server side) and starts the next cycle, so pipelined
    messages are parsed; it stops at the first must-close, pause or protocol error.
    `h11_module` selects the implementation (default: this project's); a module that
    lacks some names (e.g. `h11_connection` without the events) is completed from
    `h11_connection` and `h11_events`.
    """
    h11 = _implementation(h11_module)
    if case.kind == "request":
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=case.max_head_size)
    else:
        conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=case.max_head_size)
        _prime(conn, case, h11)
    payload = case.data
    pieces = [payload[i : i + 1] for i in range(len(payload))] if split else [payload]
    pieces.append(b"")
    events: list[Event] = []
    try:
        for piece in pieces:
            if piece and case.kind == "response" and conn.our_state is h11.IDLE:
                _prime(conn, case, h11)
            conn.receive_data(piece)
            conn = _drain(conn, case, h11, events, eof=not piece)
            if conn is None:
                break
    except h11.RemoteProtocolError as exc:
        return Outcome(tuple(events), exc.error_status_hint)
    return Outcome(tuple(events))


def _drain(conn: Any, case: Case, h11: ModuleType, events: list[Event], *, eof: bool) -> Any:
    """Record the events available now; the Connection to read on with, None to stop."""
    for _ in range(_MAX_EVENTS):
        event = conn.next_event()
        if event is h11.NEED_DATA:
            return conn
        if event is h11.PAUSED:
            events.append(PAUSED)
            return None
        summary = summarize(event, h11)
        if summary[0] == "data" and events and events[-1][0] == "data":
            events[-1] = data(events[-1][1] + summary[1])
        else:
            events.append(summary)
        if summary == CLOSED:
            return None
        if summary[0] == "end":
            if eof:
                # The message ended with the connection (close-delimited body): whether the
                # peer calls that DONE or MUST_CLOSE, the connection is over.
                events.append(CLOSED)
                return None
            # Keep-alive is off for this message: it is the last one on the connection.
            if conn.their_state is h11.MUST_CLOSE or conn.their_state is h11.CLOSED:
                events.append(MUST_CLOSE)
                return None
            if conn.their_state is h11.DONE:
                conn = _next_cycle(conn, case, h11)
    raise AssertionError(f"more than {_MAX_EVENTS} events without NEED_DATA")


def _next_cycle(conn: Any, case: Case, h11: ModuleType) -> Any:
    """The Connection that reads the next message after a complete one."""
    if case.kind == "request":
        conn.send(h11.Response(status_code=200, headers=[(b"content-length", b"0")]))
        conn.send(h11.EndOfMessage())
    if conn.our_state is not h11.DONE:
        return conn
    conn.start_next_cycle()
    # A client only has a request outstanding when more response bytes are here; priming
    # one at EOF would turn a clean close into an error.
    if case.kind == "response" and conn.trailing_data[0]:
        return next_pipelined_client(
            conn, h11, lambda fresh: _prime(fresh, case, h11), case.max_head_size
        )
    return conn


def next_pipelined_client(
    conn: Any,
    h11: ModuleType,
    send_request: Callable[[Any], None],
    max_incomplete_event_size: int = 16384,
) -> Any:
    """A CLIENT Connection that reads the response bytes `conn` holds after a complete one,
    as answers to pipelined requests written to the wire earlier (raw, by a test).

    A fresh Connection is given its request (`send_request`) first, then those bytes:
    a Connection refuses bytes that arrived before its request was sent (they answer no
    request), which is what they would be on a connection that does not pipeline.
    """
    rest, eof = conn.trailing_data
    fresh = h11.Connection(h11.CLIENT, max_incomplete_event_size=max_incomplete_event_size)
    send_request(fresh)
    if rest:
        fresh.receive_data(rest)
    if eof:  # b"" is EOF
        fresh.receive_data(b"")
    return fresh


def check(case: Case, *, h11_module: ModuleType | None = None) -> list[str]:
    """Differences from `case.expected`, whole and byte by byte (empty list: all good)."""
    problems = []
    for split in (False, True):
        got = run(case, split=split, h11_module=h11_module)
        if got != case.expected:
            how = "byte by byte" if split else "in one read"
            problems.append(f"{case.name} ({how}): expected {case.expected}, got {got}")
    return problems


# --- request cases ------------------------------------------------------------------------


def _r(
    name: str,
    raw: bytes,
    expected: Outcome,
    *,
    h11: bool,
    why: str,
    tags: Sequence[str] = (),
    max_head_size: int = 16384,
    h11_split: bool | None = None,
) -> Case:
    return Case(
        name,
        "request",
        raw,
        expected,
        h11,
        why,
        tuple(tags),
        max_head_size,
        h11_agrees_split=h11_split,
    )


GET = b"GET / HTTP/1.1\r\nHost: a\r\n"
POST = b"POST / HTTP/1.1\r\nHost: a\r\n"
CHUNKED = POST + b"Transfer-Encoding: chunked\r\n\r\n"
TE: Headers = ((b"transfer-encoding", b"chunked"),)
CL5: Headers = ((b"content-length", b"5"),)
HELLO_CHUNKED = b"5\r\nhello\r\n0\r\n\r\n"


def _post(*extra: tuple[bytes, bytes]) -> Event:
    return req(method=b"POST", headers=HOST + tuple(extra))


def _bad_cl(name: str, value: bytes, why: str, *, h11: bool) -> Case:
    return _r(
        name,
        POST + b"Content-Length: " + value + b"\r\n\r\nhello",
        reject(400),
        h11=h11,
        why=why,
        tags=("content-length", "smuggling"),
    )


def _bad_chunk_line(
    name: str, line: bytes, why: str, *, h11: bool, tags: Sequence[str] = ()
) -> Case:
    return _r(
        name,
        CHUNKED + line + b"\r\nhello\r\n0\r\n\r\n",
        reject(400, _post(*TE)),
        h11=h11,
        why=why,
        tags=("chunked", "smuggling", *tags),
    )


def _chunk_line_ok(name: str, line: bytes, why: str, *, h11: bool) -> Case:
    return _r(
        name,
        CHUNKED + line + b"\r\nhello\r\n0\r\n\r\n",
        accept(_post(*TE), data(b"hello"), END, CLOSED),
        h11=h11,
        why=why,
        tags=("chunked",),
    )


def _bad_head(
    name: str, raw: bytes, why: str, *, h11: bool, tags: Sequence[str], status: int = 400
) -> Case:
    return _r(name, raw, reject(status), h11=h11, why=why, tags=tags)


REQUESTS: tuple[Case, ...] = (
    # ordinary messages
    _r("get", GET + b"\r\n", accept(req(), END, CLOSED), h11=True, why="plain GET"),
    _r("eof_only", b"", accept(CLOSED), h11=True, why="EOF before any byte is a clean close"),
    _r(
        "post_content_length",
        POST + b"Content-Length: 5\r\n\r\nhello",
        accept(_post(*CL5), data(b"hello"), END, CLOSED),
        h11=True,
        why="Content-Length body",
    ),
    _r(
        "post_content_length_zero",
        POST + b"Content-Length: 0\r\n\r\n",
        accept(_post((b"content-length", b"0")), END, CLOSED),
        h11=True,
        why="empty Content-Length body",
    ),
    _r(
        "post_chunked",
        CHUNKED + HELLO_CHUNKED,
        accept(_post(*TE), data(b"hello"), END, CLOSED),
        h11=True,
        why="chunked body",
        tags=("chunked",),
    ),
    _r(
        "chunked_several_chunks",
        CHUNKED + b"3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n",
        accept(_post(*TE), data(b"hello"), END, CLOSED),
        h11=True,
        why="chunks are joined into one body",
        tags=("chunked",),
    ),
    _r(
        "chunked_trailers",
        CHUNKED + b"5\r\nhello\r\n0\r\nX-Sum: 1\r\nX-Other:  b \r\n\r\n",
        accept(_post(*TE), data(b"hello"), end((b"x-sum", b"1"), (b"x-other", b"b")), CLOSED),
        h11=True,
        why="trailers end up in EndOfMessage.headers",
        tags=("chunked", "trailers"),
    ),
    _r(
        "pipelined_gets",
        GET + b"\r\n" + b"GET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
        accept(req(), END, req(b"/2"), END, CLOSED),
        h11=True,
        why="pipelined requests are parsed back to back",
        tags=("pipelining",),
    ),
    _r(
        "pipelined_after_bodies",
        POST + b"Content-Length: 5\r\n\r\nhello" + CHUNKED + HELLO_CHUNKED + GET + b"\r\n",
        accept(
            _post(*CL5), data(b"hello"), END, _post(*TE), data(b"hello"), END, req(), END, CLOSED
        ),
        h11=True,
        why="body framing ends exactly where the next request starts",
        tags=("pipelining",),
    ),
    _r(
        "http10",
        b"GET / HTTP/1.0\r\n\r\n",
        accept(req(headers=(), version=b"1.0"), END, MUST_CLOSE),
        h11=True,
        why="HTTP/1.0 without keep-alive: last request; Host not required",
        tags=("version",),
    ),
    _r(
        "http12_minor_version",
        b"GET / HTTP/1.2\r\nHost: a\r\n\r\n",
        accept(req(version=b"1.2"), END, CLOSED),
        h11=True,
        why="any HTTP/1.d is HTTP/1.1-compatible (RFC 9110 2.5)",
        tags=("version",),
    ),
    _r(
        "connection_close",
        GET + b"Connection: close\r\n\r\n" + GET + b"\r\n",
        accept(req(headers=(*HOST, (b"connection", b"close"))), END, MUST_CLOSE),
        h11=True,
        why="Connection: close makes it the last request; later bytes are not parsed",
        tags=("pipelining",),
    ),
    _r(
        "method_lowercase",
        b"get / HTTP/1.1\r\nHost: a\r\n\r\n",
        accept(req(method=b"get"), END, CLOSED),
        h11=True,
        why="a method is any token; case matters but lowercase is valid",
    ),
    _r(
        "absolute_form_target",
        b"GET http://a/x?y HTTP/1.1\r\nHost: a\r\n\r\n",
        accept(req(b"http://a/x?y"), END, CLOSED),
        h11=True,
        why="absolute-form target",
    ),
    _r(
        "bare_lf_line_ends",
        b"GET / HTTP/1.1\nHost: a\n\n",
        reject(400),
        h11=False,
        why="bare LF as a line end in a request is refused (llhttp strict; h11 accepts)",
        tags=("line-ends", "smuggling"),
    ),
    _r(
        "mixed_line_ends",
        b"GET / HTTP/1.1\r\nHost: a\n\r\n",
        reject(400),
        h11=False,
        why="CRLF and bare LF mixed in a request: refused",
        tags=("line-ends", "smuggling"),
    ),
    _r(
        "bare_lf_ends_head",
        GET + b"\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n",
        reject(400),
        h11=False,
        why="a head ending in a bare LF, while a front end reads on past it (h11 accepts)",
        tags=("line-ends", "smuggling", "pipelining"),
    ),
    _r(
        "leading_empty_lines",
        b"\r\n\r\n" + GET + b"\r\n",
        accept(req(), END, CLOSED),
        h11=False,
        why="empty lines before a request line are ignored (RFC 9112 2.2); h11 rejects",
        tags=("line-ends",),
    ),
    _r(
        "leading_bare_lf",
        b"\n" + GET + b"\r\n",
        accept(req(), END, CLOSED),
        h11=False,
        why="a bare LF before the request line is an empty line too (RFC 9112 2.2)",
        tags=("line-ends",),
    ),
    _r(
        "obs_fold",
        GET + b"X-A: b\r\n  c\r\n\r\n",
        reject(400),
        h11=False,
        why="obs-fold in a request is refused (RFC 9112 5.2 allows it; h11 unfolds)",
        tags=("obs-fold",),
    ),
    _r(
        "obs_fold_hides_te",
        POST + b"Foo: bar\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        reject(400),
        h11=False,
        why="a folded Transfer-Encoding line: the TE.CL desync of mutation lists (h11 unfolds)",
        tags=("obs-fold", "te", "smuggling"),
    ),
    _r(
        "header_value_ows_stripped",
        GET + b"X-A: \t v w \t\r\n\r\n",
        accept(req(headers=(*HOST, (b"x-a", b"v w"))), END, CLOSED),
        h11=True,
        why="OWS around a field value is not part of it; inner SP is",
        tags=("headers",),
    ),
    _r(
        "header_value_empty",
        GET + b"X-A:\r\n\r\n",
        accept(req(headers=(*HOST, (b"x-a", b""))), END, CLOSED),
        h11=True,
        why="an empty field value is valid",
        tags=("headers",),
    ),
    _r(
        "header_value_obs_text",
        GET + b"X-A: caf\xe9\r\n\r\n",
        accept(req(headers=(*HOST, (b"x-a", b"caf\xe9"))), END, CLOSED),
        h11=True,
        why="obs-text (0x80-0xFF) is allowed in field values",
        tags=("headers", "non-ascii"),
    ),
    _r(
        "header_value_inner_htab",
        GET + b"X-A: a\tb\r\n\r\n",
        accept(req(headers=(*HOST, (b"x-a", b"a\tb"))), END, CLOSED),
        h11=True,
        why="HTAB is the one control byte allowed in a value",
        tags=("headers",),
    ),
    _r(
        "content_length_list_equal",
        POST + b"Content-Length: 5, 5\r\n\r\nhello",
        accept(_post(*CL5), data(b"hello"), END, CLOSED),
        h11=True,
        why="a list of identical Content-Length values is one value (RFC 9110 8.6)",
        tags=("content-length",),
    ),
    _r(
        "content_length_twice_equal",
        POST + b"Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        accept(_post(*CL5), data(b"hello"), END, CLOSED),
        h11=True,
        why="the same Content-Length twice is one value",
        tags=("content-length",),
    ),
    _r(
        "content_length_ows",
        POST + b"Content-Length:  5 \r\n\r\nhello",
        accept(_post(*CL5), data(b"hello"), END, CLOSED),
        h11=True,
        why="OWS around the value is not part of it",
        tags=("content-length",),
    ),
    _r(
        "content_length_leading_zeros",
        POST + b"Content-Length: 005\r\n\r\nhello",
        accept(_post((b"content-length", b"005")), data(b"hello"), END, CLOSED),
        h11=True,
        why="1*DIGIT allows leading zeros",
        tags=("content-length",),
    ),
    _r(
        "content_length_max",
        POST + b"Content-Length: 9223372036854775807\r\n\r\nhello",
        reject(400, _post((b"content-length", b"9223372036854775807")), data(b"hello")),
        h11=True,
        why="2**63-1 is a valid length; EOF inside the body is then the error",
        tags=("content-length", "incomplete"),
    ),
    _bad_cl("content_length_too_big", b"9223372036854775808", "beyond 2**63-1", h11=False),
    _bad_cl("content_length_plus", b"+5", "not 1*DIGIT", h11=True),
    _bad_cl("content_length_minus", b"-1", "not 1*DIGIT", h11=True),
    _bad_cl("content_length_hex", b"0x5", "not 1*DIGIT", h11=True),
    _bad_cl("content_length_inner_space", b"1 2", "not 1*DIGIT", h11=True),
    _bad_cl(
        "content_length_underscore", b"1_0", "Python int() accepts it; HTTP does not", h11=True
    ),
    _bad_cl("content_length_non_ascii_digit", "\u0665".encode(), "non-ASCII digit", h11=True),
    _bad_cl("content_length_empty", b"", "empty value", h11=True),
    _bad_cl("content_length_list_differing", b"5, 6", "conflicting lengths", h11=True),
    _r(
        "content_length_twice_differing",
        POST + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        reject(400),
        h11=True,
        why="conflicting Content-Length fields",
        tags=("content-length", "smuggling"),
    ),
    # Transfer-Encoding and CL/TE conflicts
    _r(
        "cl_te_both",
        POST + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKED,
        accept(_post((b"content-length", b"3"), *TE), data(b"hello"), END, MUST_CLOSE),
        h11=False,
        why="chunked wins over Content-Length, and the connection must close (RFC 9112 6.3)",
        tags=("smuggling", "cl-te"),
    ),
    _r(
        "te_cl_both",
        POST + b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n" + HELLO_CHUNKED,
        accept(_post(*TE, (b"content-length", b"3")), data(b"hello"), END, MUST_CLOSE),
        h11=False,
        why="field order does not matter: chunked wins, connection closes",
        tags=("smuggling", "cl-te"),
    ),
    _r(
        "cl_te_smuggled_request",
        POST
        + b"Content-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        + b"GET /admin HTTP/1.1\r\nHost: a\r\n\r\n",
        accept(_post((b"content-length", b"40"), *TE), END, MUST_CLOSE),
        h11=False,
        why="the bytes after the chunked body must never be parsed as a request",
        tags=("smuggling", "cl-te", "pipelining"),
    ),
    _r(
        "te_uppercase",
        POST + b"Transfer-Encoding: CHUNKED\r\n\r\n" + HELLO_CHUNKED,
        accept(_post(*TE), data(b"hello"), END, CLOSED),
        h11=True,
        why="transfer-coding names are case-insensitive",
        tags=("te",),
    ),
    _r(
        "te_ows",
        POST + b"Transfer-Encoding: \t chunked \t\r\n\r\n" + HELLO_CHUNKED,
        accept(_post(*TE), data(b"hello"), END, CLOSED),
        h11=True,
        why="OWS around the value",
        tags=("te",),
    ),
    _r(
        "te_gzip",
        POST + b"Transfer-Encoding: gzip\r\n\r\n" + HELLO_CHUNKED,
        reject(501),
        h11=True,
        why="unknown transfer-coding: 501",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_empty_member_first",
        POST + b"Transfer-Encoding: ,chunked\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=False,
        why="an empty list member in a request's Transfer-Encoding (llhttp strict; h11: 501)",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_empty_member_last",
        POST + b"Transfer-Encoding: chunked,\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=False,
        why="an empty list member in a request's Transfer-Encoding (llhttp strict; h11: 501)",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_empty_second_field",
        POST + b"Transfer-Encoding: chunked\r\nTransfer-Encoding:\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=False,
        why="an empty second Transfer-Encoding field in a request (llhttp strict; h11: 501)",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_gzip_chunked",
        POST + b"Transfer-Encoding: gzip, chunked\r\n\r\n" + HELLO_CHUNKED,
        reject(501),
        h11=True,
        why="codings other than chunked are not implemented",
        tags=("te",),
    ),
    _r(
        "te_identity",
        POST + b"Transfer-Encoding: identity\r\n\r\n" + HELLO_CHUNKED,
        reject(501),
        h11=True,
        why="identity is not a transfer-coding any more",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_xchunked",
        POST + b"Transfer-Encoding: xchunked\r\n\r\n" + HELLO_CHUNKED,
        reject(501),
        h11=True,
        why="prefix tricks",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_quoted",
        POST + b'Transfer-Encoding: "chunked"\r\n\r\n' + HELLO_CHUNKED,
        reject(501),
        h11=True,
        why="a quoted coding is not the chunked token",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_chunked_not_last",
        POST + b"Transfer-Encoding: chunked, gzip\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=False,
        why="in a request chunked must be the final coding (RFC 9112 6.3)",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_chunked_twice_in_list",
        POST + b"Transfer-Encoding: chunked, chunked\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=False,
        why="chunked applied twice: the first one is not last",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_chunked_twice_as_fields",
        POST + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=False,
        why="two fields combine to 'chunked, chunked'",
        tags=("te", "smuggling"),
    ),
    _r(
        "te_vertical_tab",
        POST + b"Transfer-Encoding:\x0bchunked\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=True,
        why="VT is a control byte, not OWS",
        tags=("te", "smuggling", "control"),
    ),
    _r(
        "te_trailing_vertical_tab",
        POST + b"Transfer-Encoding: chunked\x0b\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=True,
        why="VT is a control byte, not OWS",
        tags=("te", "smuggling", "control"),
    ),
    _r(
        "te_space_before_colon",
        POST + b"Transfer-Encoding : chunked\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=True,
        why="whitespace between field name and colon (RFC 9112 5.1 MUST reject)",
        tags=("te", "smuggling", "headers"),
    ),
    _r(
        "te_http10_request",
        b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKED,
        reject(400),
        h11=False,
        why="Transfer-Encoding in an HTTP/1.0 request is a smuggling signal",
        tags=("te", "smuggling", "version"),
    ),
    _r(
        "pipelined_bad_te_after_good_request",
        POST + b"Content-Length: 5\r\n\r\nhello" + POST + b"Transfer-Encoding: gzip\r\n\r\n",
        reject(501, _post(*CL5), data(b"hello"), END),
        h11=True,
        why="an error in a pipelined request stops parsing after the good one",
        tags=("te", "pipelining"),
    ),
    # chunk-size lines
    _chunk_line_ok("chunk_size_uppercase_hex", b"5", "hex digits", h11=True),
    _chunk_line_ok("chunk_size_leading_zeros", b"0000000000000005", "16 hex digits", h11=True),
    _chunk_line_ok("chunk_ext_token", b"5;name=value", "chunk extension with token", h11=True),
    _chunk_line_ok("chunk_ext_quoted", b'5;name="v a;l"', "quoted-string value", h11=True),
    _chunk_line_ok("chunk_ext_name_only", b"5;name", "value is optional", h11=True),
    _bad_chunk_line(
        "chunk_ext_bws", b"5 ; a = b", "BWS around ';' and '=' (llhttp strict)", h11=True
    ),
    _bad_chunk_line("chunk_ext_bws_before_semicolon", b"5 ;a", "BWS before ';'", h11=True),
    _bad_chunk_line(
        "chunk_ext_bws_after_semicolon", b"5; a", "BWS after ';' (llhttp strict)", h11=False
    ),
    _bad_chunk_line(
        "chunk_ext_bws_around_equals", b"5;a =b", "BWS before '=' (llhttp strict)", h11=False
    ),
    _chunk_line_ok("chunk_ext_several", b'5;a=1;b;c="x"', "several extensions", h11=True),
    _bad_chunk_line("chunk_size_plus", b"+5", "sign", h11=True),
    _bad_chunk_line("chunk_size_minus", b"-5", "sign", h11=True),
    _bad_chunk_line("chunk_size_0x", b"0x5", "0x prefix", h11=True),
    _bad_chunk_line("chunk_size_leading_space", b" 5", "leading whitespace", h11=True),
    _bad_chunk_line(
        "chunk_size_trailing_space", b"5 ", "whitespace without an extension", h11=False
    ),
    _bad_chunk_line(
        "chunk_size_17_digits", b"00000000000000005", "more than 16 hex digits", h11=False
    ),
    _bad_chunk_line("chunk_size_overflow", b"8000000000000000", "beyond 2**63-1", h11=False),
    _bad_chunk_line("chunk_size_empty", b"", "no size", h11=True),
    _bad_chunk_line("chunk_size_not_hex", b"g", "not hex", h11=True),
    _bad_chunk_line("chunk_ext_bare_cr", b"5;a\rb", "bare CR in an extension", h11=False),
    _bad_chunk_line("chunk_ext_control", b"5;a=\x01", "control byte", h11=False, tags=("control",)),
    _bad_chunk_line("chunk_ext_non_ascii", b"5;a=\xff", "not a token", h11=False),
    _bad_chunk_line("chunk_ext_value_with_space", b"5;a=b c", "SP inside a token", h11=False),
    _bad_chunk_line("chunk_ext_empty", b"5;", "no extension name", h11=False),
    _bad_chunk_line("chunk_ext_no_name", b"5;=x", "no extension name", h11=False),
    _bad_chunk_line("chunk_ext_nul", b"5;a\x00", "NUL", h11=False, tags=("control",)),
    _r(
        "chunk_data_longer_than_size",
        CHUNKED + b"3\r\nhello\r\n0\r\n\r\n",
        reject(400, _post(*TE), data(b"hel")),
        h11=True,
        why="chunk data must be followed by CRLF",
        tags=("chunked", "smuggling"),
    ),
    _r(
        "chunk_data_missing_crlf",
        CHUNKED + b"5\r\nhello0\r\n\r\n",
        reject(400, _post(*TE), data(b"hello")),
        h11=True,
        why="chunk data must be followed by CRLF",
        tags=("chunked", "smuggling"),
    ),
    _r(
        "chunk_line_oversize",
        CHUNKED + b"5;a=" + b"b" * 20000 + b"\r\nhello\r\n0\r\n\r\n",
        reject(431, _post(*TE)),
        h11=False,
        why="a chunk line longer than the head limit is refused like an oversize head",
        tags=("chunked", "oversize"),
        h11_split=True,
    ),
    # trailers
    _r(
        "trailer_content_length",
        CHUNKED + b"0\r\nContent-Length: 50\r\n\r\n" + GET + b"\r\n",
        reject(400, _post(*TE)),
        h11=False,
        why="a framing field in a request's trailer section (RFC 9110 6.5.1; llhttp)",
        tags=("trailers", "smuggling"),
    ),
    _r(
        "trailer_transfer_encoding",
        CHUNKED + b"0\r\nTransfer-Encoding: chunked\r\n\r\n" + GET + b"\r\n",
        reject(400, _post(*TE)),
        h11=False,
        why="a framing field in a request's trailer section (RFC 9110 6.5.1; llhttp)",
        tags=("trailers", "smuggling"),
    ),
    *(
        _r(
            name,
            CHUNKED + b"0\r\n" + field + b"\r\n\r\n",
            reject(400, _post(*TE)),
            h11=False,
            why=f"{kind} field in a request's trailer section (RFC 9110 6.5.1)",
            tags=("trailers", "smuggling"),
        )
        for name, field, kind in (
            ("trailer_host", b"Host: other.example", "a routing"),
            ("trailer_authorization", b"Authorization: Basic YTpi", "an authentication"),
        )
    ),
    _r(
        "trailer_bare_cr",
        CHUNKED + b"0\r\nX-A: a\rb\r\n\r\n",
        reject(400, _post(*TE)),
        h11=True,
        why="trailers follow header rules",
        tags=("trailers", "line-ends"),
    ),
    _r(
        "trailer_bare_lf",
        CHUNKED + b"0\r\nX-A: b\n\r\n",
        reject(400, _post(*TE)),
        h11=False,
        why="a request's trailer lines end in CRLF, as its head's (h11 accepts a bare LF)",
        tags=("trailers", "line-ends"),
    ),
    _r(
        "chunked_end_bare_lf",
        CHUNKED + b"0\r\n\n" + b"GET /admin HTTP/1.1\r\nHost: a\r\n\r\n",
        reject(400, _post(*TE)),
        h11=False,
        why="the blank line ending a request's chunked body is CRLF (h11 reads the next request)",
        tags=("chunked", "line-ends", "smuggling", "pipelining"),
    ),
    _r(
        "trailer_space_before_colon",
        CHUNKED + b"0\r\nX-A : b\r\n\r\n",
        reject(400, _post(*TE)),
        h11=True,
        why="trailers follow header rules",
        tags=("trailers",),
    ),
    _r(
        "trailer_control_byte",
        CHUNKED + b"0\r\nX-A: \x01\r\n\r\n",
        reject(400, _post(*TE)),
        h11=False,
        why="trailers follow header rules",
        tags=("trailers", "control"),
    ),
    # bare CR / LF, control and non-ASCII bytes in the head
    _bad_head(
        "bare_cr_line_end",
        b"GET / HTTP/1.1\rHost: a\r\r\n",
        "bare CR",
        h11=True,
        tags=("line-ends",),
    ),
    _bad_head(
        "bare_cr_in_value", GET + b"X-A: a\rb\r\n\r\n", "bare CR", h11=True, tags=("line-ends",)
    ),
    _bad_head(
        "bare_cr_in_request_line",
        b"GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
        "bare CR",
        h11=True,
        tags=("line-ends",),
    ),
    _bad_head("value_nul", GET + b"X-A: a\x00b\r\n\r\n", "NUL", h11=True, tags=("control",)),
    _bad_head(
        "value_soh", GET + b"X-A: \x01\r\n\r\n", "control byte", h11=False, tags=("control",)
    ),
    _bad_head("value_del", GET + b"X-A: a\x7f\r\n\r\n", "DEL", h11=False, tags=("control",)),
    _bad_head("value_escape", GET + b"X-A: \x1b[31m\r\n\r\n", "ESC", h11=False, tags=("control",)),
    _bad_head(
        "name_space_before_colon",
        GET + b"X-A : b\r\n\r\n",
        "SP before colon",
        h11=True,
        tags=("headers",),
    ),
    _bad_head(
        "name_tab_before_colon",
        GET + b"X-A\t: b\r\n\r\n",
        "HTAB before colon",
        h11=True,
        tags=("headers",),
    ),
    _bad_head(
        "first_field_line_folded",
        b"GET / HTTP/1.1\r\n Host: a\r\n\r\n",
        "a field line starting with SP right after the start line",
        h11=True,
        tags=("obs-fold", "headers"),
    ),
    _bad_head(
        "first_field_line_folded_htab",
        b"GET / HTTP/1.1\r\n\tX: a\r\nHost: a\r\n\r\n",
        "a field line starting with HTAB right after the start line",
        h11=True,
        tags=("obs-fold", "headers"),
    ),
    _bad_head(
        "name_not_token", GET + b"X(A): b\r\n\r\n", "name not a token", h11=True, tags=("headers",)
    ),
    _bad_head(
        "name_non_ascii",
        GET + b"X-\xe9: b\r\n\r\n",
        "name not a token",
        h11=True,
        tags=("headers",),
    ),
    _bad_head("name_empty", GET + b": b\r\n\r\n", "empty name", h11=True, tags=("headers",)),
    _bad_head(
        "field_without_colon", GET + b"X-A b\r\n\r\n", "no colon", h11=True, tags=("headers",)
    ),
    _bad_head(
        "missing_host",
        b"GET / HTTP/1.1\r\n\r\n",
        "HTTP/1.1 needs Host (RFC 9112 3.2)",
        h11=True,
        tags=("host",),
    ),
    _bad_head(
        "duplicate_host",
        GET + b"Host: b\r\n\r\n",
        "two Host fields (RFC 9112 3.2)",
        h11=True,
        tags=("host",),
    ),
    _bad_head(
        "duplicate_host_http10",
        b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
        "two Host fields in an HTTP/1.0 request (RFC 9112 3.2: any request)",
        h11=True,
        tags=("host", "version"),
    ),
    _bad_head(
        "identical_hosts_http10",
        b"GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n",
        "two identical Host fields in an HTTP/1.0 request",
        h11=True,
        tags=("host", "version"),
    ),
    _bad_head(
        "host_list",
        b"GET / HTTP/1.1\r\nHost: a, b\r\n\r\n",
        "two hosts in one Host field (RFC 9110 7.2; host confusion)",
        h11=False,
        tags=("host", "smuggling"),
    ),
    _bad_head(
        "host_with_space",
        b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "Host is uri-host [:port], no space",
        h11=False,
        tags=("host",),
    ),
    _bad_head(
        "host_with_userinfo",
        b"GET / HTTP/1.1\r\nHost: user@a\r\n\r\n",
        "no userinfo in Host (RFC 9110 7.2)",
        h11=False,
        tags=("host",),
    ),
    _r(
        "host_ipv6_literal",
        b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
        accept(req(headers=((b"host", b"[::1]:8080"),)), END, CLOSED),
        h11=True,
        why="an IPv6 literal with a port is a valid Host",
        tags=("host",),
    ),
    _r(
        "host_empty",
        b"GET / HTTP/1.1\r\nHost:\r\n\r\n",
        accept(req(headers=((b"host", b""),)), END, CLOSED),
        h11=True,
        why="an empty Host is allowed (RFC 9112 3.2, a target without authority)",
        tags=("host",),
    ),
    # request line
    _bad_head(
        "target_with_space",
        b"GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
        "space",
        h11=True,
        tags=("request-line",),
    ),
    _bad_head(
        "target_non_ascii",
        b"GET /\xff HTTP/1.1\r\nHost: a\r\n\r\n",
        "non-ASCII",
        h11=True,
        tags=("request-line",),
    ),
    _bad_head(
        "target_control",
        b"GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n",
        "control",
        h11=True,
        tags=("request-line",),
    ),
    _bad_head(
        "target_del",
        b"GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n",
        "DEL is not a target byte",
        h11=True,
        tags=("request-line",),
    ),
    _bad_head(
        "double_space",
        b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
        "two SP",
        h11=True,
        tags=("request-line",),
    ),
    _bad_head(
        "trailing_space",
        b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
        "SP at end",
        h11=True,
        tags=("request-line",),
    ),
    _bad_head(
        "tab_separators",
        b"GET\t/\tHTTP/1.1\r\nHost: a\r\n\r\n",
        "HTAB",
        h11=True,
        tags=("request-line",),
    ),
    _bad_head(
        "method_not_token",
        b"G(ET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "method",
        h11=True,
        tags=("request-line",),
    ),
    _bad_head(
        "target_relative_path",
        b"GET index.html HTTP/1.1\r\nHost: a\r\n\r\n",
        "origin-form starts with / (RFC 9112 3.2.1)",
        h11=False,
        tags=("request-line", "target"),
    ),
    _bad_head(
        "target_bang",
        b"GET ! HTTP/1.1\r\nHost: a\r\n\r\n",
        "not a request-target form",
        h11=False,
        tags=("request-line", "target"),
    ),
    _bad_head(
        "target_host_path_without_scheme",
        b"GET example.com/ HTTP/1.1\r\nHost: a\r\n\r\n",
        "absolute-form needs a scheme (RFC 9112 3.2.2)",
        h11=False,
        tags=("request-line", "target"),
    ),
    _bad_head(
        "target_asterisk_not_options",
        b"GET * HTTP/1.1\r\nHost: a\r\n\r\n",
        "asterisk-form is for OPTIONS only (RFC 9112 3.2.4)",
        h11=False,
        tags=("request-line", "target"),
    ),
    _bad_head(
        "target_authority_not_connect",
        b"GET a:443 HTTP/1.1\r\nHost: a\r\n\r\n",
        "authority-form is for CONNECT only (RFC 9112 3.2.3)",
        h11=False,
        tags=("request-line", "target"),
    ),
    _bad_head(
        "connect_origin_form",
        b"CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n",
        "CONNECT needs authority-form (RFC 9112 3.2.3)",
        h11=False,
        tags=("request-line", "target"),
    ),
    _r(
        "target_asterisk_options",
        b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        accept(req(b"*", b"OPTIONS"), END, CLOSED),
        h11=True,
        why="OPTIONS * (RFC 9112 3.2.4)",
        tags=("request-line", "target"),
    ),
    _r(
        "target_absolute_form",
        b"GET http://a/x?y HTTP/1.1\r\nHost: a\r\n\r\n",
        accept(req(b"http://a/x?y"), END, CLOSED),
        h11=True,
        why="absolute-form (RFC 9112 3.2.2)",
        tags=("request-line", "target"),
    ),
    _bad_head(
        "http09_simple_request",
        b"GET /\r\n\r\n",
        "no version",
        h11=True,
        tags=("version", "request-line"),
    ),
    _bad_head(
        "version_lowercase",
        b"GET / http/1.1\r\nHost: a\r\n\r\n",
        "HTTP-name",
        h11=True,
        tags=("version",),
    ),
    _bad_head(
        "version_two_digit_minor",
        b"GET / HTTP/1.10\r\nHost: a\r\n\r\n",
        "1.10",
        h11=True,
        tags=("version",),
    ),
    _bad_head(
        "version_no_minor",
        b"GET / HTTP/1\r\nHost: a\r\n\r\n",
        "HTTP/1",
        h11=True,
        tags=("version",),
    ),
    _bad_head(
        "version_2_0",
        b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        "major 2",
        h11=False,
        tags=("version",),
        status=505,
    ),
    _bad_head(
        "version_0_9",
        b"GET / HTTP/0.9\r\nHost: a\r\n\r\n",
        "major 0",
        h11=False,
        tags=("version",),
        status=505,
    ),
    _bad_head(
        "version_leading_zero_major",
        b"GET / HTTP/01.1\r\nHost: a\r\n\r\n",
        "HTTP-version is DIGIT.DIGIT: a syntax error (400), not an unsupported version",
        h11=True,
        tags=("version",),
    ),
    _bad_head(
        "version_two_digit_major",
        b"GET / HTTP/51.1\r\nHost: a\r\n\r\n",
        "HTTP-version is DIGIT.DIGIT: 400, not 505",
        h11=True,
        tags=("version",),
    ),
    _r(
        "http2_preface",
        b"PRI * HTTP/2.0\r\n\r\n",
        accept(req(b"*", b"PRI", (), b"2.0"), END, CLOSED),
        h11=True,
        why="the HTTP/2 connection preface is reported as a Request, as h11 does (hypercorn)",
        tags=("version", "http2"),
    ),
    _bad_head(
        "http2_preface_with_fields",
        b"PRI * HTTP/2.0\r\nHost: a\r\n\r\n",
        "only the exact preface is reported; any other HTTP/2.0 head is 505",
        h11=False,
        tags=("version", "http2"),
        status=505,
    ),
    # head size
    _r(
        "oversize_head",
        GET + b"X-Big: " + b"a" * 2000 + b"\r\n\r\n",
        reject(431),
        h11=False,
        why="the head limit holds whatever the read size (h11 accepts it in one read)",
        tags=("oversize",),
        max_head_size=1024,
        h11_split=True,
    ),
    _r(
        "oversize_leading_empty_lines",
        b"\r\n" * 600 + GET + b"\r\n",
        reject(431),
        h11=False,
        why="ignored empty lines still count towards the head limit",
        tags=("oversize", "line-ends"),
        max_head_size=1024,
    ),
    _r(
        "head_within_limit",
        GET + b"X-Big: " + b"a" * 900 + b"\r\n\r\n",
        accept(req(headers=(*HOST, (b"x-big", b"a" * 900))), END, CLOSED),
        h11=True,
        why="a head under the limit is fine",
        tags=("oversize",),
        max_head_size=1024,
    ),
    # protocol switches
    _r(
        "upgrade",
        GET + b"Connection: upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00",
        accept(
            req(headers=(*HOST, (b"connection", b"upgrade"), (b"upgrade", b"websocket"))),
            END,
            PAUSED,
        ),
        h11=True,
        why="after an Upgrade request the parser pauses; later bytes are not HTTP",
        tags=("upgrade",),
    ),
    _r(
        "connect",
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n\x16\x03\x01",
        accept(req(b"a:443", b"CONNECT", ((b"host", b"a:443"),)), END, PAUSED),
        h11=True,
        why="CONNECT pauses after its head",
        tags=("upgrade",),
    ),
    # EOF inside a message, errors in pipelines
    _r(
        "eof_in_head",
        GET,
        reject(400),
        h11=True,
        why="EOF inside the head",
        tags=("incomplete",),
    ),
    _r(
        "eof_in_content_length_body",
        POST + b"Content-Length: 10\r\n\r\nhello",
        reject(400, _post((b"content-length", b"10")), data(b"hello")),
        h11=True,
        why="EOF before Content-Length bytes arrived",
        tags=("incomplete",),
    ),
    _r(
        "eof_in_chunked_body",
        CHUNKED + b"5\r\nhello\r\n",
        reject(400, _post(*TE), data(b"hello")),
        h11=True,
        why="EOF before the last chunk",
        tags=("incomplete", "chunked"),
    ),
    _r(
        "pipelined_bad_request_line",
        GET + b"\r\n" + b"GET /x y HTTP/1.1\r\nHost: a\r\n\r\n",
        reject(400, req(), END),
        h11=True,
        why="the good request is served, then the bad one stops the connection",
        tags=("pipelining", "request-line"),
    ),
    _r(
        "pipelined_cl_te_then_more",
        GET
        + b"\r\n"
        + POST
        + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        + GET
        + b"\r\n",
        accept(req(), END, _post(*CL5, *TE), END, MUST_CLOSE),
        h11=False,
        why="a CL+TE request in a pipeline is the last one served",
        tags=("pipelining", "smuggling", "cl-te"),
    ),
    _r(
        "pipelined_after_error_not_parsed",
        b"GET / HTTP/2.0\r\nHost: a\r\n\r\n" + GET + b"\r\n",
        reject(505),
        h11=False,
        why="nothing after a rejected request is parsed",
        tags=("pipelining", "version"),
    ),
)


# --- response cases -----------------------------------------------------------------------


def _s(
    name: str,
    raw: bytes,
    expected: Outcome,
    *,
    h11: bool,
    why: str,
    tags: Sequence[str] = (),
    method: bytes = b"GET",
    request_headers: Headers = (),
    max_head_size: int = 16384,
    h11_split: bool | None = None,
) -> Case:
    return Case(
        name,
        "response",
        raw,
        expected,
        h11,
        why,
        tuple(tags),
        max_head_size,
        method,
        request_headers,
        h11_split,
    )


OK = b"HTTP/1.1 200 OK\r\n"

RESPONSES: tuple[Case, ...] = (
    _s(
        "content_length",
        OK + b"Content-Length: 5\r\n\r\nhello",
        accept(resp(headers=CL5), data(b"hello"), END, CLOSED),
        h11=True,
        why="Content-Length body",
    ),
    _s(
        "chunked",
        OK + b"Transfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKED,
        accept(resp(headers=TE), data(b"hello"), END, CLOSED),
        h11=True,
        why="chunked body",
        tags=("chunked",),
    ),
    _s(
        "chunked_trailers",
        OK + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
        accept(resp(headers=TE), data(b"hello"), end((b"x-t", b"1")), CLOSED),
        h11=True,
        why="trailers",
        tags=("chunked", "trailers"),
    ),
    _s(
        "close_delimited",
        OK + b"\r\nhello world",
        accept(resp(), data(b"hello world"), END, CLOSED),
        h11=True,
        why="no framing header: the body runs until EOF",
    ),
    _s(
        "http10_chunked_then_close",
        b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKED,
        accept(resp(headers=TE, version=b"1.0"), data(b"hello"), END, MUST_CLOSE),
        h11=True,
        why="Transfer-Encoding in an HTTP/1.0 response: chunks decoded, then close (RFC 9112 6.1)",
        tags=("te", "version"),
    ),
    _s(
        "head_response",
        OK + b"Content-Length: 5\r\n\r\n",
        accept(resp(headers=CL5), END, CLOSED),
        h11=True,
        why="a response to HEAD has no body",
        method=b"HEAD",
    ),
    _s(
        "head_response_chunked",
        OK + b"Transfer-Encoding: chunked\r\n\r\n",
        accept(resp(headers=TE), END, CLOSED),
        h11=True,
        why="a response to HEAD has no body, chunked or not",
        method=b"HEAD",
    ),
    _s(
        "no_content",
        b"HTTP/1.1 204 No Content\r\n\r\n" + OK + b"Content-Length: 0\r\n\r\n",
        accept(
            resp(204, b"No Content"), END, resp(headers=((b"content-length", b"0"),)), END, CLOSED
        ),
        h11=True,
        why="204 has no body; the next response follows at once",
        tags=("pipelining",),
    ),
    _s(
        "not_modified_with_length",
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
        accept(resp(304, b"Not Modified", CL5), END, CLOSED),
        h11=True,
        why="304 has no body even with Content-Length",
    ),
    _s(
        "continue_then_ok",
        b"HTTP/1.1 100 Continue\r\n\r\n" + OK + b"Content-Length: 2\r\n\r\nhi",
        accept(
            info(100, b"Continue"),
            resp(headers=((b"content-length", b"2"),)),
            data(b"hi"),
            END,
            CLOSED,
        ),
        h11=True,
        why="1xx responses precede the final one",
    ),
    _s(
        "early_hints",
        b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + OK + b"Content-Length: 0\r\n\r\n",
        accept(
            info(103, b"Early Hints", ((b"link", b"</a>"),)),
            resp(headers=((b"content-length", b"0"),)),
            END,
            CLOSED,
        ),
        h11=True,
        why="103 then the final response",
    ),
    _s(
        "switching_protocols",
        b"HTTP/1.1 101 Switching Protocols\r\n"
        b"Upgrade: websocket\r\nConnection: upgrade\r\n\r\n\x81\x00",
        accept(
            info(
                101,
                b"Switching Protocols",
                ((b"upgrade", b"websocket"), (b"connection", b"upgrade")),
            ),
            PAUSED,
        ),
        h11=True,
        why="after 101 the bytes are not HTTP",
        tags=("upgrade",),
        request_headers=((b"connection", b"upgrade"), (b"upgrade", b"websocket")),
    ),
    _s(
        "connect_established",
        OK + b"\r\n\x16\x03\x01",
        accept(resp(), PAUSED),
        h11=True,
        why="a 2xx to CONNECT ends the message (no EndOfMessage at Connection level, as h11)",
        tags=("upgrade",),
        method=b"CONNECT",
    ),
    _s(
        "empty_reason",
        b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
        accept(resp(reason=b"", headers=((b"content-length", b"0"),)), END, CLOSED),
        h11=True,
        why="the reason phrase may be empty",
        tags=("status-line",),
    ),
    _s(
        "no_reason",
        b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
        accept(resp(reason=b"", headers=((b"content-length", b"0"),)), END, CLOSED),
        h11=True,
        why="the SP before the reason is commonly omitted",
        tags=("status-line",),
    ),
    _s(
        "obs_text_reason",
        b"HTTP/1.1 200 \xe9t\xe9\r\nContent-Length: 0\r\n\r\n",
        accept(resp(reason=b"\xe9t\xe9", headers=((b"content-length", b"0"),)), END, CLOSED),
        h11=True,
        why="obs-text in the reason phrase",
        tags=("status-line", "non-ascii"),
    ),
    _s(
        "http10_keep_alive_off",
        b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        accept(
            resp(headers=((b"content-length", b"2"),), version=b"1.0"), data(b"hi"), END, MUST_CLOSE
        ),
        h11=True,
        why="an HTTP/1.0 response ends the connection",
        tags=("version",),
    ),
    _s(
        "connection_close",
        OK + b"Connection: close\r\nContent-Length: 0\r\n\r\n",
        accept(
            resp(headers=((b"connection", b"close"), (b"content-length", b"0"))), END, MUST_CLOSE
        ),
        h11=True,
        why="Connection: close",
    ),
    _s(
        "pipelined_responses",
        OK + b"Content-Length: 1\r\n\r\na" + OK + b"Content-Length: 1\r\n\r\nb",
        accept(
            resp(headers=((b"content-length", b"1"),)),
            data(b"a"),
            END,
            resp(headers=((b"content-length", b"1"),)),
            data(b"b"),
            END,
            CLOSED,
        ),
        h11=True,
        why="keep-alive responses back to back",
        tags=("pipelining",),
    ),
    _s(
        "cl_te_both",
        OK + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKED,
        accept(resp(headers=((b"content-length", b"3"), *TE)), data(b"hello"), END, MUST_CLOSE),
        h11=False,
        why="chunked wins, and the connection must close",
        tags=("smuggling", "cl-te"),
    ),
    _s(
        "status_two_digits",
        b"HTTP/1.1 20 OK\r\n\r\n",
        reject(400),
        h11=True,
        why="3 digits",
        tags=("status-line",),
    ),
    _s(
        "status_four_digits",
        b"HTTP/1.1 2000 OK\r\n\r\n",
        reject(400),
        h11=True,
        why="3 digits",
        tags=("status-line",),
    ),
    _s(
        "status_not_digits",
        b"HTTP/1.1 2x0 OK\r\n\r\n",
        reject(400),
        h11=True,
        why="digits",
        tags=("status-line",),
    ),
    _s(
        "status_line_garbage",
        b"HTTP/1.1200 OK\r\n\r\n",
        reject(400),
        h11=True,
        why="SP",
        tags=("status-line",),
    ),
    _s(
        "version_2_0",
        b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        reject(505),
        h11=False,
        why="major version other than 1",
        tags=("version",),
    ),
    _s(
        "version_leading_zero_major",
        b"HTTP/01.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        reject(400),
        h11=True,
        why="HTTP-version is DIGIT.DIGIT: a syntax error (400), not 505",
        tags=("version", "status-line"),
    ),
    _s(
        "obs_fold_tolerated",
        OK + b"X-A: b\r\n  c\r\nContent-Length: 0\r\n\r\n",
        accept(resp(headers=((b"x-a", b"b c"), (b"content-length", b"0"))), END, CLOSED),
        h11=True,
        why="a user agent replaces obs-fold with SP (RFC 9112 5.2): tolerant for responses",
        tags=("obs-fold",),
    ),
    _s(
        "bare_lf_tolerated",
        b"HTTP/1.1 200 OK\nContent-Length: 0\n\n",
        accept(resp(headers=((b"content-length", b"0"),)), END, CLOSED),
        h11=True,
        why="bare LF line ends in a response are accepted (old servers)",
        tags=("line-ends",),
    ),
    _s(
        "chunked_end_bare_lf_tolerated",
        OK + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\n",
        accept(resp(headers=TE), data(b"hello"), END, CLOSED),
        h11=True,
        why="a bare LF blank line after a response's last chunk is tolerated, as in heads",
        tags=("chunked", "line-ends"),
    ),
    _s(
        "content_length_plus",
        OK + b"Content-Length: +5\r\n\r\nhello",
        reject(400),
        h11=True,
        why="not 1*DIGIT",
        tags=("content-length",),
    ),
    _s(
        "content_length_differing",
        OK + b"Content-Length: 5\r\nContent-Length: 4\r\n\r\nhello",
        reject(400),
        h11=True,
        why="conflicting lengths",
        tags=("content-length", "smuggling"),
    ),
    _s(
        "bare_cr_in_value",
        OK + b"X-A: a\rb\r\nContent-Length: 0\r\n\r\n",
        reject(400),
        h11=True,
        why="bare CR",
        tags=("line-ends",),
    ),
    _s(
        "value_nul",
        OK + b"X-A: a\x00\r\nContent-Length: 0\r\n\r\n",
        reject(400),
        h11=True,
        why="NUL",
        tags=("control",),
    ),
    _s(
        "value_soh",
        OK + b"X-A: \x01\r\nContent-Length: 0\r\n\r\n",
        accept(resp(headers=((b"x-a", b"\x01"), (b"content-length", b"0"))), END, CLOSED),
        h11=True,
        why="control bytes other than NUL, LF, VT, FF, CR are tolerated in responses (h11 #57)",
        tags=("control",),
    ),
    _s(
        "trailer_framing_fields_passed_on",
        OK + b"Transfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\nHost: a\r\n\r\n",
        accept(resp(headers=TE), end((b"content-length", b"5"), (b"host", b"a")), CLOSED),
        h11=True,
        why="a response's trailers are passed on as h11 does (only requests refuse these)",
        tags=("chunked", "trailers"),
    ),
    _s(
        "value_cookie_soh",
        OK + b"Set-Cookie: __utmv=kUd\x01UpAt\r\nContent-Length: 0\r\n\r\n",
        accept(
            resp(headers=((b"set-cookie", b"__utmv=kUd\x01UpAt"), (b"content-length", b"0"))),
            END,
            CLOSED,
        ),
        h11=True,
        why="the Google Analytics cookie that browsers and curl accept (http-core #683)",
        tags=("control",),
    ),
    _s(
        "value_del_escape",
        OK + b"X-A: \x1b[31m\x7f\r\nContent-Length: 0\r\n\r\n",
        accept(resp(headers=((b"x-a", b"\x1b[31m\x7f"), (b"content-length", b"0"))), END, CLOSED),
        h11=True,
        why="ESC and DEL are tolerated in responses, as h11 does",
        tags=("control",),
    ),
    _s(
        "value_vt",
        OK + b"X-A: a\x0bb\r\nContent-Length: 0\r\n\r\n",
        reject(400),
        h11=True,
        why="VT is refused in responses too, as h11 does",
        tags=("control",),
    ),
    _s(
        "value_ff",
        OK + b"X-A: a\x0cb\r\nContent-Length: 0\r\n\r\n",
        reject(400),
        h11=True,
        why="FF is refused in responses too, as h11 does",
        tags=("control",),
    ),
    _s(
        "reason_control_bytes",
        b"HTTP/1.1 200 O\x01K\x7f\r\nContent-Length: 0\r\n\r\n",
        accept(resp(reason=b"O\x01K\x7f", headers=((b"content-length", b"0"),)), END, CLOSED),
        h11=True,
        why="the reason phrase is as tolerant as field values",
        tags=("status-line", "control"),
    ),
    _s(
        "reason_nul",
        b"HTTP/1.1 200 O\x00K\r\nContent-Length: 0\r\n\r\n",
        reject(400),
        h11=True,
        why="NUL in a reason phrase",
        tags=("status-line", "control"),
    ),
    _s(
        "trailer_control_byte",
        OK + b"Transfer-Encoding: chunked\r\n\r\n0\r\nX-A: \x01\r\n\r\n",
        accept(resp(headers=TE), ("end", ((b"x-a", b"\x01"),)), CLOSED),
        h11=True,
        why="trailers follow the response header rules",
        tags=("trailers", "control"),
    ),
    _s(
        "chunk_ext_bare_cr",
        OK + b"Transfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n",
        accept(resp(headers=TE), data(b"hello"), END, CLOSED),
        h11=True,
        why="a response's chunk extensions are skipped up to CRLF, as h11 does",
        tags=("chunked",),
    ),
    *(
        _s(
            name,
            OK + b"Transfer-Encoding: chunked\r\n\r\n" + line + b"\r\nhello\r\n0\r\n\r\n",
            accept(resp(headers=TE), data(b"hello"), END, CLOSED),
            h11=h11,
            why=why,
            tags=("chunked",),
        )
        for name, line, h11, why in (
            ("chunk_size_trailing_space", b"5 ", True, "whitespace after the size (h11)"),
            ("chunk_size_trailing_htab", b"5\t", True, "whitespace after the size (h11)"),
            ("chunk_ext_bws", b"5 ; a = b", False, "BWS around ';' and '=' (RFC 9112 7.1.1)"),
            ("chunk_ext_bws_after_semicolon", b"5; a", True, "BWS after ';' (h11)"),
            ("chunk_ext_empty", b"5;", True, "no extension name (h11)"),
            ("chunk_ext_nul", b"5;a\x00", True, "extension bytes are skipped (h11)"),
            ("chunk_ext_non_ascii", b"5;a=\xff", True, "extension bytes are skipped (h11)"),
        )
    ),
    _s(
        "eof_in_body",
        OK + b"Content-Length: 10\r\n\r\nhello",
        reject(400, resp(headers=((b"content-length", b"10"),)), data(b"hello")),
        h11=True,
        why="EOF before Content-Length bytes arrived",
        tags=("incomplete",),
    ),
    _s(
        "oversize_head",
        OK + b"X-Big: " + b"a" * 2000 + b"\r\nContent-Length: 0\r\n\r\n",
        reject(431),
        h11=False,
        why="the head limit holds whatever the read size (h11 accepts it in one read)",
        tags=("oversize",),
        max_head_size=1024,
        h11_split=True,
    ),
)
