"""Field lines (RFC 9112 5, RFC 9110 5.5): field names, the colon, field values.

A request field value may hold HTAB, SP, VCHAR and obs-text, and no other control byte (400,
llhttp strict); a response value or reason phrase takes every byte h11 0.16 takes (all but
NUL, LF, VT, FF and CR), as browsers and curl do. Whitespace around a value is not part of it;
whitespace before the colon is 400 in both directions. obs-fold: test_obs_fold.py; line ends:
test_line_ends.py.
"""

from __future__ import annotations

import pytest
from h11_events import NEED_DATA, Response
from h11_parser import RequestParser, ResponseParser
from parser_support import (
    ABOUT_FIELD,
    CHUNKED,
    assert_rejected,
    both_ways,
    eom,
    head_bytes,
    ok_request,
    parse_request,
    request_head,
    response_parts,
)

# ---- requests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (b"X-A: a\tb", b"a\tb"),
        (b"X-A: caf\xc3\xa9 \x80\xff", b"caf\xc3\xa9 \x80\xff"),
        (b"X-A:   padded  ", b"padded"),
        (b"X-A:\ttabbed\t", b"tabbed"),
        (b"X-A:", b""),
        (b"X-A: \t ", b""),
        (b"X-A:no-space", b"no-space"),
        (b'X-A: !#$%&()*+,-./:;<=>?@[\\]^_`{|}~"', b'!#$%&()*+,-./:;<=>?@[\\]^_`{|}~"'),
    ],
    ids=[
        "htab",
        "obs-text",
        "ows-stripped",
        "htab-stripped",
        "empty",
        "only-ows",
        "no-ows",
        "vchar",
    ],
)
def test_field_value_accepted(line: bytes, value: bytes) -> None:
    assert parse_request(request_head(line)) == [ok_request((b"X-A", value)), eom(), NEED_DATA]


@pytest.mark.parametrize(
    "value",
    [
        *(b"a%cb" % c for c in [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F]),
        b"\x00",
        b"a\x7f",
        b"\x01a",
    ],
)
def test_control_byte_in_field_value_is_400(value: bytes) -> None:
    assert_rejected(RequestParser, request_head(b"X-A: " + value), 400, ABOUT_FIELD)


@pytest.mark.parametrize(
    "line",
    [
        b"X-A  :b",
        b"X A: b",
        b"X-A",
        b"X-A\x00: b",
        b"X-A: a\nb",
    ],
    ids=[
        "sps-before-colon",
        "space-in-name",
        "bare-name",
        "nul-in-name",
        "lf-splits-value",
    ],
)
def test_bad_field_line_is_400(line: bytes) -> None:
    assert_rejected(RequestParser, request_head(line), 400, ABOUT_FIELD)


def test_whitespace_before_the_colon_is_400() -> None:
    assert_rejected(RequestParser, request_head(b"X-A : b"), 400, ABOUT_FIELD)


# ---- requests strict, responses as h11 0.16 ------------------------------------------------


#: Control bytes a response may carry in a value or reason (as h11 0.16, browsers and
#: curl) and a request may not: every one but HTAB and NUL, LF, VT, FF, CR.
TOLERATED_IN_RESPONSES = [*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F]


@pytest.mark.parametrize("byte", TOLERATED_IN_RESPONSES)
def test_control_byte_in_a_value_is_400_in_a_request_accepted_in_a_response(byte: int) -> None:
    value = b"a" + bytes([byte]) + b"b"
    assert_rejected(RequestParser, request_head(b"X: " + value), 400, ABOUT_FIELD)
    assert_rejected(RequestParser, CHUNKED + b"0\r\nX: " + value + b"\r\n\r\n", 400, ABOUT_FIELD)
    head = b"HTTP/1.1 200 OK\r\nX: " + value + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
    events = both_ways(ResponseParser, head + b"0\r\nY: " + value + b"\r\n\r\n")
    fields = [(b"X", value), (b"Transfer-Encoding", b"chunked")]
    response = Response(status_code=200, headers=fields, reason=b"OK")
    assert events == [response, eom((b"Y", value)), NEED_DATA]
    reason = b"HTTP/1.1 200 " + value + b"\r\nContent-Length: 0\r\n\r\n"
    assert both_ways(ResponseParser, reason)[0].reason == value


# ---- responses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [b"X-A: a\x00b", b"X-A: a\x0bb", b"X-A: \x0c", b"X-A : b", b"X-A: a\rb", b"Bad Name: b"],
)
def test_bad_response_field_is_400(line: bytes) -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", line, b"Content-Length: 0")
    assert_rejected(ResponseParser, data, 400, ABOUT_FIELD + "|line|CR")


#: What PyPI h11 0.16 refuses in a received field value or reason phrase (swept 0x00-0xff
#: black box, at the start, middle and end): NUL, LF, VT, FF, CR. Requests refuse every
#: control byte but HTAB (see above); responses tolerate the others.
REFUSED_IN_RESPONSES = {0x00, 0x0A, 0x0B, 0x0C, 0x0D}


@pytest.mark.parametrize("byte", range(256))
def test_response_value_and_reason_byte_sweep(byte: int) -> None:
    one = bytes([byte])
    for value in (one + b"ab", b"a" + one + b"b", b"ab" + one):
        if value == b"ab\n":
            continue  # a bare LF line end, not a value byte
        stream = b"HTTP/1.1 200 OK\r\nX: " + value + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
        trailer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + value
        reason = b"HTTP/1.1 200 " + value + b"\r\nContent-Length: 0\r\n\r\n"
        if byte in REFUSED_IN_RESPONSES:
            assert response_parts(stream + b"0\r\n\r\n") == 400
            assert response_parts(trailer + b"\r\n\r\n") == 400
            assert response_parts(reason) == 400
        else:
            fields = [(b"x", value.strip(b" \t")), (b"transfer-encoding", b"chunked")]
            assert response_parts(stream + b"0\r\n\r\n") == (b"OK", fields, [])
            trailers = [(b"x", value.strip(b" \t"))]
            assert response_parts(trailer + b"\r\n\r\n") == (b"OK", fields[1:], trailers)
            assert response_parts(reason) == (value, [(b"content-length", b"0")], [])


def test_google_analytics_cookie_is_accepted() -> None:
    cookie = b"__utmv=kUd\x01UpAt"
    data = head_bytes(b"HTTP/1.1 200 OK", b"Set-Cookie: " + cookie, b"Content-Length: 0")
    assert response_parts(data) == (
        b"OK",
        [(b"set-cookie", cookie), (b"content-length", b"0")],
        [],
    )
