"""The head size limit: 431 whatever the read sizes, for heads and trailer sections.

The size of a head is every byte from the start of the message (leading empty
lines included) through the end of its last field line; the empty line that
ends the head comes on top (httpcore relies on an exact fit being accepted). A
head of exactly ``max_head_size`` bytes is accepted; one byte more is refused
with 431, whether it arrives in one read, byte by byte or in any other pieces.
Unlike h11, a big single read does not get around the limit.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from h11_events import NEED_DATA, EndOfMessage, RemoteProtocolError, Request, Response
from h11_parser import RequestParser, ResponseParser
from hypothesis import given
from hypothesis import strategies as st
from parser_support import (
    ABOUT_SIZE,
    CHUNKED,
    assert_rejected,
    body_of,
    eom,
    feed_endlessly,
    one_by_one,
    request_head,
    run,
)

LIMIT = 1024


def sized_request(size: int, *, lead: bytes = b"", end: bytes = b"\r\n") -> bytes:
    """A request head of exactly ``size`` bytes (``lead`` included, the final empty
    line not), padded with X-Pad."""
    start = lead + b"GET / HTTP/1.1" + end + b"Host: example.com" + end + b"X-Pad: "
    tail = end + end
    pad = size - len(start) - len(end)
    assert pad >= 1
    data = start + b"p" * pad + tail
    assert len(data) == size + len(end)
    return data


def sized_response(size: int) -> bytes:
    start = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: "
    pad = size - len(start) - 2
    assert pad >= 1
    return start + b"p" * pad + b"\r\n\r\n"


def splits(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in pairwise(points)]


def accepted_pieces(pieces: list[bytes]) -> list[object]:
    events = run(RequestParser(max_head_size=LIMIT), pieces)
    assert events[-1] is NEED_DATA
    return events


def assert_431(pieces: list[bytes]) -> None:
    parser = RequestParser(max_head_size=LIMIT)
    with pytest.raises(RemoteProtocolError) as info:
        run(parser, pieces)
    assert info.value.error_status_hint == 431
    assert str(info.value).strip()
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


@pytest.mark.parametrize("how", ["whole", "bytes", "halves"])
def test_head_exactly_at_limit_accepted(how: str) -> None:
    data = sized_request(LIMIT)
    pieces = {
        "whole": [data],
        "bytes": one_by_one(data),
        "halves": [data[: LIMIT // 2], data[LIMIT // 2 :]],
    }[how]
    events = accepted_pieces(pieces)
    assert type(events[0]) is Request
    assert events[1:] == [eom(), NEED_DATA]


@pytest.mark.parametrize("how", ["whole", "bytes", "halves"])
@pytest.mark.parametrize("excess", [1, 2, 100])
def test_head_over_limit_is_431(how: str, excess: int) -> None:
    data = sized_request(LIMIT + excess)
    pieces = {
        "whole": [data],
        "bytes": one_by_one(data),
        "halves": [data[: LIMIT // 2], data[LIMIT // 2 :]],
    }[how]
    assert_431(pieces)


@given(cuts=st.lists(st.integers(min_value=0, max_value=LIMIT + 1), max_size=20))
def test_head_limit_whatever_the_read_sizes(cuts: list[int]) -> None:
    at_limit = sized_request(LIMIT)
    events = accepted_pieces(splits(at_limit, cuts))
    assert events[1:] == [eom(), NEED_DATA]
    over = sized_request(LIMIT + 1)
    assert_431(splits(over, cuts))


def test_head_limit_with_bare_lf_line_ends() -> None:
    """A request with bare LF line ends (test_line_ends.py) is 400 once it is whole
    within the limit, 431 when it cannot fit, whatever the reads."""
    at_limit = sized_request(LIMIT, end=b"\n")
    for pieces in ([at_limit], one_by_one(at_limit)):
        parser = RequestParser(LIMIT)
        with pytest.raises(RemoteProtocolError) as info:
            run(parser, pieces)
        assert info.value.error_status_hint == 400
    assert_431([sized_request(LIMIT + 1, end=b"\n")])


@pytest.mark.parametrize("how", ["whole", "bytes"])
def test_leading_empty_lines_count_toward_the_limit(how: str) -> None:
    at_limit = sized_request(LIMIT, lead=b"\r\n" * 10)
    pieces = [at_limit] if how == "whole" else one_by_one(at_limit)
    assert accepted_pieces(pieces)[1:] == [eom(), NEED_DATA]
    over = sized_request(LIMIT + 1, lead=b"\r\n" * 10)
    assert_431([over] if how == "whole" else one_by_one(over))


def test_endless_empty_lines_are_431() -> None:
    assert_431([b"\r\n" * (LIMIT // 2 + 1)])
    assert_431(one_by_one(b"\r\n" * (LIMIT // 2 + 1)))


def test_default_limit_is_16384() -> None:
    at_limit = sized_request(16384)
    events = run(RequestParser(), [at_limit])
    assert events[1:] == [eom(), NEED_DATA]
    parser = RequestParser()
    with pytest.raises(RemoteProtocolError) as info:
        run(parser, [sized_request(16385)])
    assert info.value.error_status_hint == 431


def test_limit_is_per_message() -> None:
    """Pipelined heads are measured one by one, not as one buffer."""
    data = sized_request(LIMIT) * 3
    events = accepted_pieces([data])
    assert [type(e) for e in events] == [Request, EndOfMessage] * 3 + [type(NEED_DATA)]


def test_body_does_not_count_toward_the_limit() -> None:
    body = b"b" * (LIMIT * 8)
    data = request_head(b"Content-Length: %d" % len(body), method=b"POST") + body
    for pieces in ([data], splits(data, [100, 2000, 5000])):
        events = accepted_pieces(pieces)
        assert body_of(events) == body
        assert events[-2:] == [eom(), NEED_DATA]


@pytest.mark.parametrize("step", [1, 7, 100, 4096])
def test_endless_field_line_is_431_not_buffered(step: int) -> None:
    """A field line that never ends is refused once the limit is passed."""
    parser = RequestParser(max_head_size=LIMIT)
    parser.feed(b"GET / HTTP/1.1\r\nX-Endless: ")
    with pytest.raises(RemoteProtocolError) as info:
        feed_endlessly(parser, b"a" * step, LIMIT * 4)
    assert info.value.error_status_hint == 431


def test_endless_request_line_is_431_not_buffered() -> None:
    parser = RequestParser(max_head_size=LIMIT)
    parser.feed(b"GET /")
    with pytest.raises(RemoteProtocolError) as info:
        feed_endlessly(parser, b"a", LIMIT * 4)
    assert info.value.error_status_hint == 431


def test_many_small_fields_are_431() -> None:
    data = request_head(*[b"A: b"] * (LIMIT // 6 + 1))
    assert_rejected(lambda: RequestParser(max_head_size=LIMIT), data, 431, ABOUT_SIZE)


def test_response_head_over_limit_is_431() -> None:
    at_limit = sized_response(LIMIT)
    events = run(ResponseParser(max_head_size=LIMIT), one_by_one(at_limit))
    assert type(events[0]) is Response
    assert events[1:] == [eom(), NEED_DATA]
    over = sized_response(LIMIT + 1)
    make = lambda: ResponseParser(max_head_size=LIMIT)  # noqa: E731
    assert_rejected(make, over, 431, ABOUT_SIZE)


def test_over_limit_message_says_so() -> None:
    make = lambda: RequestParser(max_head_size=LIMIT)  # noqa: E731
    assert_rejected(make, sized_request(LIMIT + 10), 431, ABOUT_SIZE)


# ---- a trailer section has the limit of a head ---------------------------------------------


def test_trailers_over_limit_are_431() -> None:
    big = b"X-T: " + b"t" * (LIMIT * 2) + b"\r\n"
    make = lambda: RequestParser(max_head_size=LIMIT)  # noqa: E731
    assert_rejected(make, CHUNKED + b"0\r\n" + big + b"\r\n", 431, ABOUT_SIZE)


def test_many_trailers_over_limit_are_431() -> None:
    many = b"A: b\r\n" * LIMIT
    make = lambda: RequestParser(max_head_size=LIMIT)  # noqa: E731
    assert_rejected(make, CHUNKED + b"0\r\n" + many + b"\r\n", 431, ABOUT_SIZE)


def test_endless_trailer_section_is_431_not_buffered() -> None:
    parser = RequestParser(max_head_size=LIMIT)
    parser.feed(CHUNKED + b"0\r\n")
    assert type(parser.next_event()) is Request
    with pytest.raises(RemoteProtocolError) as info:
        feed_endlessly(parser, b"A: b\r\n", LIMIT * 4)
    assert info.value.error_status_hint == 431


def test_trailers_under_limit_accepted_in_pieces() -> None:
    trailers = b"X-T: " + b"t" * (LIMIT // 2) + b"\r\n"
    data = CHUNKED + b"3\r\nabc\r\n0\r\n" + trailers + b"\r\n"
    events = run(RequestParser(max_head_size=LIMIT), one_by_one(data))
    assert body_of(events) == b"abc"
    assert events[-2:] == [EndOfMessage(headers=[(b"X-T", b"t" * (LIMIT // 2))]), NEED_DATA]
