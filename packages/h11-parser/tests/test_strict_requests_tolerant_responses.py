"""Issue #15: strict where smuggling lives (requests), tolerant where interop lives (responses).

Every check runs with the bytes arriving whole and byte by byte: ``assert_rejected``
does both for errors, ``both_ways`` for accepted input (and asserts they agree).
"""

from __future__ import annotations

from typing import Any

import pytest
from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, RequestWriter, ResponseParser, ResponseWriter
from parser_support import (
    ABOUT_FIELD,
    ABOUT_HOST,
    ABOUT_REQUEST_LINE,
    ABOUT_STATUS_LINE,
    ABOUT_TRANSFER_ENCODING,
    CHUNKED,
    SMUGGLED,
    assert_rejected,
    both_ways,
    eom,
    ok_request,
    one_by_one,
    post,
    request_head,
    run,
)

Parser = RequestParser | ResponseParser


# ---- point 1: more than one Host in any request --------------------------------------------


@pytest.mark.parametrize("second", [b"Host: other", b"Host: example.com"], ids=["other", "same"])
@pytest.mark.parametrize("version", [b"1.0", b"1.1"])
def test_two_host_fields_are_400_in_any_version(second: bytes, version: bytes) -> None:
    data = request_head(second, version=version)
    assert_rejected(RequestParser, data, 400, ABOUT_HOST)


def test_http10_request_without_host_is_accepted() -> None:
    events = both_ways(RequestParser, b"GET / HTTP/1.0\r\n\r\n")
    assert events[0] == Request(method=b"GET", target=b"/", headers=[], http_version=b"1.0")


# ---- point 2: the HTTP/2 connection preface ------------------------------------------------

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
def test_other_http2_heads_stay_505(data: bytes) -> None:
    assert_rejected(RequestParser, data, 505, r"version")


# ---- point 3: Transfer-Encoding with Content-Length is never sent ---------------------------


TE_AND_CL = [(b"Transfer-Encoding", b"chunked"), (b"Content-Length", b"5")]


def test_request_writer_refuses_te_with_cl() -> None:
    writer = RequestWriter()
    request = Request(method=b"POST", target=b"/", headers=[(b"Host", b"a"), *TE_AND_CL])
    with pytest.raises(LocalProtocolError, match="Transfer-Encoding and Content-Length"):
        writer.send(request)


def test_response_writer_refuses_te_with_cl() -> None:
    with pytest.raises(LocalProtocolError, match="Transfer-Encoding and Content-Length"):
        ResponseWriter().send(Response(status_code=200, headers=TE_AND_CL))


# ---- point 4: one rule for which responses have a body -------------------------------------


@pytest.mark.parametrize("method", [b"GET", b"HEAD", b"CONNECT", b"POST"])
@pytest.mark.parametrize("status", [200, 204, 299, 304, 404])
def test_writer_and_parser_agree_on_which_responses_have_a_body(method: bytes, status: int) -> None:
    """Whatever the writer frames as a body, the parser reads back, and vice versa."""
    writer = ResponseWriter(method)
    head = Response(status_code=status, headers=[(b"Content-Length", b"3")])
    wire = writer.send(head)
    try:
        wire += writer.send(Data(data=b"abc"))
        writer_body = True
    except LocalProtocolError:
        writer_body = False
    events = both_ways(lambda: ResponseParser(method), wire + writer_end(writer))
    assert events[0] == head
    assert (Data(data=b"abc") in events) is writer_body
    if writer.switched:  # a 2xx to CONNECT: the head ends the message, a tunnel follows
        assert events[1:] == [PAUSED]
    else:
        assert events[1 if not writer_body else 2] == EndOfMessage()


def writer_end(writer: ResponseWriter) -> bytes:
    """The end of the message, or b"" where the head already ended it (a tunnel)."""
    if writer.switched:
        with pytest.raises(LocalProtocolError, match="switched"):
            writer.send(EndOfMessage())
        return b""
    return writer.send(EndOfMessage())


@pytest.mark.parametrize("split", [False, True])
def test_2xx_to_connect_ends_the_message_and_pauses_in_both_directions(split: bool) -> None:
    """As in a Connection: the head ends the message (no EndOfMessage), a tunnel follows."""
    writer = ResponseWriter(b"CONNECT")
    wire = writer.send(Response(status_code=200, headers=[]))
    assert writer.switched
    for event in (
        Data(data=b"tunnel bytes"),
        EndOfMessage(),
        Response(status_code=200, headers=[]),
    ):
        with pytest.raises(LocalProtocolError, match="switched"):
            writer.send(event)
    parser = ResponseParser(b"CONNECT")
    data = wire + b"tunnel bytes"
    events = run(parser, one_by_one(data) if split else [data])
    assert events == [Response(status_code=200, headers=[]), PAUSED]
    assert parser.trailing_data == (b"tunnel bytes", False)


def test_writer_refuses_everything_after_a_101() -> None:
    writer = ResponseWriter()
    writer.send(InformationalResponse(status_code=101, headers=[(b"Upgrade", b"h2c")]))
    assert writer.switched
    with pytest.raises(LocalProtocolError, match="switched"):
        writer.send(Response(status_code=200, headers=[]))


def test_writer_goes_on_after_a_100() -> None:
    writer = ResponseWriter()
    writer.send(InformationalResponse(status_code=100, headers=[]))
    assert not writer.switched
    writer.send(Response(status_code=204, headers=[]))
    writer.send(EndOfMessage())


# ---- point 6: a message that ends the connection is the last one ---------------------------


def collect(parser: Parser, pieces: list[bytes], events: list[Any]) -> None:
    """Feed each piece and append every event to ``events`` (errors propagate)."""
    for piece in pieces:
        parser.feed(piece)
        while (event := parser.next_event()) is not NEED_DATA:
            events.append(event)


@pytest.mark.parametrize(
    "first",
    [
        post(b"Transfer-Encoding: chunked", b"Content-Length: 3") + b"0\r\n\r\n",
        request_head(b"Connection: close"),
        request_head(b"Connection: keep-alive, close"),
        b"GET / HTTP/1.0\r\n\r\n",
        b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    ],
    ids=["te-and-cl", "close", "close-in-list", "http10", "http10-keep-alive"],
)
def test_request_parser_stops_after_a_message_that_ends_the_connection(first: bytes) -> None:
    for pieces in ([first + SMUGGLED], one_by_one(first + SMUGGLED)):
        parser = RequestParser()
        events: list[Any] = []
        with pytest.raises(RemoteProtocolError, match="Got data when expecting EOF") as info:
            collect(parser, pieces, events)
        assert info.value.error_status_hint == 400
        assert parser.must_close
        # The smuggled request never came out as an event.
        assert [type(e) for e in events if type(e) is not Data] == [Request, EndOfMessage]
        with pytest.raises(RemoteProtocolError):
            parser.next_event()


@pytest.mark.parametrize("split", [False, True])
def test_request_parser_after_a_closing_message_waits_for_eof(split: bool) -> None:
    data = request_head(b"Connection: close")
    parser = RequestParser()
    assert run(parser, one_by_one(data) if split else [data]) == [
        ok_request((b"Connection", b"close")),
        eom(),
        NEED_DATA,
    ]
    assert parser.must_close
    parser.feed(b"")
    assert parser.next_event() == ConnectionClosed()
    assert parser.next_event() == ConnectionClosed()


def test_request_parser_keep_alive_message_does_not_close() -> None:
    parser = RequestParser()
    assert both_ways(RequestParser, request_head() + request_head())[-1] is NEED_DATA
    parser.feed(request_head())
    list(parser)
    assert not parser.must_close


@pytest.mark.parametrize(
    "first",
    [
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n0\r\n\r\n",
    ],
    ids=["close", "http10", "te-and-cl"],
)
def test_response_parser_stops_after_a_message_that_ends_the_connection(first: bytes) -> None:
    second = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    assert_rejected(ResponseParser, first + second, 400, r"expecting EOF")


def test_response_writer_refuses_a_response_after_a_body_delimited_by_close() -> None:
    writer = ResponseWriter()
    writer.send(Response(status_code=200, headers=[]))
    writer.send(Data(data=b"until close"))
    writer.send(EndOfMessage())
    assert writer.must_close
    with pytest.raises(LocalProtocolError, match="ended the connection"):
        writer.send(Response(status_code=200, headers=[(b"Content-Length", b"0")]))


def test_writers_refuse_a_message_after_connection_close() -> None:
    responses = ResponseWriter()
    responses.send(Response(status_code=204, headers=[(b"Connection", b"close")]))
    responses.send(EndOfMessage())
    assert responses.must_close
    with pytest.raises(LocalProtocolError):
        responses.send(Response(status_code=204, headers=[]))
    requests = RequestWriter()
    requests.send(
        Request(method=b"GET", target=b"/", headers=[(b"Host", b"a"), (b"Connection", b"close")])
    )
    requests.send(EndOfMessage())
    assert requests.must_close
    with pytest.raises(LocalProtocolError):
        requests.send(Request(method=b"GET", target=b"/", headers=[(b"Host", b"a")]))


def test_writers_keep_going_after_keep_alive_messages() -> None:
    writer = ResponseWriter()
    for _ in range(2):
        writer.send(Response(status_code=200, headers=[(b"Content-Length", b"0")]))
        writer.send(EndOfMessage())
    assert not writer.must_close


# ---- point 7: obs-fold ---------------------------------------------------------------------


# ---- point 8: bare LF ----------------------------------------------------------------------


# ---- point 9: request-target forms ---------------------------------------------------------


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


# ---- point 10: the Host value --------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        b"a, b",
        b"a,b",
        b"a b",
        b"user@a",
        b"user:pw@a:80",
        b"a:80x",
        b"[::1",
        b"a/b",
        b"a?b",
        b'"a"',
    ],
)
def test_host_that_is_not_host_port_is_400(value: bytes) -> None:
    data = b"GET / HTTP/1.1\r\nHost: " + value + b"\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_HOST)


@pytest.mark.parametrize(
    "value",
    [
        b"",
        b"a",
        b"example.com:8080",
        b"example.com:",
        b"127.0.0.1",
        b"[::1]",
        b"[2001:db8::1]:443",
        b"[v1.fe]:80",
        b"xn--bcher-kva.example",
        b"a_b-c~d",
        b"%41%42",
    ],
)
def test_host_forms_of_rfc_3986_are_accepted(value: bytes) -> None:
    data = b"GET / HTTP/1.1\r\nHost: " + value + b"\r\n\r\n"
    events = both_ways(RequestParser, data)
    assert events[0].headers == [(b"host", value)]


def test_host_grammar_is_not_applied_to_responses() -> None:
    data = b"HTTP/1.1 200 OK\r\nHost: a, b\r\nContent-Length: 0\r\n\r\n"
    assert type(both_ways(ResponseParser, data)[0]) is Response


# ---- point 11: version syntax before version support ---------------------------------------


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


# ---- point 12: a truncated body's error names its figures ----------------------------------


def test_truncated_content_length_body_names_both_figures() -> None:
    data = post(b"Content-Length: 100") + b"hello"
    error = assert_rejected(RequestParser, data, 400, r"received 5 bytes, expected 100", eof=True)
    assert "complete message body" in str(error)


def test_truncated_response_body_names_both_figures() -> None:
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n123"
    assert_rejected(ResponseParser, data, 400, r"received 3 bytes, expected 10", eof=True)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"5",
        b"5\r\n",
        b"5\r\nhel",
        b"5\r\nhello",
        b"5\r\nhello\r",
        b"5\r\nhello\r\n0\r\n",
        b"5\r\nhello\r\n0\r\nX: y\r\n",
    ],
)
def test_truncated_chunked_body_says_incomplete_chunked_read(body: bytes) -> None:
    assert_rejected(RequestParser, CHUNKED + body, 400, r"incomplete chunked read", eof=True)


# ---- point 13: empty list members of Transfer-Encoding -------------------------------------
# Issue #27: refused in requests (llhttp strict; a front end may not read such a field as
# chunked), ignored in responses (RFC 9110 5.6.1).

EMPTY_MEMBERS = [b",chunked", b"chunked,", b" , chunked , ", b"Chunked,,"]


@pytest.mark.parametrize("value", EMPTY_MEMBERS)
def test_empty_transfer_encoding_members_are_400_in_requests(value: bytes) -> None:
    data = post(b"Transfer-Encoding: " + value) + b"5\r\nhello\r\n0\r\n\r\n"
    assert_rejected(RequestParser, data, 400, r"empty list member")


def test_an_empty_second_transfer_encoding_field_is_400_in_requests() -> None:
    data = post(b"Transfer-Encoding: chunked", b"Transfer-Encoding:") + b"0\r\n\r\n"
    assert_rejected(RequestParser, data, 400, r"empty list member")


@pytest.mark.parametrize("value", EMPTY_MEMBERS)
def test_empty_transfer_encoding_members_are_ignored_in_responses(value: bytes) -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: " + value + b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    events = both_ways(ResponseParser, data)
    assert events[1:] == [Data(data=b"hello"), EndOfMessage(), NEED_DATA]


def test_an_empty_second_transfer_encoding_field_is_ignored_in_responses() -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding:\r\n\r\n0\r\n\r\n"
    assert both_ways(ResponseParser, data)[1:] == [EndOfMessage(), NEED_DATA]


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (b",", 400),
        (b"chunked, gzip,", 400),
        (b",chunked,chunked", 400),
        (b"gzip,", 501),
        (b",x", 501),
    ],
)
def test_response_transfer_encoding_with_empty_members_still_checked(
    value: bytes, status: int
) -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: " + value + b"\r\n\r\n0\r\n\r\n"
    assert_rejected(ResponseParser, data, status, ABOUT_TRANSFER_ENCODING)


@pytest.mark.parametrize("value", [b",", b"gzip,", b",x", b"chunked, gzip,"])
def test_request_transfer_encoding_with_empty_members_is_400_whatever_else(value: bytes) -> None:
    data = post(b"Transfer-Encoding: " + value) + b"0\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_TRANSFER_ENCODING)


def test_obs_fold_field_rules_do_not_change_field_errors() -> None:
    assert_rejected(RequestParser, request_head(b"X-A : b"), 400, ABOUT_FIELD)


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
