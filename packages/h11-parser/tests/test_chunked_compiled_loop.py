"""The compiled build's chunk-size line loop (``_compiled.bare_chunk``) is a drop-in for the
pure source's pattern (``_message_reader.bare_chunk`` runs one or the other).

Both builds run these tests. The loop and the reference are held to the patterns' answers
on any bytes, and whole chunked messages are read with each (pure Python can be made to
take the loop; compiled, the choice is fixed), so both paths are tested alike, whole and
split.
"""

from __future__ import annotations

import h11_parser
import pytest
from h11_events import NEED_DATA, Data, EndOfMessage, RemoteProtocolError, Response
from h11_events.rules import MAX_BODY_LENGTH
from h11_parser import RequestParser, ResponseParser, _compiled, _message_reader
from h11_parser._message_reader import _BARE_CHUNK_LINE_RE, chunk_line_size
from hypothesis import given
from hypothesis import strategies as st
from parser_support import merge_data, run


def pattern_says(buf: bytes, pos: int, limit: int, strict: bool = True) -> tuple[int, int] | None:
    """(size, data start) of a complete chunk-size line the reader's patterns accept (a
    request's, ``strict``, or a response's), else None."""
    newline = buf.find(b"\n", pos, limit)
    if newline < 0:
        return None
    match = chunk_line_size(buf, pos, newline, strict)
    if match is None:
        return None
    bare = _BARE_CHUNK_LINE_RE.fullmatch(buf, pos, newline + 1)
    if bare is not None:  # the reader's fast path reads a bare line alike
        assert bare.group(1) == match.group(1)
    return int(match.group(1), 16), newline + 1


def is_bare_hex_line(buf: bytes, pos: int, limit: int) -> bool:
    """Whether the line at ``pos`` is 1 to 16 hex digits and CRLF, its LF before ``limit``."""
    newline = buf.find(b"\n", pos, limit)
    digits = buf[pos : newline - 1]
    return (
        newline > pos
        and buf[newline - 1 : newline] == b"\r"
        and 1 <= len(digits) <= 16
        and all(chr(b) in "0123456789abcdefABCDEF" for b in digits)
        and int(digits, 16) <= MAX_BODY_LENGTH
    )


def reference_bare_chunk(buf: bytes, pos: int, limit: int) -> tuple[int, int, bool]:
    """The pure build's reading: ``bare_chunk``'s pattern branch, whatever this build is."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_compiled, "COMPILED", False)
        return _message_reader.bare_chunk(buf, pos, limit)


def check_against_pattern(buf: bytes, pos: int, limit: int) -> None:
    size, start, whole = _compiled.bare_chunk(buf, pos, limit)
    assert _compiled.bare_chunk(bytearray(buf), pos, limit) == (size, start, whole)
    assert reference_bare_chunk(buf, pos, limit) == (size, start, whole)
    scanned = (size, start)
    if is_bare_hex_line(buf, pos, limit):
        # The strict (request) and tolerant (response) patterns read a bare line alike.
        assert scanned == pattern_says(buf, pos, limit)
        assert scanned == pattern_says(buf, pos, limit, strict=False)
    else:
        # Anything else is left to the pattern (which then accepts or refuses it).
        assert scanned == (-1, -1)


LINES = [
    b"0\r\n",
    b"5\r\n",
    b"a\r\nhello",
    b"FF\r\n",
    b"fF09\r\n",
    b"1" * 16 + b"\r\n",
    b"f" * 16 + b"\r\n",
    b"1" * 17 + b"\r\n",
    b"5;ext=1\r\n",
    b"5 \r\n",
    b" 5\r\n",
    b"5\n",
    b"5\r",
    b"5\rx",
    b"5",
    b"",
    b"\r\n",
    b"g\r\n",
    b"-5\r\n",
    b"0x5\r\n",
]


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("prefix", [b"", b"xx"])
def test_loop_and_pattern_agree_on_known_lines(line: bytes, prefix: bytes) -> None:
    buf = prefix + line
    for limit in (len(prefix) + 2, len(prefix) + 3, len(buf), len(buf) + 5):
        check_against_pattern(buf, len(prefix), limit)


LINE_BYTES = st.sampled_from(
    [b"0", b"9", b"a", b"F", b"g", b";", b"=", b" ", b"\t", b"\r", b"\n", b"\r\n", b"\x00"]
)


@given(st.lists(LINE_BYTES, max_size=24).map(b"".join), st.integers(0, 30))
def test_loop_and_pattern_agree_on_generated_lines(line: bytes, limit: int) -> None:
    check_against_pattern(line, 0, limit)


@given(st.binary(max_size=40), st.integers(0, 3), st.integers(0, 50))
def test_loop_and_pattern_agree_on_any_bytes(buf: bytes, pos: int, limit: int) -> None:
    pos = min(pos, len(buf))
    check_against_pattern(buf, pos, pos + limit)


def test_each_build_reads_chunk_lines_with_its_own_path() -> None:
    # Compiled: the loop; pure Python: the pattern (the faster of the two in each).
    assert _compiled.COMPILED is h11_parser.COMPILED
    assert _message_reader.bare_chunk(b"5\r\nhello\r\n", 0, 9) == (5, 3, True)
    assert _message_reader.bare_chunk(b"5\r\nhell", 0, 9) == (5, 3, False)
    assert _message_reader.bare_chunk(bytearray(b"5;x\r\nhello"), 0, 9) == (-1, -1, False)
    too_large = b"8" + b"0" * 15 + b"\r\n"
    assert _message_reader.bare_chunk(too_large, 0, 99) == (-1, -1, False)


@pytest.fixture(params=["build's own choice", "loop"])
def chunk_step(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Read chunk-size lines with this build's choice, then with the loop (pure Python
    takes it when told; compiled, the choice is fixed and is the loop)."""
    if request.param == "loop":
        monkeypatch.setattr(_message_reader, "bare_chunk", _compiled.bare_chunk)
    return str(request.param)


HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
BODIES = [
    b"5\r\nhello\r\n0\r\n\r\n",
    b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    b"A\r\n0123456789\r\n0\r\n\r\n",
    b'5;ext="a b"\r\nhello\r\n0\r\n\r\n',
    b"5 ;a\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
    b"5 \r\nhello\r\n0\r\n\r\n",
    b"5;\x00\rx\r\nhello\r\n0\r\n\r\n",
    b"00005\r\nhello\r\n0\r\n\r\n",
    b"5\r\nhello\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
]


def events_of(pieces: list[bytes]) -> list[object]:
    return merge_data(run(ResponseParser(), pieces))


@pytest.mark.parametrize("body", BODIES)
def test_chunked_bodies_read_alike_whole_and_split(chunk_step: str, body: bytes) -> None:
    wire = HEAD + body
    whole = events_of([wire])
    assert type(whole[0]) is Response
    assert any(type(event) is EndOfMessage for event in whole)
    assert events_of([wire[i : i + 1] for i in range(len(wire))]) == whole
    assert events_of([wire[:50], wire[50:]]) == whole


def test_each_whole_chunk_is_one_event_with_both_marks(chunk_step: str) -> None:
    parser = ResponseParser()
    parser.feed(HEAD + b"5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n")
    assert type(parser.next_event()) is Response
    assert parser.next_event() == Data(data=b"hello", chunk_start=True, chunk_end=True)
    assert parser.next_event() == Data(data=b"abc", chunk_start=True, chunk_end=True)
    assert parser.next_event() == EndOfMessage()


@pytest.mark.parametrize(
    "body",
    [b"5\r\nhelloXY0\r\n\r\n", b"g\r\nhello\r\n", b"1" * 17 + b"\r\n", b"5\r\r\nhello\r\n"],
)
def test_malformed_chunks_are_refused_on_either_step(chunk_step: str, body: bytes) -> None:
    parser = ResponseParser()
    parser.feed(HEAD + body)
    assert type(parser.next_event()) is Response
    with pytest.raises(RemoteProtocolError, match="chunk"):
        drain_all(parser)


def drain_all(parser: ResponseParser) -> None:
    """Read events until one raises (a bounded number: the bodies above are short)."""
    for _ in range(10):
        parser.next_event()


def test_chunk_line_over_the_limit_is_431_on_either_step(chunk_step: str) -> None:
    parser = ResponseParser(max_head_size=64)
    parser.feed(HEAD + b"0" * 70 + b"5\r\nhello\r\n")
    assert type(parser.next_event()) is Response
    with pytest.raises(RemoteProtocolError) as caught:
        parser.next_event()
    assert caught.value.error_status_hint == 431


REQUEST_HEAD = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize("line", [b"5 ", b"5\t", b"5 ;a", b"5; a", b"5;a =b", b"5;", b"5;a\rb"])
def test_request_chunk_lines_stay_strict_on_either_step(chunk_step: str, line: bytes) -> None:
    """What a response may carry (h11 reads it) a request may not (llhttp strict)."""
    wire = REQUEST_HEAD + line + b"\r\nhello\r\n0\r\n\r\n"
    for pieces in ([wire], [wire[i : i + 1] for i in range(len(wire))]):
        parser = RequestParser()
        with pytest.raises(RemoteProtocolError, match="chunk size line") as caught:
            run(parser, pieces)
        assert caught.value.error_status_hint == 400
    response = events_of([HEAD + line + b"\r\nhello\r\n0\r\n\r\n"])
    assert merge_data(response[1:]) == [Data(data=b"hello"), EndOfMessage(), NEED_DATA]
