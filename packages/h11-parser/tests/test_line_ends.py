"""Line ends (RFC 9112 2.2): CRLF, a bare LF, a bare CR, and empty lines before a start line.

A server reads requests strictly: every line of a request head, chunk and trailer section
ends with CRLF, and a bare LF or a bare CR anywhere in it is 400 (llhttp strict), so no
front end can read a line end where we do not. A client reads responses as h11 0.16 does:
a bare LF ends a line. Empty lines before a request line are skipped (RFC 9112 2.2).
A bare LF head over the size limit is 431: test_head_size_limit.py.
"""

from __future__ import annotations

import pytest
from h11_events import NEED_DATA, Data, EndOfMessage, RemoteProtocolError, Request, Response
from h11_parser import RequestParser, ResponseParser
from parser_support import (
    ABOUT_FIELD,
    ABOUT_LINE,
    CHUNKED,
    SMUGGLED,
    assert_rejected,
    both_ways,
    eom,
    ok_request,
    ok_response,
    parse_request,
    parse_response,
    request_head,
)

# ---- requests: CRLF only -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        request_head(b"X-A: \ra"),
        b"GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\r\n\r\n",
        b"GET / HTTP/1.1\rHost: a\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\r\n",
        b"\rGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        b"\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ],
    ids=[
        "start-of-value",
        "before-crlf",
        "after-start-line",
        "blank-line",
        "lead",
        "lead2",
    ],
)
def test_bare_cr_is_400(data: bytes) -> None:
    assert_rejected(RequestParser, data, 400, ABOUT_LINE + "|" + ABOUT_FIELD)


@pytest.mark.parametrize(
    "data",
    [
        b"GET / HTTP/1.1\nHost: example.com\n\n",
        b"GET / HTTP/1.1\r\nHost: example.com\n\r\n",
        b"GET / HTTP/1.1\nHost: example.com\r\n\n",
        b"GET / HTTP/1.1\r\nHost: example.com\r\n\n",
    ],
    ids=["all-lf", "mixed-1", "mixed-2", "mixed-3"],
)
def test_bare_lf_line_ends_in_a_request_are_400(data: bytes) -> None:
    assert_rejected(RequestParser, data, 400, r"bare LF")


def test_h2_preface_with_bare_lf_is_not_the_preface() -> None:
    assert_rejected(RequestParser, b"PRI * HTTP/2.0\n\n", 400, r"bare LF")


@pytest.mark.parametrize(
    "data",
    [
        request_head()[:-2] + b"\n",
        b"GET / HTTP/1.1\r\n\n",
        b"GET / HTTP/1.1\nHost: example.com\r\n\r\n",
        CHUNKED + b"0\r\n\n",
        CHUNKED + b"0\r\nX-T: v\n\r\n",
        CHUNKED + b"0\r\nX-T: v\r\n\n",
    ],
    ids=["head-end", "start-line-then-lf", "request-line", "chunked-end", "trailer", "trailer-end"],
)
def test_bare_lf_in_a_request_is_400(data: bytes) -> None:
    assert_rejected(RequestParser, data + SMUGGLED, 400, r"bare LF")


def test_bare_lf_after_the_last_chunk_lets_no_request_through() -> None:
    """``0\\r\\n\\n`` does not end the message, so the request after it never comes out."""
    parser = RequestParser()
    parser.feed(CHUNKED + b"0\r\n\n" + SMUGGLED)
    assert type(parser.next_event()) is Request
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


# ---- empty lines before a request line -----------------------------------------------------


@pytest.mark.parametrize("lead", [b"\r\n", b"\r\n\r\n", b"\n", b"\r\n\n\r\n"])
def test_empty_lines_before_request_line_ignored(lead: bytes) -> None:
    get = request_head()
    assert parse_request(lead + get) == [ok_request(), eom(), NEED_DATA]
    assert parse_request(get + lead + get) == [ok_request(), eom(), ok_request(), eom(), NEED_DATA]


# ---- responses: a bare LF ends a line ------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\nContent-Length: 0\n\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: v\n\n",
    ],
    ids=["all-lf", "head-end", "chunked-end", "trailer"],
)
def test_bare_lf_in_a_response_is_tolerated(data: bytes) -> None:
    events = both_ways(ResponseParser, data)
    assert type(events[0]) is Response
    assert type(events[1]) is EndOfMessage
    assert events[-1] is NEED_DATA


def test_response_bare_lf_accepted() -> None:
    data = b"HTTP/1.1 200 OK\nContent-Length: 2\n\nhi"
    assert parse_response(data) == [
        ok_response(200, (b"Content-Length", b"2")),
        Data(data=b"hi"),
        eom(),
        NEED_DATA,
    ]
