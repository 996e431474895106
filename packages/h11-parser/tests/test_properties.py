"""Hypothesis properties of the parsers and writers.

- Generated valid messages parse into exactly the events they were built from,
  whether the bytes arrive whole, byte by byte or in random pieces (Data events
  may be split differently, so consecutive Data payloads are joined first).
- Writer output parses back into the events that were written.
- Arbitrary or mutated bytes only ever raise RemoteProtocolError.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, RequestWriter, ResponseParser, ResponseWriter
from h11_parser.engine import REQUEST_TRAILER_REFUSED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parser_support import chunks_of, merge_data, run

TCHAR = b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Names whose presence changes framing or pausing: generated only on purpose.
RESERVED = {b"host", b"content-length", b"transfer-encoding", b"upgrade", b"connection", b"te"}
VALUE_BYTES = bytes([9, *range(0x20, 0x7F), *range(0x80, 0x100)])
TARGET_BYTES = bytes(range(0x21, 0x7F))

tokens = st.binary(min_size=1, max_size=12).map(
    lambda raw: bytes(TCHAR[b % len(TCHAR)] for b in raw)
)
field_names = tokens.filter(lambda name: name.lower() not in RESERVED)
field_values = st.binary(max_size=24).map(
    lambda raw: bytes(VALUE_BYTES[b % len(VALUE_BYTES)] for b in raw).strip(b" \t")
)
fields = st.lists(st.tuples(field_names, field_values), max_size=5)
methods = tokens.filter(lambda m: m.upper() != b"CONNECT")
targets = st.binary(max_size=20).map(
    lambda raw: b"/" + bytes(TARGET_BYTES[b % len(TARGET_BYTES)] for b in raw)
)
#: Chunk extensions of a request: no whitespace (llhttp strict).
request_chunk_exts = st.sampled_from([b"", b";a", b";a=b", b';q="x y"', b";k=v;z"])
#: A response's may hold whitespace and any bytes up to CRLF (as h11 reads them).
response_chunk_exts = st.sampled_from(
    [b"", b";a", b";a=b", b';q="x y"', b" ;k=v;z", b" ", b"\t", b"; a = b", b";", b";\x00\r"]
)
request_trailer_fields = st.lists(
    st.tuples(field_names.filter(lambda n: n.lower() not in REQUEST_TRAILER_REFUSED), field_values),
    max_size=5,
)
line_ends = st.sampled_from([b"\r\n", b"\r\n", b"\n"])


@dataclass
class Body:
    """How a generated message frames its body, and what the body is."""

    kind: str  # "none", "length", "chunked", "close"
    chunks: list[bytes]
    exts: list[bytes]
    trailers: list[tuple[bytes, bytes]]

    def framing(self) -> list[tuple[bytes, bytes]]:
        if self.kind == "length":
            return [(b"Content-Length", b"%d" % sum(map(len, self.chunks)))]
        if self.kind == "chunked":
            return [(b"Transfer-Encoding", b"chunked")]
        if self.kind == "close":
            return [(b"Connection", b"close")]
        return []

    def wire(self) -> bytes:
        if self.kind != "chunked":
            return b"".join(self.chunks)
        out = b"".join(
            b"%x%s\r\n%s\r\n" % (len(c), ext, c)
            for c, ext in zip(self.chunks, self.exts, strict=True)
        )
        trailer = b"".join(name + b": " + value + b"\r\n" for name, value in self.trailers)
        return out + b"0\r\n" + trailer + b"\r\n"

    def events(self) -> list[Any]:
        if self.kind == "chunked":
            data = [Data(data=c, chunk_start=True, chunk_end=True) for c in self.chunks]
            return [*data, EndOfMessage(headers=self.trailers)]
        data = [Data(data=c) for c in self.chunks if c]
        return [*data, EndOfMessage()]


@st.composite
def bodies(draw: st.DrawFn, *, kinds: tuple[str, ...], request: bool = False) -> Body:
    kind = draw(st.sampled_from(kinds))
    if kind == "none":
        return Body(kind, [], [], [])
    chunks = draw(st.lists(st.binary(min_size=1, max_size=40), max_size=4))
    exts = [draw(request_chunk_exts if request else response_chunk_exts) for _ in chunks]
    trailers: list[tuple[bytes, bytes]] = []
    if kind == "chunked":
        trailers = draw(request_trailer_fields if request else fields)
    return Body(kind, chunks, exts, trailers)


def head_bytes(start: bytes, items: list[tuple[bytes, bytes]], ends: list[bytes]) -> bytes:
    lines = [start, *(name + b": " + value for name, value in items), b""]
    return b"".join(line + ends[i % len(ends)] for i, line in enumerate(lines))


@st.composite
def request_messages(draw: st.DrawFn) -> tuple[bytes, list[Any]]:
    """One request on the wire and the events it must parse into."""
    method = draw(methods)
    target = draw(targets)
    body = draw(bodies(kinds=("none", "length", "chunked"), request=True))
    items = [(b"Host", b"example.com"), *draw(fields), *body.framing()]
    ends = [b"\r\n"]  # a request may not end lines with a bare LF (test_line_ends)
    lead = draw(st.sampled_from([b"", b"\r\n", b"\r\n\r\n"]))
    wire = lead + head_bytes(method + b" " + target + b" HTTP/1.1", items, ends) + body.wire()
    head = Request(method=method, target=target, headers=items)
    return wire, [head, *body.events()]


@st.composite
def request_streams(draw: st.DrawFn) -> tuple[bytes, list[Any], bool]:
    messages = draw(st.lists(request_messages(), min_size=1, max_size=3))
    eof = draw(st.booleans())
    wire = b"".join(m[0] for m in messages)
    events = [e for m in messages for e in m[1]]
    events.append(ConnectionClosed() if eof else NEED_DATA)
    return wire, events, eof


@st.composite
def response_streams(draw: st.DrawFn) -> tuple[bytes, list[Any], bool]:
    """Pipelined responses (to GET), each maybe after 1xx; the last may be close-delimited."""
    count = draw(st.integers(min_value=1, max_value=3))
    wire = b""
    events: list[Any] = []
    eof = False
    for index in range(count):
        for status in draw(st.lists(st.sampled_from([100, 102, 103, 199]), max_size=2)):
            items = draw(fields)
            wire += head_bytes(b"HTTP/1.1 %d Info" % status, items, [b"\r\n"])
            events.append(InformationalResponse(status_code=status, reason=b"Info", headers=items))
        last = index == count - 1
        body = draw(bodies(kinds=("length", "chunked", "close") if last else ("length", "chunked")))
        status = draw(
            st.integers(min_value=200, max_value=599).filter(lambda s: s not in (204, 304))
        )
        reason = draw(st.sampled_from([b"OK", b"", b"Some Reason", b"caf\xe9"]))
        items = [*draw(fields), *body.framing()]
        ends = draw(st.lists(line_ends, min_size=1, max_size=3))
        wire += head_bytes(b"HTTP/1.1 %d %s" % (status, reason), items, ends) + body.wire()
        events.append(Response(status_code=status, reason=reason, headers=items))
        events.extend(body.events())
        eof = body.kind == "close" or draw(st.booleans())
    events.append(ConnectionClosed() if eof else NEED_DATA)
    return wire, events, eof


def chunk_layout(events: list[Any]) -> list[tuple[str, Any]]:
    """Per message: the wire chunks of a chunked body, or the plain body (no chunk marks)."""
    layout: list[tuple[str, Any]] = []
    data: list[Data] = []
    chunked = False
    for event in [*events, None]:
        if type(event) is Data:
            data.append(event)
            continue
        if type(event) in (Request, Response, type(None)):
            if layout or data:
                if chunked:
                    layout.append(("chunked", chunks_of(data)))
                else:
                    assert not any(d.chunk_start or d.chunk_end for d in data)
                    layout.append(("plain", b"".join(d.data for d in data)))
            data = []
            if event is not None:
                codings = [v.lower() for v in event.headers.get_all(b"transfer-encoding")]
                chunked = b"chunked" in codings
    return layout


@st.composite
def pieces_of(draw: st.DrawFn, data: bytes) -> list[bytes]:
    """``data`` whole, byte by byte, or cut at random points."""
    how = draw(st.sampled_from(["whole", "bytes", "random", "random"]))
    if how == "whole" or not data:
        return [data]
    if how == "bytes":
        return [data[i : i + 1] for i in range(len(data))]
    cuts = draw(st.lists(st.integers(min_value=0, max_value=len(data)), max_size=12))
    points = sorted({0, len(data), *cuts})
    return [data[a:b] for a, b in pairwise(points)]


@given(stream=request_streams(), data=st.data())
def test_generated_requests_parse_into_their_events(
    stream: tuple[bytes, list[Any], bool], data: st.DataObject
) -> None:
    wire, expected, eof = stream
    pieces = data.draw(pieces_of(wire))
    got = run(RequestParser(), pieces, eof=eof)
    assert merge_data(got) == merge_data(expected)
    assert chunk_layout(got) == chunk_layout(expected)
    whole = run(RequestParser(), [wire], eof=eof)
    assert merge_data(whole) == merge_data(got)


@given(stream=response_streams(), data=st.data())
def test_generated_responses_parse_into_their_events(
    stream: tuple[bytes, list[Any], bool], data: st.DataObject
) -> None:
    wire, expected, eof = stream
    pieces = data.draw(pieces_of(wire))
    got = run(ResponseParser(), pieces, eof=eof)
    assert merge_data(got) == merge_data(expected)
    assert chunk_layout(got) == chunk_layout(expected)
    whole = run(ResponseParser(), [wire], eof=eof)
    assert merge_data(whole) == merge_data(got)


@given(stream=request_streams(), data=st.data())
def test_data_events_never_exceed_what_was_fed_or_declared(
    stream: tuple[bytes, list[Any], bool], data: st.DataObject
) -> None:
    wire, expected, _eof = stream
    pieces = data.draw(pieces_of(wire))
    parser = RequestParser()
    fed = 0
    received = 0
    for piece in pieces:
        parser.feed(piece)
        fed += len(piece)
        for event in run_until_blocked(parser):
            if type(event) is Data:
                assert type(event.data) is bytes
                received += len(event.data)
                assert received <= fed
    declared = sum(len(e.data) for e in expected if type(e) is Data)
    assert received == declared


def run_until_blocked(parser: RequestParser) -> list[Any]:
    out: list[Any] = []
    for _ in range(10_000):
        event = parser.next_event()
        if event is NEED_DATA or event is PAUSED:
            return out
        out.append(event)
    raise AssertionError("unbounded events")


# ---- writer -> parser round trips ---------------------------------------------------------------


@given(
    method=methods,
    target=targets,
    items=fields,
    body=bodies(kinds=("none", "length", "chunked"), request=True),
    repeat=st.integers(min_value=1, max_value=3),
)
def test_request_writer_round_trip(
    method: bytes, target: bytes, items: list[tuple[bytes, bytes]], body: Body, repeat: int
) -> None:
    head = Request(method=method, target=target, headers=[(b"Host", b"h"), *items, *body.framing()])
    events = [head, *[Data(data=c) for c in body.chunks], body.events()[-1]] * repeat
    writer = RequestWriter()
    wire = b"".join(writer.send(event) for event in events)
    got = run(RequestParser(), [wire])
    expected = [head, *body.events()] * repeat + [NEED_DATA]
    assert merge_data(got) == merge_data(expected)
    if body.kind == "chunked":
        assert chunks_of(got) == body.chunks * repeat


@given(
    status=st.integers(min_value=200, max_value=599).filter(lambda s: s not in (204, 304)),
    informational=st.lists(st.sampled_from([100, 103]), max_size=2),
    items=fields,
    body=bodies(kinds=("length", "chunked", "close")),
)
def test_response_writer_round_trip(
    status: int, informational: list[int], items: list[tuple[bytes, bytes]], body: Body
) -> None:
    interim = [InformationalResponse(status_code=s, headers=items) for s in informational]
    head = Response(status_code=status, reason=b"R", headers=[*items, *body.framing()])
    writer = ResponseWriter()
    sent = [*interim, head, *[Data(data=c) for c in body.chunks], body.events()[-1]]
    wire = b"".join(writer.send(event) for event in sent)
    eof = body.kind == "close"
    got = run(ResponseParser(), [wire], eof=eof)
    expected = [*interim, head, *body.events(), ConnectionClosed() if eof else NEED_DATA]
    assert merge_data(got) == merge_data(expected)


# ---- garbage in: only RemoteProtocolError out ------------------------------------------------


def feed_garbage(parser: RequestParser | ResponseParser, pieces: list[bytes], eof: bool) -> None:
    """Feed and drain; any exception but RemoteProtocolError escapes and fails the test."""
    caught: RemoteProtocolError | None = None
    try:
        for piece in [*pieces, *([b""] if eof else [])]:
            parser.feed(piece)
            for _ in range(10_000):
                event = parser.next_event()
                if event is PAUSED and isinstance(parser, RequestParser):
                    parser.resume()
                    continue
                if event is NEED_DATA or event is PAUSED or type(event) is ConnectionClosed:
                    break
            else:
                raise AssertionError("parser produced events without end")
    except RemoteProtocolError as error:
        caught = error
    if caught is not None:
        assert isinstance(caught.error_status_hint, int)
        assert 400 <= caught.error_status_hint <= 599
        assert str(caught)


@st.composite
def mutated(draw: st.DrawFn, messages: st.SearchStrategy[tuple[bytes, list[Any], bool]]) -> bytes:
    """A valid stream with a few bytes replaced, inserted or removed."""
    wire = bytearray(draw(messages)[0])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        where = draw(st.integers(min_value=0, max_value=len(wire)))
        what = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = draw(
            st.sampled_from([0, 9, 10, 13, 32, 34, 44, 48, 58, 59, 127, 255]) | st.integers(0, 255)
        )
        if what == "insert":
            wire.insert(where, byte)
        elif where < len(wire):
            if what == "replace":
                wire[where] = byte
            else:
                del wire[where]
    return bytes(wire)


garbage = st.one_of(
    st.binary(max_size=300),
    mutated(request_streams()),
    mutated(response_streams()),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(blob=garbage, eof=st.booleans(), data=st.data())
def test_request_parser_only_raises_remote_protocol_error(
    blob: bytes, eof: bool, data: st.DataObject
) -> None:
    feed_garbage(RequestParser(max_head_size=256), data.draw(pieces_of(blob)), eof)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    blob=garbage,
    eof=st.booleans(),
    method=st.sampled_from([b"GET", b"HEAD", b"CONNECT", b"POST"]),
    data=st.data(),
)
def test_response_parser_only_raises_remote_protocol_error(
    blob: bytes, eof: bool, method: bytes, data: st.DataObject
) -> None:
    parser = ResponseParser(request_method=method, max_head_size=256)
    feed_garbage(parser, data.draw(pieces_of(blob)), eof)
