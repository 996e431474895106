"""Trailer sections (RFC 9112 7.1.2): the fields after the last chunk, as EndOfMessage headers.

They follow the field-line rules of a head. A request trailer may not carry what RFC 9110 6.5.1
keeps out of trailers (framing, routing, request modifiers, authentication, content handling):
400, as llhttp strict; a client passes a response's trailers on as received. The size limit
of a trailer section is the head's: test_head_size_limit.py.
"""

from __future__ import annotations

import pytest
from h11_events import NEED_DATA, Data, EndOfMessage
from h11_parser import RequestParser, ResponseParser
from h11_parser.engine import REQUEST_TRAILER_REFUSED
from parser_support import (
    ABOUT_EOF,
    ABOUT_FIELD,
    CHUNKED,
    CHUNKED_RESPONSE,
    assert_rejected,
    chunked_both_ways,
    eom,
    parse_request,
    request_head,
)


def test_trailers_become_end_of_message_headers() -> None:
    data = CHUNKED + b"5\r\nhello\r\n0\r\nX-Checksum: abc\r\nServer-Timing: db;dur=53\r\n\r\n"
    events = parse_request(data)
    assert events[-2:] == [
        EndOfMessage(headers=[(b"X-Checksum", b"abc"), (b"Server-Timing", b"db;dur=53")]),
        NEED_DATA,
    ]
    last = events[-2]
    assert last.headers.raw_items() == [(b"X-Checksum", b"abc"), (b"Server-Timing", b"db;dur=53")]


def test_no_trailers_gives_empty_headers() -> None:
    events = parse_request(CHUNKED + b"0\r\n\r\n")
    assert events[1:] == [EndOfMessage(), NEED_DATA]
    assert list(events[1].headers) == []


def test_content_length_message_has_no_trailers() -> None:
    data = request_head(b"Content-Length: 2", method=b"POST") + b"hiX-Not: trailer\r\n\r\n"
    parser = RequestParser()
    parser.feed(data)
    assert [parser.next_event() for _ in range(3)][1:] == [Data(data=b"hi"), EndOfMessage()]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (b"X-T:   v  \r\n", [(b"X-T", b"v")]),
        (b"X-T: a\tb\r\n", [(b"X-T", b"a\tb")]),
        (b"A: 1\r\nA: 2\r\n", [(b"A", b"1"), (b"A", b"2")]),
    ],
    ids=["ows", "htab", "repeated"],
)
def test_trailer_rules_accepted(lines: bytes, expected: list[tuple[bytes, bytes]]) -> None:
    events = parse_request(CHUNKED + b"1\r\nx\r\n0\r\n" + lines + b"\r\n")
    assert events[-2:] == [EndOfMessage(headers=expected), NEED_DATA]


@pytest.mark.parametrize(
    "line",
    [
        b"X-T: a\x00b",
        b"X-T: a\x01b",
        b"X-T: a\x7fb",
        b"X-T : v",
        b"X-T\t: v",
        b": v",
        b"X T: v",
        b"X-T v",
        b"X-T: a\rb",
        b" X-T: v",
    ],
    ids=[
        "nul",
        "ctl",
        "del",
        "sp-before-colon",
        "htab-before-colon",
        "empty-name",
        "space-in-name",
        "no-colon",
        "bare-cr",
        "leading-whitespace",
    ],
)
def test_bad_trailer_is_400(line: bytes) -> None:
    data = CHUNKED + b"1\r\nx\r\n0\r\n" + line + b"\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_FIELD + "|CR|line")


def test_eof_inside_trailers_is_error() -> None:
    data = CHUNKED + b"0\r\nX-T: v"
    assert_rejected(RequestParser, data, 400, ABOUT_EOF, eof=True)


# ---- fields a request trailer may not carry (RFC 9110 6.5.1) -------------------------------


@pytest.mark.parametrize("name", sorted(REQUEST_TRAILER_REFUSED))
def test_a_request_trailer_may_not_carry_framing_routing_or_auth_fields(name: bytes) -> None:
    for spelled in (name, name.upper(), name.title()):
        data = CHUNKED + b"0\r\nX-Ok: 1\r\n" + spelled + b": 1\r\n\r\n"
        error = assert_rejected(RequestParser, data, 400, "trailer")
        assert name.decode() in str(error)


@pytest.mark.parametrize("name", [b"X-Checksum", b"Server-Timing", b"Expires", b"Digest"])
def test_other_request_trailers_are_passed_on(name: bytes) -> None:
    events = chunked_both_ways(
        RequestParser, CHUNKED + b"3\r\nabc\r\n0\r\n" + name + b": v\r\n\r\n"
    )
    assert events[1:] == [Data(data=b"abc"), eom((name.lower(), b"v")), NEED_DATA]


@pytest.mark.parametrize("name", sorted(REQUEST_TRAILER_REFUSED))
def test_response_trailers_are_passed_on_whatever_they_hold(name: bytes) -> None:
    events = chunked_both_ways(ResponseParser, CHUNKED_RESPONSE + b"0\r\n" + name + b": 1\r\n\r\n")
    assert type(events[1]) is EndOfMessage
    assert list(events[1].headers) == [(name, b"1")]  # as received: no event-side checks
    assert events[2:] == [NEED_DATA]


def test_refused_request_trailers_name_the_rfc_groups() -> None:
    """The list covers what RFC 9110 6.5.1 names: framing, routing, request modifiers,
    authentication and how to process the content."""
    assert {b"content-length", b"transfer-encoding", b"trailer"} <= REQUEST_TRAILER_REFUSED
    assert {b"host", b"authorization", b"proxy-authorization", b"cookie"} <= (
        REQUEST_TRAILER_REFUSED
    )
    assert {b"cache-control", b"expect", b"max-forwards", b"te", b"range"} <= (
        REQUEST_TRAILER_REFUSED
    )
    assert {b"content-type", b"content-encoding", b"content-range"} <= REQUEST_TRAILER_REFUSED
    assert not {b"server-timing", b"expires", b"digest", b"x-checksum"} & REQUEST_TRAILER_REFUSED
