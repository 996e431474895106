"""Resource bounds of the standalone parsers: buffering and memory a peer can cause.

A head (start line and field lines, with any empty lines before a request
line) or a trailer section is accepted up to ``max_head_size`` bytes, the empty
line that ends it not counted, and refused beyond, however the bytes are split;
a chunk size line cannot grow without bound; while waiting for data a parser
holds at most the limit plus one read; bodies stream in flat memory.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, ResponseParser
from hypothesis import given
from hypothesis import strategies as st

MAX_EVENTS = 10_000
MIB = 1024 * 1024
PIECE = 64 * 1024
#: Allowed growth of the tracemalloc peak from N to 4N MiB: far below one MiB.
PEAK_SLACK = 256 * 1024

Parser = RequestParser | ResponseParser


def make(kind: str, limit: int) -> Parser:
    return RequestParser(limit) if kind == "request" else ResponseParser(max_head_size=limit)


def pieces_of(data: bytes, cuts: list[int]) -> list[bytes]:
    """``data`` cut at the given positions (taken modulo its length + 1)."""
    points = sorted({c % (len(data) + 1) for c in cuts})
    out, start = [], 0
    for point in [*points, len(data)]:
        if point > start:
            out.append(data[start:point])
            start = point
    return out


def feed(parser: Parser, pieces: list[bytes], limit: int) -> list[Any]:
    """Events from ``pieces`` (no EOF), asserting the buffer bound at every NEED_DATA.

    A RemoteProtocolError is returned as the last element instead of raised.
    """
    events: list[Any] = []
    for piece in pieces:
        parser.feed(piece)
        for _ in range(MAX_EVENTS):
            try:
                event = parser.next_event()
            except RemoteProtocolError as exc:
                events.append(exc)
                return events
            if event is NEED_DATA:
                assert len(parser.trailing_data[0]) <= limit + len(piece)
                break
            if event is PAUSED:
                parser.resume()
                continue
            events.append(event)
        else:
            pytest.fail("the parser never asked for more data")
    return events


def head_of_size(kind: str, size: int, *, empty_lines: int = 0) -> bytes:
    """A complete head of ``size`` bytes before its final empty line (leading ones included)."""
    start = b"\r\n" * empty_lines
    start += b"GET / HTTP/1.1\r\nHost: a\r\n" if kind == "request" else b"HTTP/1.1 200 OK\r\n"
    start += b"Content-Length: 0\r\nX: "
    padding = size - len(start) - 2
    assert padding >= 0
    return start + b"v" * padding + b"\r\n\r\n"


@pytest.mark.parametrize("kind", ["request", "response"])
@given(
    limit=st.integers(64, 400),
    over=st.integers(-8, 8),
    empty_lines=st.integers(0, 3),
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
)
def test_head_accepted_up_to_the_limit_and_refused_beyond_for_any_split(
    kind: str, limit: int, over: int, empty_lines: int, cuts: list[int]
) -> None:
    if kind == "response":
        empty_lines = 0  # RFC 9112 2.2 lets a server ignore them before a request only
    data = head_of_size(kind, limit + over, empty_lines=empty_lines)
    events = feed(make(kind, limit), pieces_of(data, cuts), limit)
    if over <= 0:
        assert [type(e) for e in events] == [
            Request if kind == "request" else Response,
            EndOfMessage,
        ]
    else:
        assert len(events) == 1
        assert isinstance(events[0], RemoteProtocolError)
        if kind == "request":
            assert events[0].error_status_hint == 431


@pytest.mark.parametrize("kind", ["request", "response"])
@given(
    limit=st.integers(64, 400),
    over=st.integers(-8, 8),
    cuts=st.lists(st.integers(0, 10_000), max_size=6),
)
def test_trailers_accepted_up_to_the_limit_and_refused_beyond_for_any_split(
    kind: str, limit: int, over: int, cuts: list[int]
) -> None:
    head = (
        b"POST / HTTP/1.1\r\nHost: a\r\n" if kind == "request" else b"HTTP/1.1 200 OK\r\n"
    ) + b"Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n"
    size = limit + over  # of the trailer field lines, without the final empty line
    trailers = b"X: " + b"v" * (size - 5) + b"\r\n\r\n"
    assert len(trailers) == size + 2
    events = feed(make(kind, limit), [head, *pieces_of(trailers, cuts)], limit)
    types = [type(e) for e in events]
    assert types[:2] == [Request if kind == "request" else Response, Data]
    if over <= 0:
        assert types[2:] == [EndOfMessage]
        assert list(events[2].headers) == [(b"x", b"v" * (size - 5))]
    else:
        assert types[2:-1] == []
        assert isinstance(events[-1], RemoteProtocolError)


@pytest.mark.parametrize("kind", ["request", "response"])
@pytest.mark.parametrize("filler", [b"1", b"0", b";", b"a", b" ", b"\t"])
@given(limit=st.sampled_from([32, 200, 16384]), read=st.integers(1, 100))
def test_chunk_size_line_cannot_grow_without_bound(
    kind: str, filler: bytes, limit: int, read: int
) -> None:
    head = (
        b"POST / HTTP/1.1\r\nHost: a\r\n" if kind == "request" else b"HTTP/1.1 200 OK\r\n"
    ) + b"Transfer-Encoding: chunked\r\n\r\n1;x"
    parser = make(kind, max(limit, 128))
    events = feed(parser, [head], limit)
    assert len(events) == 1
    for _ in range(4 * max(limit, 128) // read + 2):
        events = feed(parser, [filler * read], max(limit, 128))
        if events:
            assert len(events) == 1
            assert isinstance(events[0], RemoteProtocolError)
            return
    pytest.fail("an endless chunk size line was never refused")


@pytest.mark.parametrize("kind", ["request", "response"])
@given(
    data=st.binary(max_size=400),
    cuts=st.lists(st.integers(0, 10_000), max_size=8),
    limit=st.sampled_from([16, 64, 16384]),
)
def test_arbitrary_bytes_only_raise_remote_errors_and_stay_bounded(
    kind: str, data: bytes, cuts: list[int], limit: int
) -> None:
    parser = make(kind, limit)
    events = feed(parser, pieces_of(data, cuts), limit)
    if events and isinstance(events[-1], RemoteProtocolError):
        assert str(events[-1])
        assert 400 <= events[-1].error_status_hint <= 599
        with pytest.raises(RemoteProtocolError):
            parser.next_event()  # a failed parser stays failed
        return
    parser.feed(b"")
    for _ in range(MAX_EVENTS):
        try:
            event = parser.next_event()
        except RemoteProtocolError:
            return
        if event is PAUSED:
            parser.resume()
            continue
        assert event is not NEED_DATA
        if type(event) is ConnectionClosed:
            return
    pytest.fail("EOF did not end the stream")


# -- streaming memory -------------------------------------------------------------------


def _stream_peak(kind: str, framing: str, mib: int) -> int:
    """tracemalloc peak while a ``mib`` MiB body streams through in 64 KiB reads."""
    total = mib * MIB
    parser = make(kind, 16384)
    start = b"POST / HTTP/1.1\r\nHost: a\r\n" if kind == "request" else b"HTTP/1.1 200 OK\r\n"
    if framing == "length":
        parser.feed(start + b"Content-Length: %d\r\n\r\n" % total)
        piece = b"x" * PIECE
        tail = b""
    else:
        parser.feed(start + b"Transfer-Encoding: chunked\r\n\r\n")
        piece = b"%x\r\n" % PIECE + b"x" * PIECE + b"\r\n"
        tail = b"0\r\n\r\n"
    assert type(parser.next_event()) in (Request, Response)
    received = 0
    event: Any = None
    tracemalloc.start()
    try:
        for _ in range(total // PIECE):
            parser.feed(piece)
            for _ in range(MAX_EVENTS):
                event = parser.next_event()
                if type(event) is not Data:
                    break
                received += len(event.data)
                event = None  # drop the body piece before the next read
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if tail:
        parser.feed(tail)
    for _ in range(MAX_EVENTS):
        if type(event) is EndOfMessage:
            break
        event = parser.next_event()
        if type(event) is not Data:
            break
        received += len(event.data)
    assert type(event) is EndOfMessage
    assert received == total
    return peak


@pytest.mark.parametrize("kind", ["request", "response"])
@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_streamed_body_memory_peak_does_not_grow_with_body_size(kind: str, framing: str) -> None:
    small = _stream_peak(kind, framing, 16)
    large = _stream_peak(kind, framing, 64)
    assert large <= small + PEAK_SLACK, (small, large)
    assert large < 8 * PIECE  # a few reads' worth, not the body
