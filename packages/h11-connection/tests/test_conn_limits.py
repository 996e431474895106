"""max_incomplete_event_size bounds the bytes buffered for one head."""

from __future__ import annotations

import h11_connection as h11
import pytest

LIMIT = 100


def head_of_size(size: int) -> bytes:
    """A valid request head of exactly ``size`` bytes."""
    start = b"GET / HTTP/1.1\r\nHost: a\r\nX: "
    head = start + b"v" * (size - len(start) - 4) + b"\r\n\r\n"
    assert len(head) == size
    return head


def split_feed(conn: h11.Connection, data: bytes, step: int) -> object:
    """Feed ``data`` in ``step``-byte reads; return the first non-NEED_DATA event."""
    for i in range(0, len(data), step):
        conn.receive_data(data[i : i + step])
        event = conn.next_event()
        if event is not h11.NEED_DATA:
            return event
    return h11.NEED_DATA


@pytest.mark.parametrize("step", [1, 7, 50, LIMIT])
def test_head_within_limit_accepted_whatever_the_read_sizes(step: int) -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    assert type(split_feed(conn, head_of_size(LIMIT), step)) is h11.Request


@pytest.mark.parametrize("step", [1, 10, 60])
def test_oversize_head_in_pieces_is_431(step: int) -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    data = head_of_size(3 * LIMIT)[:-4]  # never complete, so the limit must decide
    with pytest.raises(h11.RemoteProtocolError) as info:
        split_feed(conn, data, step)
    assert info.value.error_status_hint == 431
    assert conn.their_state is h11.ERROR


def test_oversize_incomplete_head_in_one_read_is_431() -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    conn.receive_data(head_of_size(3 * LIMIT)[:-4])
    with pytest.raises(h11.RemoteProtocolError) as info:
        conn.next_event()
    assert info.value.error_status_hint == 431


@pytest.mark.differs_from_h11
def test_oversize_complete_head_in_one_read_is_431() -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    conn.receive_data(head_of_size(3 * LIMIT))
    with pytest.raises(h11.RemoteProtocolError) as info:
        conn.next_event()
    assert info.value.error_status_hint == 431


@pytest.mark.differs_from_h11
def test_oversize_complete_head_pipelined_is_431() -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    conn.receive_data(head_of_size(3 * LIMIT) + head_of_size(50))
    with pytest.raises(h11.RemoteProtocolError) as info:
        conn.next_event()
    assert info.value.error_status_hint == 431


@pytest.mark.differs_from_h11
def test_oversize_response_head_in_one_read_rejected() -> None:
    client = h11.Connection(h11.CLIENT, max_incomplete_event_size=LIMIT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(h11.EndOfMessage())
    client.receive_data(b"HTTP/1.1 200 OK\r\nX: " + b"v" * 300 + b"\r\nContent-Length: 0\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        client.next_event()


def test_oversize_response_head_in_pieces_rejected() -> None:
    client = h11.Connection(h11.CLIENT, max_incomplete_event_size=LIMIT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(h11.EndOfMessage())
    with pytest.raises(h11.RemoteProtocolError):
        split_feed(client, b"HTTP/1.1 200 OK\r\nX: " + b"v" * 300, 40)


def test_body_bytes_do_not_count_against_the_limit() -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    conn.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + b"x" * 1000)
    events = [conn.next_event() for _ in range(3)]
    assert [type(e) for e in events] == [h11.Request, h11.Data, h11.EndOfMessage]
    assert isinstance(events[1], h11.Data)
    assert events[1].data == b"x" * 1000


def test_limit_applies_to_each_head_separately() -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    for _ in range(3):
        assert type(split_feed(conn, head_of_size(LIMIT - 10), 9)) is h11.Request
        assert type(conn.next_event()) is h11.EndOfMessage
        conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
        conn.send(h11.EndOfMessage())
        conn.start_next_cycle()


@pytest.mark.differs_from_h11
def test_empty_lines_before_request_count_toward_the_limit() -> None:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    conn.receive_data(b"\r\n" * LIMIT + b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError) as info:
        conn.next_event()
    assert info.value.error_status_hint == 431
