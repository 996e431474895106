"""Content-Length has one rule (h11_events.rules.content_length_number): headers a
user gives (``Headers``, every event) and heads received (both standalone parsers)
accept and refuse exactly the same values, and give the same one number.

A path with its own shortcut (a fast path for plain digits, say) that drifted from
the rule would disagree with the others on one of these byte strings.
"""

from __future__ import annotations

import pytest
from h11_events import (
    NEED_DATA,
    Data,
    EndOfMessage,
    Headers,
    LocalProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, RequestWriter, ResponseParser
from parser_support import (
    ABOUT_CONTENT_LENGTH,
    assert_rejected,
    body_of,
    drain,
    eom,
    head_bytes,
    ok_request,
    parse_request,
    post,
    request_head,
)

#: Content-Length field values (each list: the fields of one head, in order), with
#: the one number they give, or None where every path must refuse them.
CASES: list[tuple[list[bytes], bytes | None]] = [
    ([b"0"], b"0"),
    ([b"3"], b"3"),
    ([b"007"], b"007"),
    ([b"3, 3"], b"3"),
    ([b"3,3,3"], b"3"),
    ([b"3", b"3"], b"3"),
    ([b"3", b"3, 3"], b"3"),
    ([b"9223372036854775807"], b"9223372036854775807"),  # 2**63 - 1, the largest
    ([b"0009223372036854775807"], b"0009223372036854775807"),  # long, yet in range
    ([b"9223372036854775808"], None),
    ([b"99999999999999999999"], None),
    ([b"+3"], None),
    ([b"-1"], None),
    ([b"0x3"], None),
    ([b"3 3"], None),
    ([b"3,4"], None),
    ([b"3,,3"], None),
    ([b","], None),
    ([b"1_0"], None),
    ([b"\xd9\xa3"], None),  # ARABIC-INDIC DIGIT THREE: not an ASCII digit
    ([b"3", b"4"], None),
    ([b"3, 3", b"4"], None),
    ([b"4", b"3, 3"], None),
]
IDS = [b"|".join(values).decode("latin-1") for values, _ in CASES]


def user_headers(values: list[bytes]) -> Headers:
    return Headers([(b"Host", b"a"), *((b"Content-Length", value) for value in values)])


def head(start_line: bytes, values: list[bytes]) -> bytes:
    fields = b"".join(b"Content-Length: %s\r\n" % value for value in values)
    return start_line + b"\r\nHost: a\r\n" + fields + b"\r\n"


@pytest.mark.parametrize(("values", "number"), CASES, ids=IDS)
def test_user_headers_follow_the_rule(values: list[bytes], number: bytes | None) -> None:
    if number is None:
        with pytest.raises(LocalProtocolError, match=r"(?i)content-length"):
            user_headers(values)
    else:
        assert list(user_headers(values)) == [(b"host", b"a"), (b"content-length", number)]


@pytest.mark.parametrize(("values", "number"), CASES, ids=IDS)
def test_received_requests_follow_the_rule(values: list[bytes], number: bytes | None) -> None:
    parser = RequestParser()
    parser.feed(head(b"POST / HTTP/1.1", values))
    if number is None:
        with pytest.raises(RemoteProtocolError, match=r"(?i)content-length") as caught:
            parser.next_event()
        assert caught.value.error_status_hint == 400
        return
    request = parser.next_event()
    assert isinstance(request, Request)
    assert list(request.headers) == [(b"host", b"a"), (b"content-length", number)]
    assert request.headers == user_headers(values)


@pytest.mark.parametrize(("values", "number"), CASES, ids=IDS)
def test_received_responses_follow_the_rule(values: list[bytes], number: bytes | None) -> None:
    parser = ResponseParser()
    parser.feed(head(b"HTTP/1.1 200 OK", values))
    if number is None:
        with pytest.raises(RemoteProtocolError, match=r"(?i)content-length"):
            parser.next_event()
        return
    response = parser.next_event()
    assert isinstance(response, Response)
    assert response.headers == user_headers(values)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(values, id=name)
        for (values, number), name in zip(CASES, IDS, strict=True)
        if number == b"3"
    ],
)
def test_the_number_frames_the_body_on_both_sides(values: list[bytes]) -> None:
    """Sent and received alike, the one number frames exactly three bytes."""
    writer = RequestWriter()
    wire = writer.send(Request(method="POST", target="/", headers=user_headers(values)))
    with pytest.raises(LocalProtocolError, match="Content-Length"):
        writer.send(Data(data=b"abcd"))
    wire += writer.send(Data(data=b"abc")) + writer.send(EndOfMessage())
    parser = RequestParser()
    parser.feed(wire + b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    events = drain(parser)
    assert events[1:3] == [Data(data=b"abc"), EndOfMessage()]
    assert parser.trailing_data[0] == b""


def test_a_response_with_the_rules_number_is_read_with_it() -> None:
    parser = ResponseParser()
    parser.feed(head(b"HTTP/1.1 200 OK", [b"3, 3"]) + b"abcHTTP/1.1 204 No Content\r\n\r\n")
    events = drain(parser)
    assert events[0] == Response(
        status_code=200, headers=[(b"Host", b"a"), (b"Content-Length", b"3")], reason=b"OK"
    )
    assert events[1:3] == [Data(data=b"abc"), EndOfMessage()]
    assert events[3].status_code == 204


# ---- Content-Length in requests ------------------------------------------------------------


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


# ---- Content-Length in responses -----------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        [b"Content-Length: 5, 6"],
        [b"Content-Length: 5", b"Content-Length: 6"],
        [b"Content-Length: +5"],
    ],
    ids=["list", "fields", "sign"],
)
def test_bad_response_content_length_is_400(lines: list[bytes]) -> None:
    data = head_bytes(b"HTTP/1.1 200 OK", *lines) + b"hello!"
    assert_rejected(ResponseParser, data, 400, ABOUT_CONTENT_LENGTH)
