"""obs-fold (RFC 9112 5.2): a field line continued on the next line, which begins with SP or HTAB.

A server reads requests strictly: obs-fold anywhere in a request (head or trailer) is 400, as
in llhttp strict mode and as RFC 9112 5.2 allows; folding a framing field is how TE.CL desyncs
are built. A client reads responses as h11 0.16 does: the line end and the whitespace after it
become one SP. A line that begins with whitespace right after the start line has nothing to
fold into (RFC 9112 2.2): 400 in both directions. Every input is read whole and byte by byte.
"""

from __future__ import annotations

import pytest
from h11_events import EndOfMessage
from h11_parser import RequestParser, ResponseParser
from parser_support import (
    ABOUT_FIELD,
    CHUNKED,
    CHUNKED_HELLO,
    assert_rejected,
    both_ways,
    head_bytes,
    ok_response,
    parse_response,
    post,
    request_head,
    response_parts,
)

# ---- requests: refused ---------------------------------------------------------------------


@pytest.mark.parametrize("ws", [b" ", b"\t", b"  ", b" \t"])
def test_field_line_starting_with_whitespace_after_start_line_is_400(ws: bytes) -> None:
    data = b"GET / HTTP/1.1\r\n" + ws + b"Host: example.com\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_FIELD)


@pytest.mark.parametrize(
    ("fold", "value"),
    [
        (b"X-A: one\r\n two", b"one two"),
        (b"X-A: one\r\n\ttwo", b"one two"),
        (b"X-A: one\r\n \t  two", b"one two"),
        (b"X-A: one\r\n two\r\n three", b"one two three"),
        (b"X-A: one\n two", b"one two"),
    ],
    ids=["sp", "htab", "mixed", "twice", "bare-lf"],
)
def test_obs_fold_is_400_in_a_request_and_unfolded_in_a_response(fold: bytes, value: bytes) -> None:
    data = request_head(fold, b"X-B: after")
    assert_rejected(RequestParser, data, 400, ABOUT_FIELD)
    response = head_bytes(b"HTTP/1.1 200 OK", fold, b"Content-Length: 0")
    assert response_parts(response) == (b"OK", [(b"x-a", value), (b"content-length", b"0")], [])


def test_folded_framing_field_value_in_a_request_is_400() -> None:
    data = post(b"Content-Length:\r\n 5") + b"hello"
    assert_rejected(RequestParser, data, 400, r"fold")


def test_folded_transfer_encoding_is_400() -> None:
    """The TE.CL desync of published mutation lists: a front end that reads the folded
    line as a Transfer-Encoding field frames chunked, a folding server would not."""
    data = b"POST / HTTP/1.1\r\nX-A: b\r\n Transfer-Encoding: chunked\r\nHost: h\r\n\r\n"
    assert_rejected(RequestParser, data + CHUNKED_HELLO, 400, r"fold")


def test_folded_content_length_value_is_400() -> None:
    data = post(b"Content-Length: 5", b" 6") + b"hello!"
    assert_rejected(RequestParser, data, 400, r"fold")


def test_obs_fold_in_a_request_trailer_is_400() -> None:
    data = CHUNKED + b"0\r\nX-T: a\r\n b\r\n\r\n"
    assert_rejected(RequestParser, data, 400, r"fold")


# ---- responses: each fold is one space -----------------------------------------------------


def test_response_field_starting_with_whitespace_after_status_line_is_400() -> None:
    data = b"HTTP/1.1 200 OK\r\n Content-Length: 0\r\n\r\n"
    assert_rejected(ResponseParser, data, 400, ABOUT_FIELD)


def test_response_obs_fold_becomes_one_space() -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", b"X-A: one", b"\ttwo", b"Content-Length: 0")
    assert parse_response(data)[0] == ok_response(
        200, (b"X-A", b"one two"), (b"Content-Length", b"0")
    )


@pytest.mark.parametrize(
    ("value", "unfolded"),
    [
        (b"v1  \r\n\tv2", b"v1   v2"),
        (b"v1\t\r\n v2", b"v1\t v2"),
        (b"v1 \r\n v2 \r\n v3", b"v1  v2  v3"),
        (b"v1\r\n  v2", b"v1 v2"),
        (b"\r\n v2", b"v2"),
        (b"v1\r\n \r\n v2", b"v1  v2"),
        (b"v1 \n\t v2\t", b"v1  v2"),
    ],
)
def test_response_obs_fold_keeps_whitespace_before_the_line_end_as_h11(
    value: bytes, unfolded: bytes
) -> None:
    """The line end and the whitespace after it become one SP (RFC 9112 5.2); whitespace
    before the line end stays, as PyPI h11 0.16 gives it (observed black box)."""
    data = b"HTTP/1.1 200 OK\r\nX: " + value + b"\r\nContent-Length: 0\r\n\r\n"
    assert response_parts(data) == (b"OK", [(b"x", unfolded), (b"content-length", b"0")], [])


def test_obs_fold_in_a_response_head_and_trailer_is_one_space() -> None:
    data = (
        b"HTTP/1.1 200 OK\r\nX-A: a\r\n\t b\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\nX-T: c\r\n d\r\n\r\n"
    )
    events = both_ways(ResponseParser, data)
    assert events[0].headers[0] == (b"x-a", b"a b")
    assert events[1] == EndOfMessage(headers=[(b"X-T", b"c d")])
