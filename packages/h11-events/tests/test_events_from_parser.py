"""The parsers' unchecked constructors must give events equal to validated ones."""

from __future__ import annotations

import dataclasses

import pytest
from h11_events import (
    Data,
    EndOfMessage,
    Headers,
    InformationalResponse,
    Request,
    Response,
)

Fields = list[tuple[bytes, bytes]]


def parsed(raw: Fields) -> tuple[Fields, Fields]:
    """Fields as a parser passes them: lowercased items and the raw pairs."""
    return [(n.lower(), v) for n, v in raw], list(raw)


def parsed_headers(raw: Fields) -> Headers:
    """Headers as a parser builds them: lowercased items plus raw pairs."""
    return Headers._from_parsed(*parsed(raw))


def test_request_from_parser_equals_validated() -> None:
    raw = [(b"Host", b"a"), (b"X-Foo", b"bar")]
    fast = Request._from_parser(b"POST", *parsed(raw), b"/p", b"1.1")
    slow = Request(method=b"POST", headers=raw, target=b"/p", http_version=b"1.1")
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert fast.headers.raw_items() == slow.headers.raw_items()
    assert type(fast) is Request


@pytest.mark.parametrize("cls", [InformationalResponse, Response])
def test_response_from_parser_equals_validated(cls: type[Response]) -> None:
    status = 101 if cls is InformationalResponse else 404
    raw = [(b"Server", b"x")]
    fast = cls._from_parser(status, *parsed(raw), b"Reason", b"1.0")
    slow = cls(status_code=status, headers=raw, reason=b"Reason", http_version=b"1.0")
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert type(fast) is cls


def test_data_from_parser_equals_validated() -> None:
    assert Data._from_parser(b"abc", True, False) == Data(
        data=b"abc", chunk_start=True, chunk_end=False
    )
    assert Data._from_parser(b"", False, True) == Data(data=b"", chunk_end=True)


def test_end_of_message_from_parser_equals_validated() -> None:
    raw = [(b"X-Sum", b"1")]
    assert EndOfMessage._from_parser(parsed_headers(raw)) == EndOfMessage(headers=raw)
    assert EndOfMessage._from_parser(parsed_headers([])) == EndOfMessage()


def test_from_parser_events_are_frozen_and_unhashable() -> None:
    event = Request._from_parser(b"GET", *parsed([(b"Host", b"a")]), b"/", b"1.1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.method = b"PUT"  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(event)
