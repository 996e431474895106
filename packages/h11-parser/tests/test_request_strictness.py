"""What a RequestParser accepts and rejects, row by row of the strictness table (issue #3).

The attacks the testkit corpus holds are run from there (test_parser_corpus.py, with the
same checks); the rows here are the variants around them.

Every rejection is a RemoteProtocolError with the status a server should answer
(400, 501, 505) and a message that says what was wrong; each is checked with
the bytes arriving whole and byte by byte. Framing confusion is what matters
most here: each accepted row also pins down how the body was framed.
"""

from __future__ import annotations

import pytest
from h11_events import NEED_DATA, Data, EndOfMessage, RemoteProtocolError, Request
from h11_parser import RequestParser
from parser_support import (
    ABOUT_CHUNK,
    ABOUT_CONTENT_LENGTH,
    ABOUT_FIELD,
    ABOUT_HOST,
    ABOUT_REQUEST_LINE,
    ABOUT_TRANSFER_ENCODING,
    ABOUT_VERSION,
    CHUNKED,
    CHUNKED_HELLO,
    assert_rejected,
    body_of,
    chunks_of,
    eom,
    feed_endlessly,
    ok_request,
    parse_request,
    post,
    request_head,
)

# ---- header values ------------------------------------------------------------------------


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


# ---- line ends ----------------------------------------------------------------------------


# ---- Content-Length -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "length"),
    [
        ([b"Content-Length: 5"], 5),
        ([b"Content-Length: 005"], 5),
        ([b"content-length:5"], 5),
        ([b"Content-Length: 5, 5"], 5),
        ([b"Content-Length: 5,5 , 5"], 5),
        ([b"Content-Length: 5", b"Content-Length: 5"], 5),
        ([b"Content-Length: 0"], 0),
    ],
    ids=["plain", "leading-zeros", "no-ows", "list", "list3", "twice", "zero"],
)
def test_content_length_accepted(lines: list[bytes], length: int) -> None:
    body = b"0123456789"[:length]
    events = parse_request(post(*lines) + body + request_head())
    request = events[0]
    assert type(request) is Request
    assert [int(v) for v in request.headers.get_all(b"content-length")] == [length]
    assert body_of(events) == body
    assert events[-4:] == [eom(), ok_request(), eom(), NEED_DATA]


def test_content_length_max_accepted() -> None:
    events = parse_request(post(b"Content-Length: %d" % (2**63 - 1)) + b"abc")
    assert type(events[0]) is Request
    assert events[1:] == [Data(data=b"abc"), NEED_DATA]


@pytest.mark.parametrize(
    "value",
    [
        b"\xef\xbc\x95",
        b"5.0",
        b"1e3",
        b"five",
        b"5,",
        b",5",
        b"99999999999999999999999999",
    ],
    ids=[
        "fullwidth-digit",
        "decimal-point",
        "exponent",
        "word",
        "trailing-comma",
        "leading-comma",
        "huge",
    ],
)
def test_bad_content_length_is_400(value: bytes) -> None:
    data = post(b"Content-Length: " + value) + b"hello"
    assert_rejected(RequestParser, data, 400, ABOUT_CONTENT_LENGTH)


# ---- Transfer-Encoding --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [b"chunked", b"Chunked", b"CHUNKED", b"  chunked  ", b"\tchunked"]
)
def test_transfer_encoding_chunked_accepted(value: bytes) -> None:
    events = parse_request(post(b"Transfer-Encoding: " + value) + CHUNKED_HELLO)
    request = events[0]
    assert type(request) is Request
    assert [v.lower() for v in request.headers.get_all(b"transfer-encoding")] == [b"chunked"]
    assert events[1:] == [
        Data(data=b"hello", chunk_start=True, chunk_end=True),
        eom(),
        NEED_DATA,
    ]


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        ([b"Transfer-Encoding: deflate"], 501),
        ([b"Transfer-Encoding: gzip", b"Transfer-Encoding: chunked"], 501),
        ([b"Transfer-Encoding: chunked", b"Transfer-Encoding: gzip"], 400),
    ],
    ids=[
        "deflate",
        "gzip-then-chunked-fields",
        "chunked-not-last-fields",
    ],
)
def test_unsupported_transfer_encoding(lines: list[bytes], status: int) -> None:
    data = post(*lines) + CHUNKED_HELLO
    assert_rejected(RequestParser, data, status, ABOUT_TRANSFER_ENCODING)


@pytest.mark.parametrize(
    "lines",
    [
        [b"Content-Length: 3", b"Transfer-Encoding: chunked"],
        [b"Transfer-Encoding: chunked", b"Content-Length: 3"],
        [b"Content-Length: 100", b"Transfer-Encoding: chunked"],
    ],
    ids=["cl-first", "te-first", "long-cl"],
)
def test_chunked_wins_over_content_length(lines: list[bytes]) -> None:
    """Smuggling guard: with both, the body is the chunked one, never CL bytes."""
    parser = RequestParser()
    parser.feed(post(*lines) + CHUNKED_HELLO)
    events = []
    for _ in range(10):
        event = parser.next_event()
        events.append(event)
        if type(event) is EndOfMessage:
            break
    assert type(events[0]) is Request
    assert events[1:] == [Data(data=b"hello", chunk_start=True, chunk_end=True), eom()]


# ---- chunked framing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "size_line",
    [
        b"5;a",
        b"5;a=b",
        b'5;a="quoted string"',
        b'5;a="esc \\" aped"',
        b'5;a=""',
        b"5;a=b;c;d=e",
        b"5;a=" + b"x" * 100,
        b"00005",
        b"0000000000000005",
    ],
    ids=[
        "name",
        "name-value",
        "quoted",
        "quoted-escape",
        "empty-quoted",
        "several",
        "long-value",
        "leading-zeros",
        "16-hex-digits",
    ],
)
def test_valid_chunk_size_lines_accepted_and_ignored(size_line: bytes) -> None:
    events = parse_request(CHUNKED + size_line + b"\r\nhello\r\n0;last=1\r\n\r\n")
    assert type(events[0]) is Request
    assert events[1:] == [
        Data(data=b"hello", chunk_start=True, chunk_end=True),
        eom(),
        NEED_DATA,
    ]


@pytest.mark.parametrize("size", [b"a", b"A", b"1f", b"1F", b"0a"])
def test_chunk_size_is_hex(size: bytes) -> None:
    length = int(size, 16)
    payload = bytes(range(65, 65 + length))
    events = parse_request(CHUNKED + size + b"\r\n" + payload + b"\r\n0\r\n\r\n")
    assert body_of(events) == payload
    assert chunks_of(events) == [payload]
    assert events[-2:] == [eom(), NEED_DATA]


def test_several_chunks_keep_their_boundaries() -> None:
    body = b"4\r\nWiki\r\n5\r\npedia\r\ne\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n"
    events = parse_request(CHUNKED + body)
    assert events[1:] == [
        Data(data=b"Wiki", chunk_start=True, chunk_end=True),
        Data(data=b"pedia", chunk_start=True, chunk_end=True),
        Data(data=b" in\r\n\r\nchunks.", chunk_start=True, chunk_end=True),
        eom(),
        NEED_DATA,
    ]


def test_chunk_split_across_reads_marks_start_and_end() -> None:
    parser = RequestParser()
    parser.feed(CHUNKED + b"a\r\n01234")
    events = [parser.next_event(), parser.next_event()]
    assert events[1] == Data(data=b"01234", chunk_start=True, chunk_end=False)
    assert parser.next_event() is NEED_DATA
    parser.feed(b"567")
    assert parser.next_event() == Data(data=b"567", chunk_start=False, chunk_end=False)
    parser.feed(b"89\r\n0\r\n\r\n")
    assert parser.next_event() == Data(data=b"89", chunk_start=False, chunk_end=True)
    assert parser.next_event() == eom()


def test_chunk_size_max_accepted() -> None:
    events = parse_request(CHUNKED + b"7fffffffffffffff\r\nabc")
    assert events[1:] == [Data(data=b"abc", chunk_start=True, chunk_end=False), NEED_DATA]


@pytest.mark.parametrize(
    "size_line",
    [
        b"\t5",
        b"5\t",
        b"5x",
        b"5 5",
        b"ffffffffffffffffff",
        b"5;a=",
        b"5;a=b c",
        b'5;a="unterminated',
        b"5;a\x01",
        b"5;a=b\x7f",
        b'5;a="x\x00"',
        b"5;a\r",
        b"5;a b",
        b"5;a=(b)",
        b"5;\xff",
        b"5 ",
        b"5 ;a=b",
        b"5\t;a",
        b"5; a=b",
        b"5;a = b",
        b"5;a= b",
    ],
    ids=[
        "leading-htab",
        "trailing-htab",
        "trailing-garbage",
        "two-numbers",
        "18-digits",
        "empty-ext-value",
        "ext-value-space",
        "ext-unterminated-quote",
        "ext-control",
        "ext-del",
        "ext-nul-in-quotes",
        "ext-cr-before-crlf",
        "ext-name-space",
        "ext-value-not-token",
        "ext-non-ascii-name",
        "trailing-space",
        "bws-before-semicolon",
        "htab-before-semicolon",
        "bws-after-semicolon",
        "bws-before-equals",
        "bws-after-equals",
    ],
)
def test_bad_chunk_size_line_is_400(size_line: bytes) -> None:
    data = CHUNKED + size_line + b"\r\nhello\r\n0\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_CHUNK)


@pytest.mark.parametrize(
    "body",
    [
        b"5\r\nhelloXX0\r\n\r\n",
        b"5\r\nhello \r\n0\r\n\r\n",
        b"5\r\nhello\rX0\r\n\r\n",
    ],
    ids=["garbage", "space", "cr-garbage"],
)
def test_chunk_data_not_followed_by_crlf_is_400(body: bytes) -> None:
    assert_rejected(RequestParser, CHUNKED + body, 400, ABOUT_CHUNK)


@pytest.mark.parametrize(
    ("start", "filler"),
    [(b"1", b"1"), (b"0", b"0"), (b"5;a=", b"b"), (b'5;a="', b"c"), (b"5;a", b";a")],
    ids=["digits", "zeros", "ext-token", "ext-quoted", "many-exts"],
)
def test_endless_chunk_size_line_errors_instead_of_buffering(start: bytes, filler: bytes) -> None:
    """A peer sending a size line that never ends must not make us buffer forever."""
    parser = RequestParser(max_head_size=1024)
    parser.feed(CHUNKED + start)
    assert type(parser.next_event()) is Request
    with pytest.raises(RemoteProtocolError) as info:
        feed_endlessly(parser, filler * 64, 1000)
    assert info.value.error_status_hint in (400, 431)
    assert str(info.value)


# ---- request line -------------------------------------------------------------------------


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


@pytest.mark.parametrize("version", [b"3.0", b"9.9", b"0.1"])
def test_http_major_version_other_than_1_is_505(version: bytes) -> None:
    data = b"GET / HTTP/" + version + b"\r\nHost: example.com\r\n\r\n"
    assert_rejected(RequestParser, data, 505, ABOUT_VERSION)


@pytest.mark.parametrize(
    "lines",
    [[b"Host: a", b"host: a"]],
    ids=["two-equal"],
)
def test_http11_request_needs_exactly_one_host(lines: list[bytes]) -> None:
    data = b"\r\n".join([b"GET / HTTP/1.1", *lines]) + b"\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_HOST)


# ---- classic smuggling shapes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "status"),
    [
        (b"Transfer-Encoding: xchunked", 501),
        (b'Transfer-Encoding: "chunked"', 501),
        (b"Transfer-Encoding: chunk", 501),
        (b"Transfer-Encoding: chunked-false", 501),
        (b"Transfer-Encoding: \x0bchunked", 400),
        (b"Transfer-Encoding: chunked\x00", 400),
        (b"Transfer-Encoding : chunked", 400),
        (b"Transfer-Encoding\t: chunked", 400),
        (b"Transfer-Encoding\r\n: chunked", 400),
    ],
)
def test_bad_transfer_encoding_never_falls_back_to_content_length(line: bytes, status: int) -> None:
    """CL.TE: a Transfer-Encoding we cannot honour is refused, never ignored for CL."""
    data = post(b"Content-Length: 3", line) + CHUNKED_HELLO
    assert_rejected(RequestParser, data, status, ABOUT_TRANSFER_ENCODING + "|" + ABOUT_FIELD)


@pytest.mark.parametrize(
    "line", [b"GET / xHTTP/2.0", b"GET / HTTP/2.0x", b"GET HTTP/2.0 /", b"GET / HTTP/2.0 "]
)
def test_version_not_at_the_end_of_the_request_line_is_400(line: bytes) -> None:
    data = line + b"\r\nHost: example.com\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_REQUEST_LINE)
