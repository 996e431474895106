"""The example plugins of h11_parser.example_plugins, with the parsers and writers alone.

(tests/test_conn_plugins.py of h11-connection runs them inside h11.Connection.)
"""

from __future__ import annotations

from typing import Any

import pytest
from h11_events import (
    NEED_DATA,
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, RequestWriter, ResponseParser, ResponseWriter
from h11_parser.example_plugins import (
    EventLogger,
    HeaderLimits,
    MethodAllowList,
    RejectUnderscoreHeaders,
)
from hypothesis import given
from hypothesis import strategies as st
from parser_support import drain, eom, ok_request, request_head

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&'*+.^`|~"


def parse(parser: RequestParser | ResponseParser, data: bytes) -> list[Any]:
    parser.feed(data)
    return drain(parser)


def chunked_request(*trailers: bytes) -> bytes:
    head = request_head(b"Transfer-Encoding: chunked", method=b"POST")
    return head + b"3\r\nabc\r\n0\r\n" + b"".join(t + b"\r\n" for t in trailers) + b"\r\n"


def response_head(*fields: bytes, status: bytes = b"200 OK") -> bytes:
    return b"\r\n".join([b"HTTP/1.1 " + status, *fields]) + b"\r\n\r\n"


def request(*fields: tuple[bytes, bytes], method: bytes = b"GET") -> Request:
    return Request(method=method, target=b"/", headers=[(b"Host", b"a"), *fields])


# ---- RejectUnderscoreHeaders -------------------------------------------------------------------


def test_underscore_in_a_received_request_field_is_400() -> None:
    parser = RequestParser(plugins=[RejectUnderscoreHeaders()])
    with pytest.raises(RemoteProtocolError) as info:
        parse(parser, request_head(b"X-Auth_User: admin"))
    assert info.value.error_status_hint == 400
    assert "x-auth_user" in str(info.value)
    assert "underscore" in str(info.value)
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


def test_dash_spelling_is_accepted() -> None:
    parser = RequestParser(plugins=[RejectUnderscoreHeaders()])
    events = parse(parser, request_head(b"X-Auth-User: admin"))
    assert events == [ok_request((b"X-Auth-User", b"admin")), eom(), NEED_DATA]


def test_underscore_in_a_value_is_fine() -> None:
    parser = RequestParser(plugins=[RejectUnderscoreHeaders()])
    events = parse(parser, request_head(b"X-Id: a_b"))
    assert events[0] == ok_request((b"X-Id", b"a_b"))


def test_underscore_in_a_received_trailer_is_400() -> None:
    parser = RequestParser(plugins=[RejectUnderscoreHeaders()])
    parser.feed(chunked_request(b"X_Sum: 3"))
    assert type(parser.next_event()) is Request
    assert parser.next_event() == Data(data=b"abc", chunk_start=True, chunk_end=True)
    with pytest.raises(RemoteProtocolError, match="x_sum"):
        parser.next_event()


def test_underscore_in_a_received_response_field_is_400() -> None:
    parser = ResponseParser(plugins=[RejectUnderscoreHeaders()])
    with pytest.raises(RemoteProtocolError, match="underscore"):
        parse(parser, response_head(b"Content-Length: 0", b"Set_Cookie: a=b"))


def test_underscore_in_a_received_informational_response_is_400() -> None:
    parser = ResponseParser(plugins=[RejectUnderscoreHeaders()])
    with pytest.raises(RemoteProtocolError, match="underscore"):
        parse(parser, response_head(b"Early_Hint: 1", status=b"103 Early Hints"))


def test_underscore_in_a_sent_request_field_is_local_error_and_nothing_sent() -> None:
    writer = RequestWriter(plugins=[RejectUnderscoreHeaders()])
    with pytest.raises(LocalProtocolError, match="underscore"):
        writer.send(request((b"X_Id", b"1")))
    # The writer still expects a head: the refused one left no trace.
    assert writer.send(request()) == b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"


def test_underscore_in_a_sent_trailer_is_local_error() -> None:
    writer = RequestWriter(plugins=[RejectUnderscoreHeaders()])
    writer.send(request((b"Transfer-Encoding", b"chunked"), method=b"POST"))
    with pytest.raises(LocalProtocolError, match="x_sum"):
        writer.send(EndOfMessage(headers=[(b"X_Sum", b"3")]))
    assert writer.send(EndOfMessage(headers=[(b"X-Sum", b"3")])) == b"0\r\nX-Sum: 3\r\n\r\n"


@given(st.text(TOKEN_CHARS, min_size=1, max_size=16))
def test_underscore_property(name: str) -> None:
    """Refused exactly when the name holds an underscore, whatever else it holds."""
    data = request_head(f"X{name}: v".encode())
    parser = RequestParser(plugins=[RejectUnderscoreHeaders()])
    if "_" in name:
        with pytest.raises(RemoteProtocolError):
            parse(parser, data)
    else:
        assert type(parse(parser, data)[0]) is Request


# ---- HeaderLimits ------------------------------------------------------------------------------


def test_limits_must_not_be_negative() -> None:
    with pytest.raises(ValueError):
        HeaderLimits(-1, 10)
    with pytest.raises(ValueError):
        HeaderLimits(10, -1)


def test_field_count_at_the_limit_passes() -> None:
    # Host plus two: three fields.
    parser = RequestParser(plugins=[HeaderLimits(3, 1000)])
    events = parse(parser, request_head(b"A: 1", b"B: 2"))
    assert type(events[0]) is Request


def test_field_count_over_the_limit_is_431() -> None:
    parser = RequestParser(plugins=[HeaderLimits(3, 1000)])
    with pytest.raises(RemoteProtocolError) as info:
        parse(parser, request_head(b"A: 1", b"B: 2", b"C: 3"))
    assert info.value.error_status_hint == 431
    assert "4 header fields" in str(info.value)
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


def test_total_size_at_the_limit_passes() -> None:
    # "host" + "example.com" = 15, "a" + "12" = 3.
    parser = RequestParser(plugins=[HeaderLimits(10, 18)])
    assert type(parse(parser, request_head(b"A: 12"))[0]) is Request


def test_total_size_over_the_limit_is_431() -> None:
    parser = RequestParser(plugins=[HeaderLimits(10, 17)])
    with pytest.raises(RemoteProtocolError) as info:
        parse(parser, request_head(b"A: 12"))
    assert info.value.error_status_hint == 431
    assert "18 bytes" in str(info.value)


def test_size_ignores_surrounding_whitespace_and_separators() -> None:
    parser = RequestParser(plugins=[HeaderLimits(10, 18)])
    assert type(parse(parser, request_head(b"A:    12   "))[0]) is Request


def test_trailers_are_limited_separately_from_the_head() -> None:
    # The head has 2 fields, the trailers 2: a cap of 2 holds for each section.
    parser = RequestParser(plugins=[HeaderLimits(2, 1000)])
    events = parse(parser, chunked_request(b"X-A: 1", b"X-B: 2"))
    assert events[-2] == eom((b"X-A", b"1"), (b"X-B", b"2"))


def test_too_many_trailers_are_431() -> None:
    parser = RequestParser(plugins=[HeaderLimits(2, 1000)])
    parser.feed(chunked_request(b"X-A: 1", b"X-B: 2", b"X-C: 3"))
    assert type(parser.next_event()) is Request
    assert type(parser.next_event()) is Data
    with pytest.raises(RemoteProtocolError) as info:
        parser.next_event()
    assert info.value.error_status_hint == 431
    assert "trailer" in str(info.value)


def test_limits_do_not_carry_over_between_messages() -> None:
    parser = RequestParser(plugins=[HeaderLimits(2, 1000)])
    one = request_head(b"A: 1")
    events = parse(parser, one + one + one)
    assert [type(e) for e in events[:-1]] == [Request, EndOfMessage] * 3


def test_limits_on_received_responses() -> None:
    parser = ResponseParser(plugins=[HeaderLimits(1, 1000)])
    with pytest.raises(RemoteProtocolError) as info:
        parse(parser, response_head(b"Content-Length: 0", b"Server: x"))
    assert info.value.error_status_hint == 431


def test_limits_on_sent_heads_are_local_errors() -> None:
    writer = ResponseWriter(plugins=[HeaderLimits(1, 1000)])
    with pytest.raises(LocalProtocolError, match="2 header fields"):
        writer.send(Response(status_code=200, headers=[(b"Content-Length", b"0"), (b"A", b"1")]))
    assert writer.send(Response(status_code=200, headers=[(b"Content-Length", b"0")]))


def test_limits_on_sent_informational_responses() -> None:
    writer = ResponseWriter(plugins=[HeaderLimits(10, 5)])
    with pytest.raises(LocalProtocolError, match="bytes"):
        writer.send(InformationalResponse(status_code=103, headers=[(b"Link", b"</a>")]))


def test_limits_on_sent_trailers() -> None:
    writer = RequestWriter(plugins=[HeaderLimits(2, 1000)])
    writer.send(request((b"Transfer-Encoding", b"chunked"), method=b"POST"))
    with pytest.raises(LocalProtocolError, match="3 trailer fields"):
        writer.send(EndOfMessage(headers=[(b"X-A", b"1"), (b"X-B", b"2"), (b"X-C", b"3")]))


def test_data_is_not_limited() -> None:
    parser = RequestParser(plugins=[HeaderLimits(2, 33)])
    body = b"x" * 1000
    events = parse(parser, request_head(b"Content-Length: 1000", method=b"POST") + body)
    assert b"".join(bytes(e.data) for e in events if type(e) is Data) == body


@given(
    st.lists(
        st.tuples(st.text("abcxyz", min_size=1, max_size=5), st.binary(max_size=8)), max_size=6
    ),
    st.integers(0, 7),
    st.integers(0, 60),
)
def test_limits_property(fields: list[tuple[str, bytes]], count: int, size: int) -> None:
    """Refused (431) exactly when the count or the summed name+value size is over the cap."""
    values = [bytes(b for b in v if 0x21 <= b <= 0x7E) for _, v in fields]
    lines = [
        f"x-{name}".encode() + b": " + value
        for (name, _), value in zip(fields, values, strict=True)
    ]
    total = len(b"host") + len(b"example.com")
    total += sum(
        len(f"x-{name}") + len(value) for (name, _), value in zip(fields, values, strict=True)
    )
    over = len(fields) + 1 > count or total > size
    parser = RequestParser(plugins=[HeaderLimits(count, size)])
    if over:
        with pytest.raises(RemoteProtocolError) as info:
            parse(parser, request_head(*lines))
        assert info.value.error_status_hint == 431
    else:
        assert type(parse(parser, request_head(*lines))[0]) is Request


# ---- MethodAllowList ---------------------------------------------------------------------------


def test_allow_list_needs_a_method() -> None:
    with pytest.raises(ValueError):
        MethodAllowList([])


def test_allow_value_for_the_405_response() -> None:
    assert MethodAllowList(["GET", b"HEAD"]).allow == b"GET, HEAD"


def test_allowed_method_passes() -> None:
    parser = RequestParser(plugins=[MethodAllowList(["GET", "HEAD"])])
    assert parse(parser, request_head(method=b"HEAD"))[0] == ok_request(method=b"HEAD")


def test_other_method_is_405() -> None:
    parser = RequestParser(plugins=[MethodAllowList(["GET", "HEAD"])])
    with pytest.raises(RemoteProtocolError) as info:
        parse(parser, request_head(b"Content-Length: 0", method=b"DELETE"))
    assert info.value.error_status_hint == 405
    assert "DELETE" in str(info.value)
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


def test_methods_are_case_sensitive() -> None:
    parser = RequestParser(plugins=[MethodAllowList(["GET"])])
    with pytest.raises(RemoteProtocolError) as info:
        parse(parser, request_head(method=b"get"))
    assert info.value.error_status_hint == 405


def test_refused_method_comes_before_its_body() -> None:
    parser = RequestParser(plugins=[MethodAllowList(["GET"])])
    parser.feed(chunked_request())
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


def test_a_later_pipelined_request_is_checked_too() -> None:
    parser = RequestParser(plugins=[MethodAllowList(["GET"])])
    parser.feed(request_head() + request_head(b"Content-Length: 0", method=b"PUT"))
    assert type(parser.next_event()) is Request
    assert type(parser.next_event()) is EndOfMessage
    with pytest.raises(RemoteProtocolError, match="PUT"):
        parser.next_event()


def test_responses_are_not_affected() -> None:
    parser = ResponseParser(plugins=[MethodAllowList(["GET"])])
    assert type(parse(parser, response_head(b"Content-Length: 0"))[0]) is Response


def test_sending_a_method_off_the_list_is_a_local_error() -> None:
    writer = RequestWriter(plugins=[MethodAllowList(["GET"])])
    with pytest.raises(LocalProtocolError, match="POST"):
        writer.send(request((b"Content-Length", b"0"), method=b"POST"))
    assert writer.send(request()).startswith(b"GET / ")


# ---- EventLogger -------------------------------------------------------------------------------


def test_logger_records_received_events_in_order() -> None:
    records: list[tuple[str, Any]] = []
    parser = RequestParser(plugins=[EventLogger(records.append)])
    events = parse(parser, chunked_request(b"X-Sum: 3"))
    assert records == [("receive", event) for event in events[:-1]]
    assert [type(e) for _, e in records] == [Request, Data, EndOfMessage]


def test_logger_records_sent_events() -> None:
    records: list[tuple[str, Any]] = []
    writer = ResponseWriter(plugins=[EventLogger(records.append)])
    sent = [
        InformationalResponse(status_code=100, headers=[]),
        Response(status_code=200, headers=[(b"Content-Length", b"2")]),
        Data(data=b"ok"),
        EndOfMessage(),
    ]
    for event in sent:
        writer.send(event)
    assert records == [("send", event) for event in sent]


def test_logger_sees_an_event_another_plugin_refuses_after_it() -> None:
    # Registered later, the allow list is called first and stops the call chain.
    records: list[tuple[str, Any]] = []
    parser = RequestParser(plugins=[EventLogger(records.append), MethodAllowList(["GET"])])
    with pytest.raises(RemoteProtocolError):
        parse(parser, request_head(b"Content-Length: 0", method=b"PUT"))
    assert records == []
    parser = RequestParser(plugins=[MethodAllowList(["GET"]), EventLogger(records.append)])
    with pytest.raises(RemoteProtocolError):
        parse(parser, request_head(b"Content-Length: 0", method=b"PUT"))
    assert [(d, type(e)) for d, e in records] == [("receive", Request)]


def test_logger_changes_nothing() -> None:
    data = chunked_request(b"X-Sum: 3") + request_head()
    plain = parse(RequestParser(), data)
    logged = parse(RequestParser(plugins=[EventLogger(lambda record: None)]), data)
    assert logged == plain


def test_all_examples_together_accept_a_clean_exchange() -> None:
    records: list[tuple[str, Any]] = []
    plugins = [
        RejectUnderscoreHeaders(),
        HeaderLimits(10, 1000),
        MethodAllowList(["POST"]),
        EventLogger(records.append),
    ]
    events = parse(RequestParser(plugins=plugins), chunked_request(b"X-Sum: 3"))
    assert events[-2] == eom((b"X-Sum", b"3"))
    assert len(records) == 3
