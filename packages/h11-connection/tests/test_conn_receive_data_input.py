"""``receive_data`` input as h11 0.16 takes it: bytes-like data, any empty value as EOF.

``receive_data`` is the reader's ``feed``: the rules live in h11_parser's receive buffer
(h11-parser's test_feed_input.py tests them on the standalone parsers).
"""

from __future__ import annotations

import array
from typing import Any

import h11_connection as h11
import pytest

REQUEST = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"


NOT_BYTES_LIKE = pytest.mark.parametrize("data", [5, True, "GET", [71, 69], (71,)], ids=repr)
BUFFERED = pytest.mark.parametrize("buffered", [b"", b"GE"], ids=["empty buffer", "data buffered"])


def receive_not_bytes_like(data: Any, buffered: bytes) -> pytest.ExceptionInfo[TypeError]:
    """The TypeError of ``receive_data(data)`` after ``buffered``, which it leaves as it was."""
    conn = h11.Connection(h11.SERVER)
    if buffered:
        conn.receive_data(buffered)
    with pytest.raises(TypeError, match=rf"\b{type(data).__name__}\b") as error:
        conn.receive_data(data)
    assert conn.trailing_data == (buffered, False)
    assert conn.their_state is h11.IDLE
    return error


@NOT_BYTES_LIKE
@BUFFERED
def test_data_that_is_not_bytes_like_is_a_type_error(data: Any, buffered: bytes) -> None:
    """h11 raises TypeError naming the type for these whatever is buffered (never
    ``bytes(5)``)."""
    receive_not_bytes_like(data, buffered)


@pytest.mark.ours_only  # h11 says "can't concat int to bytearray"
@NOT_BYTES_LIKE
@BUFFERED
def test_data_that_is_not_bytes_like_is_refused_saying_what_is_taken(
    data: Any, buffered: bytes
) -> None:
    error = receive_not_bytes_like(data, buffered)
    error.match(rf"bytes-like .*not {type(data).__name__}\b")


@pytest.mark.parametrize("empty", [None, "", 0, False, []], ids=repr)
def test_any_empty_value_is_eof(empty: Any) -> None:
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(empty)
    assert type(conn.next_event()) is h11.ConnectionClosed


@pytest.mark.parametrize("kind", [bytearray, memoryview, lambda b: array.array("B", b)])
def test_bytes_like_data_is_taken(kind: Any) -> None:
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(b"GET")
    conn.receive_data(kind(REQUEST[3:]))
    event = conn.next_event()
    assert type(event) is h11.Request
    assert event.target == b"/"


def receive_after_eof() -> pytest.ExceptionInfo[RuntimeError]:
    """The RuntimeError of data received after EOF, which leaves what came before."""
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(REQUEST)
    conn.receive_data(b"")
    with pytest.raises(RuntimeError) as error:
        conn.receive_data(b"GET")
    assert type(conn.next_event()) is h11.Request  # what was received is still there
    return error


def test_data_after_eof_is_a_runtime_error() -> None:
    receive_after_eof()


@pytest.mark.ours_only  # h11 says "received close, then received more data?"
def test_data_after_eof_says_what_happened_and_what_to_do() -> None:
    receive_after_eof().match(r"after EOF.*peer closed.*new parser or Connection")
