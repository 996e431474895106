"""Hypothesis strategies for valid HTTP/1.1 events, byte streams and mutations of them.

Needs the `hypothesis` extra (`pip install h11-testkit[hypothesis]`); nothing else in
h11_testkit imports this module, so the rest works without hypothesis.

The byte streams are serialised here, independently of the implementation under test,
and come with the events a correct parser must produce for them (`Message.events`,
with the body as one Data event: compare with `h11_testkit.pair.merge_data`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import h11_connection as h11
from h11_parser.engine import REQUEST_TRAILER_REFUSED
from hypothesis import strategies as st

TCHAR = b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
VCHAR = bytes(range(0x21, 0x7F))
OBS_TEXT = bytes(range(0x80, 0x100))
#: Field names whose meaning depends on framing or the connection; generated headers avoid
#: them so the stream's framing is exactly what the strategy chose.
RESERVED_NAMES = frozenset(
    {
        b"host",
        b"content-length",
        b"transfer-encoding",
        b"connection",
        b"upgrade",
        b"expect",
        b"te",
        b"trailer",
        b"keep-alive",
    }
)
METHODS = (b"GET", b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS")

Headers = list[tuple[bytes, bytes]]


def tokens(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[bytes]:
    """RFC 9110 tokens (method and field names)."""
    return (
        st.binary(min_size=min_size, max_size=max_size)
        .map(lambda raw: bytes(TCHAR[b % len(TCHAR)] for b in raw))
        .filter(lambda t: len(t) >= min_size)
    )


@st.composite
def field_names(draw: st.DrawFn) -> bytes:
    """A token that is not a framing or connection field, in random case."""
    name = draw(tokens().filter(lambda t: t.lower() not in RESERVED_NAMES))
    return name


@st.composite
def field_values(draw: st.DrawFn, *, obs_text: bool = True) -> bytes:
    """A valid field value: visible bytes (and obs-text) with inner SP/HTAB, no edge OWS."""
    alphabet = VCHAR + (OBS_TEXT if obs_text else b"")
    words = draw(
        st.lists(
            st.lists(st.sampled_from(list(alphabet)), min_size=1, max_size=12).map(bytes),
            max_size=4,
        )
    )
    seps = draw(
        st.lists(st.sampled_from([b" ", b"\t", b"  "]), min_size=len(words), max_size=len(words))
    )
    out = b""
    for i, word in enumerate(words):
        out += (seps[i] if i else b"") + word
    return out


@st.composite
def header_lists(draw: st.DrawFn, max_size: int = 8) -> Headers:
    """Extra headers (names not in RESERVED_NAMES, names in random case)."""
    return draw(st.lists(st.tuples(field_names(), field_values()), max_size=max_size))


@st.composite
def targets(draw: st.DrawFn) -> bytes:
    """origin-form request targets."""
    segments = draw(st.lists(tokens(max_size=8), max_size=4))
    path = b"/" + b"/".join(segments)
    if draw(st.booleans()):
        path += b"?" + draw(tokens(max_size=10))
    return path


@st.composite
def requests(draw: st.DrawFn) -> h11.Request:
    """Valid HTTP/1.1 Request events with Host and without framing headers."""
    headers = [(b"Host", b"example.com"), *draw(header_lists())]
    return h11.Request(
        method=draw(st.sampled_from(METHODS)), target=draw(targets()), headers=headers
    )


@st.composite
def responses(draw: st.DrawFn) -> h11.Response:
    """Valid final Response events (200-599 except 204/304) without framing headers."""
    status = draw(st.integers(200, 599).filter(lambda s: s not in (204, 304)))
    reason = draw(field_values(obs_text=False))
    return h11.Response(status_code=status, reason=reason, headers=draw(header_lists()))


def bodies(max_size: int = 200) -> st.SearchStrategy[bytes]:
    return st.binary(max_size=max_size)


@dataclass(frozen=True)
class Message:
    """Wire bytes of one or more messages and the events a parser must make of them."""

    data: bytes
    events: tuple[Any, ...]

    def __add__(self, other: Message) -> Message:
        return Message(self.data + other.data, self.events + other.events)


def _head(start_line: bytes, headers: Headers) -> bytes:
    return start_line + b"\r\n" + b"".join(n + b": " + v + b"\r\n" for n, v in headers) + b"\r\n"


@st.composite
def _framed_body(draw: st.DrawFn) -> tuple[Headers, bytes, Headers, bytes]:
    """(framing headers, body bytes on the wire, trailers, body) with random framing."""
    body = draw(bodies())
    if draw(st.booleans()):
        return [(b"Content-Length", str(len(body)).encode())], body, [], body
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=5)))
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=False) if b > a]
    wire = b""
    for piece in pieces:
        ext = draw(st.sampled_from([b"", b";x", b";x=y", b';q="a b"']))
        wire += b"%x" % len(piece) + ext + b"\r\n" + piece + b"\r\n"
    # Never a field a server refuses in a request's trailer section (RFC 9110 6.5.1).
    trailers = draw(
        header_lists(max_size=3).filter(
            lambda fields: not any(name.lower() in REQUEST_TRAILER_REFUSED for name, _ in fields)
        )
    )
    wire += b"0\r\n" + b"".join(n + b": " + v + b"\r\n" for n, v in trailers) + b"\r\n"
    return [(b"Transfer-Encoding", b"chunked")], wire, trailers, body


def _message(
    head_event: Any,
    start: bytes,
    headers: Headers,
    framed: tuple[Headers, bytes, Headers, bytes] | None,
) -> Message:
    events: list[Any] = [head_event]
    wire = b""
    trailers: Headers = []
    if framed is not None:
        _, wire, trailers, body = framed
        if body:
            events.append(h11.Data(data=body))
    events.append(h11.EndOfMessage(headers=trailers))
    return Message(_head(start, headers) + wire, tuple(events))


@st.composite
def request_messages(draw: st.DrawFn) -> Message:
    """One valid request with a random body framing (none, Content-Length or chunked)."""
    method = draw(st.sampled_from(METHODS))
    target = draw(targets())
    headers: Headers = [(b"Host", b"example.com"), *draw(header_lists())]
    framed = draw(st.none() | _framed_body())
    if framed is not None:
        headers += framed[0]
    event = h11.Request(method=method, target=target, headers=headers)
    return _message(event, method + b" " + target + b" HTTP/1.1", headers, framed)


@st.composite
def response_messages(draw: st.DrawFn) -> Message:
    """One valid response (200-599 except 204/304) with a Content-Length or chunked body."""
    status = draw(st.integers(200, 599).filter(lambda s: s not in (204, 304)))
    reason = draw(field_values(obs_text=False))
    framed = draw(_framed_body())
    headers: Headers = [*draw(header_lists()), *framed[0]]
    event = h11.Response(status_code=status, reason=reason, headers=headers)
    return _message(event, b"HTTP/1.1 %d " % status + reason, headers, framed)


@st.composite
def request_streams(draw: st.DrawFn, max_messages: int = 4) -> Message:
    """Several pipelined requests back to back."""
    return _back_to_back(draw(st.lists(request_messages(), min_size=1, max_size=max_messages)))


@st.composite
def response_streams(draw: st.DrawFn, max_messages: int = 4) -> Message:
    """Several keep-alive responses back to back (each answers a GET)."""
    return _back_to_back(draw(st.lists(response_messages(), min_size=1, max_size=max_messages)))


def _back_to_back(messages: list[Message]) -> Message:
    """One stream of the messages in order (``Message + Message`` joins two)."""
    total = messages[0]
    for message in messages[1:]:
        total = total + message
    return total


_NASTY = [
    b"\r",
    b"\n",
    b"\r\n",
    b"\x00",
    b"\x01",
    b"\x0b",
    b"\x7f",
    b"\xff",
    b" ",
    b"\t",
    b":",
    b";",
    b",",
    b"0",
    b"-",
    b"+",
    b"chunked",
    b"Content-Length: 1\r\n",
    b"Transfer-Encoding: chunked\r\n",
]


@st.composite
def mutations(draw: st.DrawFn, data: bytes, max_edits: int = 4) -> bytes:
    """`data` with a few edits: flipped, deleted, duplicated or inserted (often hostile) bytes.

    For robustness properties: a parser fed the result must produce events or a
    RemoteProtocolError, never another exception, and never loop.
    """
    out = bytearray(data)
    for _ in range(draw(st.integers(1, max_edits))):
        pos = draw(st.integers(0, len(out)))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "lf"]))
        if kind == "flip" and pos < len(out):
            out[pos] = draw(st.integers(0, 255))
        elif kind == "delete" and pos < len(out):
            del out[pos : pos + draw(st.integers(1, 4))]
        elif kind == "duplicate" and pos < len(out):
            out[pos:pos] = out[pos : pos + draw(st.integers(1, 16))]
        elif kind == "lf":
            at = out.find(b"\r\n", pos)
            if at >= 0:
                del out[at]
        else:
            out[pos:pos] = draw(st.sampled_from(_NASTY))
    return bytes(out)


@st.composite
def mutated_request_streams(draw: st.DrawFn) -> bytes:
    """Valid request streams after `mutations`: mostly invalid, always close to valid."""
    return draw(mutations(draw(request_streams(max_messages=2)).data))
