"""Start lines (RFC 9112 3, 4, 2.3): the request line, request-target forms, the HTTP version.

Version syntax is checked before version support: a malformed version is 400, a well-formed
one with another major version 505. The HTTP/2 connection preface reads as a request, as
h11 0.16 reads it, with the rest left in trailing_data for an HTTP/2 implementation.
"""

from __future__ import annotations

from typing import Any

import pytest
from h11_events import NEED_DATA, EndOfMessage, RemoteProtocolError, Request, Response
from h11_parser import RequestParser, ResponseParser
from parser_support import (
    ABOUT_REQUEST_LINE,
    ABOUT_STATUS_LINE,
    ABOUT_VERSION,
    assert_rejected,
    both_ways,
    eom,
    head_bytes,
    one_by_one,
    parse_response,
    request_head,
)

# ---- the request line ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        b"GET /  HTTP/1.1",
        b" GET / HTTP/1.1",
        b"GET / HTTP/1.",
        b"GET / HTTP/11",
        b"GET / HTTP/a.b",
        b"GET / HTTPS/1.1",
        b"GET / HTTP/1.1 extra",
        b"GET /\x7f HTTP/1.1",
        b"GET /caf\xc3\xa9 HTTP/1.1",
        b"G(T / HTTP/1.1",
        b"G\xc3\x89T / HTTP/1.1",
        b"/ HTTP/1.1",
        b"GET  HTTP/1.1",
        b"GET",
    ],
)
def test_bad_request_line_is_400(line: bytes) -> None:
    data = line + b"\r\nHost: example.com\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_REQUEST_LINE)


@pytest.mark.parametrize(
    "line", [b"GET / xHTTP/2.0", b"GET / HTTP/2.0x", b"GET HTTP/2.0 /", b"GET / HTTP/2.0 "]
)
def test_version_not_at_the_end_of_the_request_line_is_400(line: bytes) -> None:
    data = line + b"\r\nHost: example.com\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_REQUEST_LINE)


# ---- request-target forms (RFC 9112 3.2) ---------------------------------------------------


@pytest.mark.parametrize(
    ("method", "target"),
    [
        (b"GET", b"index.html"),
        (b"GET", b"!"),
        (b"GET", b"example.com/"),
        (b"GET", b"example.com:80"),
        (b"GET", b"*"),
        (b"POST", b"*x"),
        (b"GET", b"http:/x"),
        (b"GET", b"1http://a/"),
        (b"CONNECT", b"/"),
        (b"CONNECT", b"http://a:443/"),
        (b"CONNECT", b"a"),
        (b"CONNECT", b"a:b"),
        (b"CONNECT", b"*"),
    ],
)
def test_request_target_in_the_wrong_form_is_400(method: bytes, target: bytes) -> None:
    data = request_head(method=method, target=target)
    assert_rejected(RequestParser, data, 400, r"target|form")


@pytest.mark.parametrize(
    ("method", "target"),
    [
        (b"GET", b"/"),
        (b"GET", b"//double"),
        (b"OPTIONS", b"*"),
        (b"OPTIONS", b"/x"),
        (b"GET", b"http://a.example:8080/x?y=1"),
        (b"GET", b"https://[::1]/"),
        (b"GET", b"svn+ssh://h/p"),
        (b"CONNECT", b"a.example:443"),
        (b"CONNECT", b"[2001:db8::1]:443"),
        (b"CONNECT", b"10.0.0.1:8080"),
    ],
)
def test_request_target_in_its_form_is_accepted(method: bytes, target: bytes) -> None:
    events = both_ways(RequestParser, request_head(method=method, target=target))
    assert events[0].target == target
    assert events[0].method == method


# ---- the HTTP version (RFC 9112 2.3) -------------------------------------------------------


@pytest.mark.parametrize("version", [b"3.0", b"9.9", b"0.1"])
def test_http_major_version_other_than_1_is_505(version: bytes) -> None:
    data = b"GET / HTTP/" + version + b"\r\nHost: example.com\r\n\r\n"
    assert_rejected(RequestParser, data, 505, ABOUT_VERSION)


@pytest.mark.parametrize("version", [b"01.1", b"51.1", b"1.10", b"1.01", b"11.1", b"1.", b".1"])
def test_malformed_request_version_is_400(version: bytes) -> None:
    data = b"GET / HTTP/" + version + b"\r\nHost: a\r\n\r\n"
    error = assert_rejected(RequestParser, data, 400, ABOUT_REQUEST_LINE)
    assert "unsupported" not in str(error)


@pytest.mark.parametrize("version", [b"01.1", b"51.1", b"1.10", b"2.00"])
def test_malformed_response_version_is_400(version: bytes) -> None:
    data = b"HTTP/" + version + b" 200 OK\r\nContent-Length: 0\r\n\r\n"
    assert_rejected(ResponseParser, data, 400, ABOUT_STATUS_LINE)


@pytest.mark.parametrize("version", [b"0.9", b"2.0", b"3.1", b"9.9"])
def test_well_formed_version_with_another_major_is_505(version: bytes) -> None:
    assert_rejected(
        RequestParser, b"GET / HTTP/" + version + b"\r\nHost: a\r\n\r\n", 505, r"version"
    )
    response = b"HTTP/" + version + b" 200 OK\r\nContent-Length: 0\r\n\r\n"
    assert_rejected(ResponseParser, response, 505, r"version")


# ---- the HTTP/2 connection preface (RFC 9113 3.4) ------------------------------------------


PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


FRAMES = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"


@pytest.mark.parametrize("split", [False, True])
def test_h2_preface_is_a_request_as_in_a_connection(split: bool) -> None:
    """Request(PRI, *, 2.0) and EndOfMessage, the rest in trailing_data for an HTTP/2
    implementation; reading on parses it as HTTP/1.1, as a Connection would."""
    parser = RequestParser()
    data = PREFACE + FRAMES
    end = len(b"PRI * HTTP/2.0\r\n\r\n")
    events: list[Any] = []
    for piece in one_by_one(data[:end]) if split else [data[:end]]:
        parser.feed(piece)
        events += list(iter(parser.next_event, NEED_DATA))
    parser.feed(data[end:])
    assert events == [
        Request(method=b"PRI", target=b"*", headers=[], http_version=b"2.0"),
        EndOfMessage(),
    ]
    assert parser.trailing_data == (b"SM\r\n\r\n" + FRAMES, False)
    assert not parser.must_close
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


@pytest.mark.parametrize(
    "data",
    [
        b"PRI * HTTP/2.0\r\nHost: a\r\n\r\n",
        b"PRI / HTTP/2.0\r\n\r\n",
        b"GET * HTTP/2.0\r\n\r\n",
        b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        b"GET / HTTP/3.0\r\nHost: a\r\n\r\n",
    ],
    ids=["preface-with-field", "pri-slash", "get-star", "get-2.0", "get-3.0"],
)
def test_other_http2_heads_are_505(data: bytes) -> None:
    assert_rejected(RequestParser, data, 505, r"version")


# ---- the status line (RFC 9112 4) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "status", "reason"),
    [
        (b"HTTP/1.1 200 OK", 200, b"OK"),
        (b"HTTP/1.1 404 Not Found", 404, b"Not Found"),
        (b"HTTP/1.1 200 ", 200, b""),
        (b"HTTP/1.1 200", 200, b""),
        (b"HTTP/1.1 200 \xe9t\xe9", 200, b"\xe9t\xe9"),
        (b"HTTP/1.1 200 a\tb", 200, b"a\tb"),
        (b"HTTP/1.1 200 a  b", 200, b"a  b"),
        (b"HTTP/1.1 599 Custom", 599, b"Custom"),
        (b"HTTP/1.1 999 X", 999, b"X"),
        (b"HTTP/1.0 200 OK", 200, b"OK"),
    ],
)
def test_status_line_accepted(line: bytes, status: int, reason: bytes) -> None:
    events = parse_response(head_bytes(line, b"Content-Length: 0"))
    first = events[0]
    assert type(first) is Response
    assert (first.status_code, first.reason) == (status, reason)
    assert first.http_version == line[5:8]
    assert events[1:] == [eom(), NEED_DATA]


@pytest.mark.parametrize(
    "line",
    [
        b"HTTP/1.1 abc OK",
        b"HTTP/1.1 +20 OK",
        b"HTTP/1.1 -20 OK",
        b"HTTP/1.1 200OK",
        b"HTTP/1.1  200 OK",
        b"HTTP/1.1\t200 OK",
        b" HTTP/1.1 200 OK",
        b"http/1.1 200 OK",
        b"HTTP/1.1",
        b"HTTP/1.1 ",
        b"HTTP/1.1 200 O\x00K",
        b"HTTP/1.1 200 O\x0bK",
        b"HTTP/1.1 200 O\x0cK",
        b"HTTP/1.1 200 O\rK",
        b"HTTP/1.1 \xd9\xa2\xd9\xa0\xd9\xa0 OK",
        b"HTTP/1.1 200\tOK",
        b"HTTP/11 200 OK",
        b"HTTP/1 200 OK",
        b"ICY 200 OK",
        b"HTTP/1.1 099 Too Small",
        b"HTTP/1.1 000 Zero",
    ],
)
def test_bad_status_line_is_400(line: bytes) -> None:
    assert_rejected(ResponseParser, head_bytes(line, b"Content-Length: 0"), 400, ABOUT_STATUS_LINE)


@pytest.mark.parametrize("version", [b"2.0", b"0.9", b"3.0"])
def test_response_major_version_other_than_1_is_rejected(version: bytes) -> None:
    parser = ResponseParser()
    parser.feed(head_bytes(b"HTTP/" + version + b" 200 OK", b"Content-Length: 0"))
    with pytest.raises(RemoteProtocolError) as info:
        parser.next_event()
    assert info.value.error_status_hint in (400, 505)
    assert str(info.value)


@pytest.mark.parametrize("line", [b"xHTTP/9.1 200 OK", b"HTTP/2.0x 200 OK", b" HTTP/2.0 200 OK"])
def test_version_not_at_the_start_of_the_status_line_is_400(line: bytes) -> None:
    assert_rejected(ResponseParser, head_bytes(line, b"Content-Length: 0"), 400, ABOUT_STATUS_LINE)


def test_status_line_with_major_version_2_is_505() -> None:
    parser = ResponseParser()
    parser.feed(head_bytes(b"HTTP/2.0 200 OK", b"Content-Length: 0"))
    with pytest.raises(RemoteProtocolError) as info:
        parser.next_event()
    assert info.value.error_status_hint == 505
