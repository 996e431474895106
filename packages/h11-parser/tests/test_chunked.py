"""The chunked transfer coding (RFC 9112 7.1): chunk-size lines, extensions, chunk data.

A request's chunk-size line is exact: hex digits, then extensions as RFC 9112 7.1.1 spells
them (no whitespace), then CRLF, else 400 (llhttp strict). A response's is read as h11 0.16
reads it: after the size, anything up to the line end. Each chunk keeps its boundaries
(``chunk_start``/``chunk_end``) however the bytes arrive; a size line that never ends is
refused, not buffered. Every stream is read whole and byte by byte.
"""

from __future__ import annotations

import re

import pytest
from h11_events import NEED_DATA, Data, EndOfMessage, RemoteProtocolError, Request
from h11_parser import RequestParser, ResponseParser
from h11_parser._message_reader import extensions_end
from hypothesis import given
from hypothesis import strategies as st
from parser_support import (
    ABOUT_CHUNK,
    CHUNKED,
    CHUNKED_RESPONSE,
    assert_rejected,
    body_of,
    chunked_both_ways,
    chunks_of,
    eom,
    feed_endlessly,
    parse_request,
)

# ---- chunk-size lines: exact in requests, tolerant in responses ------------------------------


@pytest.mark.parametrize("byte", [b for b in range(256) if b != 10])
def test_a_response_chunk_extension_may_hold_any_byte_but_lf(byte: int) -> None:
    """As h11 reads a response: after ``;`` anything up to CRLF (extensions are dropped)."""
    for line in (b"5;", b"5;a", b"5;a=", b"5; a =b", b"5 \t;"):
        data = CHUNKED_RESPONSE + line + bytes([byte]) + b"\r\nhello\r\n0\r\n\r\n"
        events = chunked_both_ways(ResponseParser, data)
        assert events[1:] == [Data(data=b"hello"), EndOfMessage(), NEED_DATA]


@pytest.mark.parametrize("spaces", [b" ", b"\t", b" \t ", b" " * 100])
def test_whitespace_after_a_response_chunk_size_is_accepted(spaces: bytes) -> None:
    data = CHUNKED_RESPONSE + b"5" + spaces + b"\r\nhello\r\n0" + spaces + b"\r\n\r\n"
    events = chunked_both_ways(ResponseParser, data)
    assert events[1:] == [Data(data=b"hello"), EndOfMessage(), NEED_DATA]


@pytest.mark.parametrize("spaces", [b" ", b"\t", b" \t "])
def test_whitespace_after_a_request_chunk_size_is_400(spaces: bytes) -> None:
    assert_rejected(
        RequestParser, CHUNKED + b"5" + spaces + b"\r\nhello\r\n0\r\n\r\n", 400, "chunk"
    )
    assert_rejected(RequestParser, CHUNKED + b"0" + spaces + b"\r\n\r\n", 400, "chunk")


@pytest.mark.parametrize(
    "line", [b"5 ;a", b"5\t;a", b"5; a", b"5;\ta", b"5;a =b", b"5;a= b", b"5;a=b ;c", b"5;a=b "]
)
def test_whitespace_in_a_request_chunk_extension_is_400(line: bytes) -> None:
    assert_rejected(RequestParser, CHUNKED + line + b"\r\nhello\r\n0\r\n\r\n", 400, "chunk")


@pytest.mark.parametrize("line", [b"5 \n", b"5;a\n", b"5\r\r\n", b" 5", b"5 5", b"5\x0b", b"x"])
def test_a_response_chunk_size_itself_is_exact(line: bytes) -> None:
    """Only what follows the size is tolerated: its digits and the CRLF stay exact."""
    assert_rejected(
        ResponseParser, CHUNKED_RESPONSE + line + b"\r\nhello\r\n0\r\n\r\n", 400, "chunk"
    )


extension_bytes = st.binary(max_size=30).filter(lambda b: b"\n" not in b)


@given(ows=st.sampled_from([b"", b" ", b"\t", b" \t"]), ext=extension_bytes)
def test_any_response_chunk_extension_reads_as_its_chunk(ows: bytes, ext: bytes) -> None:
    data = CHUNKED_RESPONSE + b"3" + ows + b";" + ext + b"\r\nabc\r\n0;" + ext + b"\r\n\r\n"
    events = chunked_both_ways(ResponseParser, data)
    assert events[1:] == [Data(data=b"abc"), EndOfMessage(), NEED_DATA]


# ---- the request extension scanner is the RFC grammar -------------------------------------

#: RFC 9112 7.1.1 chunk-ext without BWS, as one pattern: the reference for short lines (the
#: reader does not use it: its cost grows quadratically on long ones).
_TOKEN = rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+"
_QUOTED = rb'"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"'
REFERENCE = re.compile(rb"(?:;" + _TOKEN + rb"(?:=(?:" + _TOKEN + rb"|" + _QUOTED + rb"))?)*")
EXTENSION_PIECES = st.sampled_from(
    [b";", b"=", b'"', b"\\", b"a", b"Z9", b" ", b"\t", b"\x00", b"\x7f", b"\xff", b"\r", b","]
)


@given(st.lists(EXTENSION_PIECES, max_size=16).map(b"".join))
def test_extensions_end_accepts_exactly_the_grammar(extensions: bytes) -> None:
    whole = extensions_end(extensions, 0, len(extensions)) == len(extensions)
    assert whole == (REFERENCE.fullmatch(extensions) is not None)


@pytest.mark.parametrize(
    ("extensions", "valid"),
    [
        (b"", True),
        (b";a", True),
        (b";a=b;c", True),
        (b';a="x \\" y";b', True),
        (b';a=""', True),
        (b";", False),
        (b";a=", False),
        (b';a="x', False),
        (b';a="x\\', False),
        (b';a="\\\x01"', False),
        (b";a b", False),
        (b"; a", False),
    ],
)
def test_extensions_end_on_known_extensions(extensions: bytes, valid: bool) -> None:
    assert (extensions_end(extensions, 0, len(extensions)) == len(extensions)) is valid
    padded = b"xx" + extensions + b"\r\n"
    assert (extensions_end(padded, 2, len(padded) - 2) == len(padded) - 2) is valid


@pytest.mark.parametrize("bad", [b'5;a="x\\', b'5;a="x', b'5;a="\\\x01"', b"5;a=\x01"])
def test_a_bad_quoted_extension_after_one_that_looks_like_it_is_400(bad: bytes) -> None:
    """The scanner stops where the line stops being valid, whatever came before it on the
    connection (here a chunk whose data is a valid-looking extension)."""
    data = b";a=b;c" + bad[1:]
    wire = CHUNKED + b"%x\r\n" % len(data) + data + b"\r\n" + bad + b"\r\nhello\r\n0\r\n\r\n"
    assert_rejected(RequestParser, wire, 400, "chunk size line")


# ---- chunked bodies in requests ------------------------------------------------------------


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
