"""What ``feed()`` accepts: bytes-like data, EOF as any empty value, and nothing after EOF.

The receive buffer owns these rules, so the Connection's ``receive_data`` (the same
method) behaves alike (h11-connection's test_conn_receive_data_input.py).
"""

from __future__ import annotations

import array
from typing import Any

import pytest
from h11_events import NEED_DATA, ConnectionClosed, EndOfMessage, Request
from h11_parser import RequestParser, ResponseParser
from parser_support import request_head

NOT_BYTES_LIKE = [5, 0.5, True, "GET / HTTP/1.1\r\n", [71, 69], (71,), object()]


def parsers() -> list[RequestParser | ResponseParser]:
    return [RequestParser(), ResponseParser()]


@pytest.mark.parametrize("data", NOT_BYTES_LIKE, ids=repr)
@pytest.mark.parametrize("buffered", [b"", b"GE"], ids=["empty buffer", "data buffered"])
def test_data_that_is_not_bytes_like_is_a_type_error(data: Any, buffered: bytes) -> None:
    """As in h11: never ``bytes(5)`` (five NUL bytes) or a list of ints taken as bytes."""
    for parser in parsers():
        if buffered:
            parser.feed(buffered)
        with pytest.raises(TypeError, match=rf"bytes-like .*not {type(data).__name__}\b"):
            parser.feed(data)
        assert parser.trailing_data == (buffered, False)


def test_a_str_is_told_to_be_encoded() -> None:
    parser = RequestParser()
    with pytest.raises(TypeError, match=r"not str \(encode it first"):
        parser.feed("GET / HTTP/1.1\r\n")  # type: ignore[arg-type]


@pytest.mark.parametrize("empty", [b"", bytearray(), memoryview(b""), None, "", 0, False, []])
def test_any_empty_value_is_eof_as_in_h11(empty: Any) -> None:
    parser = RequestParser()
    parser.feed(request_head())
    parser.feed(empty)
    assert parser.trailing_data == (request_head(), True)


@pytest.mark.parametrize("kind", [bytearray, memoryview, lambda b: array.array("B", b)])
@pytest.mark.parametrize("buffered", [b"", b"GET"], ids=["empty buffer", "data buffered"])
def test_bytes_like_data_is_taken_as_its_bytes(kind: Any, buffered: bytes) -> None:
    parser = RequestParser()
    if buffered:
        parser.feed(buffered)
        assert parser.next_event() is NEED_DATA
    parser.feed(kind(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"[len(buffered) :]))
    event = parser.next_event()
    assert type(event) is Request
    assert (event.method, event.target) == (b"GET", b"/")
    assert type(parser.next_event()) is EndOfMessage


def test_a_wide_memoryview_is_taken_as_its_raw_bytes() -> None:
    """h11 takes any buffer's raw bytes, whatever its item format."""
    wide = memoryview(array.array("H", [0x4547])).cast("B").cast("H")  # b"GE" little-endian
    parser = RequestParser()
    parser.feed(wide)
    assert parser.trailing_data[0] == bytes(wide)


def test_data_after_eof_is_a_runtime_error_saying_what_happened() -> None:
    """RuntimeError, the type h11 raises for ``receive_data`` after ``b""``."""
    for parser in parsers():
        parser.feed(b"")
        with pytest.raises(RuntimeError, match=r"after EOF.*peer closed.*new parser"):
            parser.feed(b"GET")
        assert parser.trailing_data == (b"", True)
        assert type(parser.next_event()) is ConnectionClosed


def test_data_after_eof_fails_even_with_data_buffered() -> None:
    parser = RequestParser()
    parser.feed(b"GET / HT")
    parser.feed(b"")
    with pytest.raises(RuntimeError, match="after EOF"):
        parser.feed(bytearray(b"TP/1.1\r\n"))
    assert parser.trailing_data == (b"GET / HT", True)
