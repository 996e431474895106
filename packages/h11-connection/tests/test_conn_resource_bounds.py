"""Resource bounds of a Connection: what a peer can make us buffer or allocate.

Arbitrary bytes, in reads of any size, must end in events or a
RemoteProtocolError (nothing else), and while the connection waits for more
data it holds at most ``max_incomplete_event_size`` plus one read. Bodies are
streamed: the memory peak of a 4N MiB body is the peak of an N MiB one.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import h11_connection as h11
import pytest
from hypothesis import given
from hypothesis import strategies as st

#: next_event calls per read before a receiver counts as stuck.
MAX_EVENTS = 10_000
MIB = 1024 * 1024
PIECE = 64 * 1024
#: Allowed growth of the tracemalloc peak from N to 4N MiB: far below one MiB.
PEAK_SLACK = 256 * 1024

HEAD_BYTES = [
    b"GET / HTTP/1.1\r\n",
    b"POST /x HTTP/1.0\r\n",
    b"HTTP/1.1 200 OK\r\n",
    b"HTTP/1.1 100 Continue\r\n",
    b"Host: a\r\n",
    b"Content-Length: 3\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"Connection: close\r\n",
    b"X: \tv \r\n",
    b"\r\n",
    b"\n",
    b"\r",
    b"5\r\n",
    b"0\r\n",
    b"abc",
    b" ",
    b":",
    b";",
    b"\x00",
    b"\xff",
]
#: Bytes that are mostly HTTP-shaped, so parsing goes deep before failing.
http_ish = st.lists(
    st.one_of(st.sampled_from(HEAD_BYTES), st.binary(max_size=12)), max_size=40
).map(b"".join)
limits = st.sampled_from([16, 64, 200, 16384])


def new_connection(role: Any, limit: int) -> h11.Connection:
    """A connection able to receive: a client first sends a GET."""
    conn = h11.Connection(role, max_incomplete_event_size=limit)
    if role is h11.CLIENT:
        conn.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
        conn.send(h11.EndOfMessage())
    return conn


def cut(data: bytes, sizes: list[int]) -> list[bytes]:
    """``data`` in reads of the given sizes (cycled)."""
    pieces, pos, index = [], 0, 0
    while pos < len(data):
        size = sizes[index % len(sizes)]
        pieces.append(data[pos : pos + size])
        pos += size
        index += 1
    return pieces


def feed_checking_bounds(conn: h11.Connection, pieces: list[bytes], limit: int) -> None:
    """Feed ``pieces`` then EOF; assert the buffer bound whenever NEED_DATA comes.

    Returns at PAUSED (the caller owns the bytes after a switch), ConnectionClosed
    or a RemoteProtocolError; anything else that escapes fails the test.
    """
    error: h11.RemoteProtocolError | None = None
    for piece in [*pieces, b""]:
        conn.receive_data(piece)
        for _ in range(MAX_EVENTS):
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                error = exc
                break
            if event is h11.NEED_DATA:
                assert len(conn.trailing_data[0]) <= limit + len(piece)
                break
            if event is h11.PAUSED or type(event) is h11.ConnectionClosed:
                return
            if type(event) is h11.EndOfMessage and conn.our_state is h11.SEND_RESPONSE:
                conn.send(h11.Response(status_code=404, headers=[("Content-Length", "0")]))
                conn.send(h11.EndOfMessage())
            if conn.states == {h11.CLIENT: h11.DONE, h11.SERVER: h11.DONE}:
                conn.start_next_cycle()
                if conn.our_role is h11.CLIENT:
                    conn.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
                    conn.send(h11.EndOfMessage())
        else:
            pytest.fail("the connection never asked for more data")
        if error is not None:
            assert str(error)
            assert 400 <= error.error_status_hint <= 599
            assert conn.their_state is h11.ERROR
            return
    pytest.fail("EOF did not end the stream")


@pytest.mark.parametrize("role", [h11.SERVER, h11.CLIENT], ids=["server", "client"])
@given(
    data=st.one_of(http_ish, st.binary(max_size=300)),
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=5),
    limit=limits,
)
def test_arbitrary_bytes_only_raise_remote_errors_and_stay_bounded(
    role: Any, data: bytes, sizes: list[int], limit: int
) -> None:
    feed_checking_bounds(new_connection(role, limit), cut(data, sizes), limit)


def refuse_endless(conn: h11.Connection, piece: bytes, limit: int) -> h11.RemoteProtocolError:
    """Feed ``piece`` until refused, asserting the bound; the error that came."""
    for _ in range(10 * limit):
        conn.receive_data(piece)
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError as exc:
            return exc
        assert event is h11.NEED_DATA
        assert len(conn.trailing_data[0]) <= limit + len(piece)
    pytest.fail("endless input was never refused")


@pytest.mark.parametrize("role", [h11.SERVER, h11.CLIENT], ids=["server", "client"])
@given(
    filler=st.sampled_from([b"a", b"X: y\r\n", b"GET", b" "]),
    count=st.integers(1, 300),
    limit=st.sampled_from([32, 100, 512]),
)
def test_endless_head_is_refused_within_limit_plus_one_read(
    role: Any, filler: bytes, count: int, limit: int
) -> None:
    """A head that never ends is refused, never buffered; 431 for a request."""
    conn = new_connection(role, limit)
    conn.receive_data(b"GET / HTTP/1.1\r\n" if role is h11.SERVER else b"HTTP/1.1 200 OK\r\n")
    assert conn.next_event() is h11.NEED_DATA
    exc = refuse_endless(conn, filler * count, limit)
    if role is h11.SERVER:
        assert exc.error_status_hint == 431


@pytest.mark.differs_from_h11
@given(
    filler=st.sampled_from([b"\r\n", b"\n"]),
    count=st.integers(1, 300),
    limit=st.sampled_from([32, 100, 512]),
)
def test_endless_empty_lines_before_a_request_are_refused(
    filler: bytes, count: int, limit: int
) -> None:
    """Empty lines before a request line are ignored but count against the limit."""
    conn = new_connection(h11.SERVER, limit)
    assert refuse_endless(conn, filler * count, limit).error_status_hint == 431


@pytest.mark.parametrize("role", [h11.SERVER, h11.CLIENT], ids=["server", "client"])
@given(
    filler=st.sampled_from([b"X: y\r\n", b"a"]),
    size=st.integers(0, 300),
    limit=st.sampled_from([64, 100, 512]),
)
def test_endless_trailers_are_refused_within_limit_plus_one_read(
    role: Any, filler: bytes, size: int, limit: int
) -> None:
    conn = new_connection(role, limit)
    head = (
        b"POST / HTTP/1.1\r\nHost: a\r\n" if role is h11.SERVER else b"HTTP/1.1 200 OK\r\n"
    ) + b"Transfer-Encoding: chunked\r\n\r\n0\r\n"
    conn.receive_data(head)
    assert type(conn.next_event()) in (h11.Request, h11.Response)
    assert conn.next_event() is h11.NEED_DATA
    refuse_endless(conn, filler * (size // len(filler) + 1), limit)


@pytest.mark.parametrize("role", [h11.SERVER, h11.CLIENT], ids=["server", "client"])
@pytest.mark.parametrize("filler", [b"1", b"0", b";", b"a", b" "])
def test_chunk_size_line_cannot_grow_without_bound(role: Any, filler: bytes) -> None:
    limit = 200
    conn = new_connection(role, limit)
    head = (
        b"POST / HTTP/1.1\r\nHost: a\r\n" if role is h11.SERVER else b"HTTP/1.1 200 OK\r\n"
    ) + b"Transfer-Encoding: chunked\r\n\r\n1;x"
    conn.receive_data(head)
    assert type(conn.next_event()) in (h11.Request, h11.Response)
    for _ in range(10 * limit):
        conn.receive_data(filler)
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError:
            return
        assert event is h11.NEED_DATA
        assert len(conn.trailing_data[0]) <= limit + 1
    pytest.fail("an endless chunk size line was never refused")


# -- streaming memory -------------------------------------------------------------------


def _stream_peak(role: Any, framing: str, mib: int) -> int:
    """tracemalloc peak while a ``mib`` MiB body streams through in 64 KiB reads."""
    total = mib * MIB
    conn = new_connection(role, 16384)
    start = b"POST / HTTP/1.1\r\nHost: a\r\n" if role is h11.SERVER else b"HTTP/1.1 200 OK\r\n"
    if framing == "length":
        head = start + b"Content-Length: %d\r\n\r\n" % total
        piece = b"x" * PIECE
        tail = b""
    else:
        head = start + b"Transfer-Encoding: chunked\r\n\r\n"
        piece = b"%x\r\n" % PIECE + b"x" * PIECE + b"\r\n"
        tail = b"0\r\n\r\n"
    conn.receive_data(head)
    assert type(conn.next_event()) in (h11.Request, h11.Response)
    received = 0
    tracemalloc.start()
    try:
        for _ in range(total // PIECE):
            conn.receive_data(piece)
            for _ in range(MAX_EVENTS):
                event = conn.next_event()
                if type(event) is not h11.Data:
                    break
                received += len(event.data)
                event = h11.NEED_DATA  # drop the body piece before the next read
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    conn.receive_data(tail)
    while event is h11.NEED_DATA or type(event) is h11.Data:
        event = conn.next_event()
        if type(event) is h11.Data:
            received += len(event.data)
    assert type(event) is h11.EndOfMessage
    assert received == total
    return peak


@pytest.mark.parametrize("role", [h11.SERVER, h11.CLIENT], ids=["server", "client"])
@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_streamed_body_memory_peak_does_not_grow_with_body_size(role: Any, framing: str) -> None:
    small = _stream_peak(role, framing, 16)
    large = _stream_peak(role, framing, 64)
    assert large <= small + PEAK_SLACK, (small, large)
    # And the peak is a few reads' worth, not the body.
    assert large < 8 * PIECE
