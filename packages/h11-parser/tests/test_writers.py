"""RequestWriter / ResponseWriter: exact bytes on the wire, framing enforced.

The expected bytes are what h11 0.16's Connection.send produces for the same,
already completed, events.
"""

from __future__ import annotations

from typing import Any

import pytest
from h11_events import (
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    Request,
    Response,
)
from h11_parser import RequestWriter, ResponseWriter


def request(*fields: tuple[bytes, bytes], method: bytes = b"POST", target: bytes = b"/") -> Request:
    return Request(method=method, target=target, headers=[(b"Host", b"example.com"), *fields])


HEAD_CL5 = b"POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\n"
HEAD_CHUNKED = b"POST / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"


# ---- request heads ----------------------------------------------------------------------------


def test_request_head_bytes() -> None:
    event = Request(
        method=b"GET",
        target=b"/path?q=1",
        headers=[(b"Host", b"example.com"), (b"X-Mixed-CASE", b"Va lue"), (b"accept", b"*/*")],
    )
    assert RequestWriter().send(event) == (
        b"GET /path?q=1 HTTP/1.1\r\nHost: example.com\r\n"
        b"X-Mixed-CASE: Va lue\r\naccept: */*\r\n\r\n"
    )


def test_request_head_keeps_header_order_and_repeats() -> None:
    event = request((b"A", b"1"), (b"b", b"2"), (b"A", b"3"), (b"Content-Length", b"0"))
    assert RequestWriter().send(event) == (
        b"POST / HTTP/1.1\r\nHost: example.com\r\nA: 1\r\nb: 2\r\nA: 3\r\nContent-Length: 0\r\n\r\n"
    )


def test_request_head_with_str_fields() -> None:
    event = Request(method="OPTIONS", target="*", headers=[("Host", "h")])
    assert RequestWriter().send(event) == b"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"


def test_request_without_body() -> None:
    writer = RequestWriter()
    assert writer.send(request(method=b"GET")) == b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"
    assert writer.send(EndOfMessage()) == b""


def test_request_without_framing_refuses_data() -> None:
    writer = RequestWriter()
    writer.send(request(method=b"GET"))
    with pytest.raises(LocalProtocolError):
        writer.send(Data(data=b"x"))


# ---- Content-Length bodies --------------------------------------------------------------------


def test_content_length_body_bytes() -> None:
    writer = RequestWriter()
    assert writer.send(request((b"Content-Length", b"5"))) == HEAD_CL5
    assert writer.send(Data(data=b"he")) == b"he"
    assert writer.send(Data(data=b"")) == b""
    assert writer.send(Data(data=b"llo")) == b"llo"
    assert writer.send(EndOfMessage()) == b""


@pytest.mark.parametrize(
    "pieces",
    [[b"hello!"], [b"hel", b"lo!"], [b"hello", b"!"], [b"abc", b"abc"]],
)
def test_content_length_too_much_is_local_error(pieces: list[bytes]) -> None:
    writer = RequestWriter()
    writer.send(request((b"Content-Length", b"5")))
    for piece in pieces[:-1]:
        assert writer.send(Data(data=piece)) == piece
    with pytest.raises(LocalProtocolError):
        writer.send(Data(data=pieces[-1]))


@pytest.mark.parametrize("pieces", [[], [b"hell"], [b"h", b"e"]])
def test_content_length_too_little_is_local_error(pieces: list[bytes]) -> None:
    writer = RequestWriter()
    writer.send(request((b"Content-Length", b"5")))
    for piece in pieces:
        writer.send(Data(data=piece))
    with pytest.raises(LocalProtocolError):
        writer.send(EndOfMessage())


def test_content_length_zero() -> None:
    writer = RequestWriter()
    writer.send(request((b"Content-Length", b"0")))
    with pytest.raises(LocalProtocolError):
        writer.send(Data(data=b"x"))
    writer = RequestWriter()
    writer.send(request((b"Content-Length", b"0")))
    assert writer.send(EndOfMessage()) == b""


# ---- chunked bodies ---------------------------------------------------------------------------


def test_chunked_body_bytes() -> None:
    writer = RequestWriter()
    assert writer.send(request((b"Transfer-Encoding", b"chunked"))) == HEAD_CHUNKED
    assert writer.send(Data(data=b"hello")) == b"5\r\nhello\r\n"
    assert writer.send(Data(data=b"")) == b""
    assert writer.send(Data(data=b"x" * 300)) == b"12c\r\n" + b"x" * 300 + b"\r\n"
    assert writer.send(Data(data=b"0123456789")) == b"a\r\n0123456789\r\n"
    assert writer.send(EndOfMessage()) == b"0\r\n\r\n"


def test_chunked_trailers() -> None:
    writer = RequestWriter()
    writer.send(request((b"Transfer-Encoding", b"chunked")))
    writer.send(Data(data=b"abc"))
    assert writer.send(EndOfMessage(headers=[(b"X-Checksum", b"1a2b"), (b"etag", b'"v"')])) == (
        b'0\r\nX-Checksum: 1a2b\r\netag: "v"\r\n\r\n'
    )


def test_chunked_without_data() -> None:
    writer = RequestWriter()
    writer.send(request((b"Transfer-Encoding", b"chunked")))
    assert writer.send(EndOfMessage()) == b"0\r\n\r\n"


def test_chunked_data_may_hold_crlf_and_zero_lines() -> None:
    writer = RequestWriter()
    writer.send(request((b"Transfer-Encoding", b"chunked")))
    payload = b"0\r\n\r\nGET / HTTP/1.1\r\n"
    assert writer.send(Data(data=payload)) == b"%x\r\n" % len(payload) + payload + b"\r\n"


def test_bytes_like_data() -> None:
    writer = RequestWriter()
    writer.send(request((b"Transfer-Encoding", b"chunked")))
    # Data is typed as bytes, but any bytes-like payload may be sent.
    mutable: Any = bytearray(b"abc")
    view: Any = memoryview(b"de")
    assert writer.send(Data(data=mutable)) == b"3\r\nabc\r\n"
    assert writer.send(Data(data=view)) == b"2\r\nde\r\n"


def test_writer_serves_several_messages() -> None:
    writer = RequestWriter()
    for _ in range(3):
        assert writer.send(request((b"Content-Length", b"5"))) == HEAD_CL5
        assert writer.send(Data(data=b"hello")) == b"hello"
        assert writer.send(EndOfMessage()) == b""
        assert writer.send(request((b"Transfer-Encoding", b"chunked"))) == HEAD_CHUNKED
        assert writer.send(Data(data=b"hi")) == b"2\r\nhi\r\n"
        assert writer.send(EndOfMessage()) == b"0\r\n\r\n"


# ---- passthrough ------------------------------------------------------------------------------


def test_passthrough_content_length_gives_the_same_object() -> None:
    writer = RequestWriter()
    head = writer.send_with_data_passthrough(request((b"Content-Length", b"5")))
    assert b"".join(head) == HEAD_CL5
    payload = b"hello"
    out = writer.send_with_data_passthrough(Data(data=payload))
    assert out == [payload]
    assert out[0] is payload
    assert b"".join(writer.send_with_data_passthrough(EndOfMessage())) == b""


@pytest.mark.parametrize("payload", [b"hello", bytearray(b"hello"), memoryview(b"hello")])
def test_passthrough_chunked_holds_the_same_object(payload: bytes) -> None:
    writer = RequestWriter()
    writer.send_with_data_passthrough(request((b"Transfer-Encoding", b"chunked")))
    out = writer.send_with_data_passthrough(Data(data=payload))
    assert any(part is payload for part in out)
    assert b"".join(bytes(part) for part in out) == b"5\r\nhello\r\n"
    end = writer.send_with_data_passthrough(EndOfMessage())
    assert b"".join(bytes(part) for part in end) == b"0\r\n\r\n"


def test_passthrough_matches_send() -> None:
    events = [
        request((b"Transfer-Encoding", b"chunked"), (b"X", b"y")),
        Data(data=b"abc"),
        Data(data=b""),
        Data(data=b"x" * 20),
        EndOfMessage(headers=[(b"T", b"1")]),
    ]
    sent: list[bytes] = []
    plain, passthrough = RequestWriter(), RequestWriter()
    for event in events:
        sent.append(plain.send(event))
        joined = b"".join(bytes(p) for p in passthrough.send_with_data_passthrough(event))
        assert joined == sent[-1]


# ---- responses --------------------------------------------------------------------------------


def response(status: int = 200, *fields: tuple[bytes, bytes], reason: bytes = b"OK") -> Response:
    return Response(status_code=status, reason=reason, headers=list(fields))


def test_response_head_bytes() -> None:
    event = response(200, (b"Content-Length", b"2"), (b"Server", b"x/1"))
    assert ResponseWriter().send(event) == (
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: x/1\r\n\r\n"
    )


def test_response_head_with_empty_reason() -> None:
    event = response(404, (b"Content-Length", b"0"), reason=b"")
    assert ResponseWriter().send(event) == b"HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n"


def test_response_head_with_obs_text_reason() -> None:
    event = response(200, (b"Content-Length", b"0"), reason=b"\xe9t\xe9 ok")
    assert ResponseWriter().send(event) == b"HTTP/1.1 200 \xe9t\xe9 ok\r\nContent-Length: 0\r\n\r\n"


def test_informational_then_final_response() -> None:
    writer = ResponseWriter()
    assert (
        writer.send(InformationalResponse(status_code=100, reason=b"Continue", headers=[]))
        == b"HTTP/1.1 100 Continue\r\n\r\n"
    )
    early = InformationalResponse(
        status_code=103, reason=b"Early Hints", headers=[(b"Link", b"</a.css>")]
    )
    assert writer.send(early) == b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
    assert writer.send(response(200, (b"Content-Length", b"2"))) == (
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
    )
    assert writer.send(Data(data=b"hi")) == b"hi"
    assert writer.send(EndOfMessage()) == b""


def test_chunked_response_with_trailers() -> None:
    writer = ResponseWriter()
    assert writer.send(response(200, (b"Transfer-Encoding", b"chunked"))) == (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    assert writer.send(Data(data=b"x" * 16)) == b"10\r\n" + b"x" * 16 + b"\r\n"
    assert writer.send(EndOfMessage(headers=[(b"Server-Timing", b"a;dur=1")])) == (
        b"0\r\nServer-Timing: a;dur=1\r\n\r\n"
    )


def test_close_delimited_response() -> None:
    writer = ResponseWriter()
    assert writer.send(response(200, (b"Connection", b"close"))) == (
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
    )
    assert writer.send(Data(data=b"0\r\n\r\n")) == b"0\r\n\r\n"
    assert writer.send(Data(data=b"more")) == b"more"
    assert writer.send(EndOfMessage()) == b""


def test_response_content_length_enforced() -> None:
    writer = ResponseWriter()
    writer.send(response(200, (b"Content-Length", b"3")))
    with pytest.raises(LocalProtocolError):
        writer.send(Data(data=b"abcd"))
    writer = ResponseWriter()
    writer.send(response(200, (b"Content-Length", b"3")))
    writer.send(Data(data=b"ab"))
    with pytest.raises(LocalProtocolError):
        writer.send(EndOfMessage())


def test_head_response_has_no_body() -> None:
    writer = ResponseWriter(request_method=b"HEAD")
    assert writer.send(response(200, (b"Content-Length", b"5"))) == (
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
    )
    assert writer.send(EndOfMessage()) == b""


@pytest.mark.parametrize("status", [204, 304])
def test_no_body_statuses(status: int) -> None:
    writer = ResponseWriter()
    assert writer.send(response(status, reason=b"")) == b"HTTP/1.1 %d \r\n\r\n" % status
    assert writer.send(EndOfMessage()) == b""


def test_response_passthrough_gives_the_same_object() -> None:
    writer = ResponseWriter()
    writer.send_with_data_passthrough(response(200, (b"Content-Length", b"3")))
    payload: Any = bytearray(b"abc")
    out = writer.send_with_data_passthrough(Data(data=payload))
    assert len(out) == 1
    assert out[0] is payload


# ---- misuse is LocalProtocolError -------------------------------------------------------------


@pytest.mark.parametrize("event", [Data(data=b"x"), EndOfMessage()], ids=["data", "eom"])
def test_body_before_head_is_local_error(event: Data | EndOfMessage) -> None:
    with pytest.raises(LocalProtocolError):
        RequestWriter().send(event)
    with pytest.raises(LocalProtocolError):
        ResponseWriter().send(event)


def test_new_head_while_body_open_is_local_error() -> None:
    writer = RequestWriter()
    writer.send(request((b"Content-Length", b"1")))
    with pytest.raises(LocalProtocolError):
        writer.send(request((b"Content-Length", b"1")))
    responder = ResponseWriter()
    responder.send(response(200, (b"Transfer-Encoding", b"chunked")))
    with pytest.raises(LocalProtocolError):
        responder.send(response(200, (b"Content-Length", b"0")))


def test_wrong_head_for_the_writer_is_local_error() -> None:
    with pytest.raises(LocalProtocolError):
        RequestWriter().send(response(200, (b"Content-Length", b"0")))
    with pytest.raises(LocalProtocolError):
        ResponseWriter().send(request((b"Content-Length", b"0")))
    with pytest.raises(LocalProtocolError):
        RequestWriter().send(InformationalResponse(status_code=100, headers=[]))


@pytest.mark.parametrize("framing", [(b"Content-Length", b"1"), None], ids=["length", "none"])
def test_trailers_need_a_chunked_body(framing: tuple[bytes, bytes] | None) -> None:
    writer = RequestWriter()
    writer.send(request(*([framing] if framing else []), method=b"POST"))
    if framing:
        writer.send(Data(data=b"x"))
    with pytest.raises(LocalProtocolError):
        writer.send(EndOfMessage(headers=[(b"X-T", b"v")]))


def test_close_delimited_response_refuses_trailers() -> None:
    writer = ResponseWriter()
    writer.send(response(200, (b"Connection", b"close")))
    with pytest.raises(LocalProtocolError):
        writer.send(EndOfMessage(headers=[(b"X-T", b"v")]))


def test_only_http11_is_sent() -> None:
    """As h11: the writers speak HTTP/1.1 whatever the event says."""
    old = Request(method=b"GET", target=b"/", headers=[], http_version=b"1.0")
    with pytest.raises(LocalProtocolError):
        RequestWriter().send(old)
    with pytest.raises(LocalProtocolError):
        ResponseWriter().send(Response(status_code=200, headers=[], http_version=b"1.0"))


def test_writer_usable_after_a_complete_message_only() -> None:
    writer = ResponseWriter()
    writer.send(response(200, (b"Content-Length", b"0")))
    assert writer.send(EndOfMessage()) == b""
    with pytest.raises(LocalProtocolError):
        writer.send(EndOfMessage())
    assert writer.send(response(204, reason=b"")) == b"HTTP/1.1 204 \r\n\r\n"
