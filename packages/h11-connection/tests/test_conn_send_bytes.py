"""send() output byte for byte, as PyPI h11 0.16 produces it, for every framing."""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import EOM, GET_10, GET_11, server_with


def request_bytes(*events: h11.Event) -> list[bytes | None]:
    """What a fresh client's send() returns for each event."""
    client = h11.Connection(h11.CLIENT)
    return [client.send(event) for event in events]


def response_bytes(request: bytes, *events: h11.Event) -> list[bytes | None]:
    """What a server that received ``request`` returns from send() for each event."""
    server = server_with(request)
    return [server.send(event) for event in events]


def test_get_request_head() -> None:
    assert request_bytes(h11.Request(method="GET", target="/", headers=[("Host", "a")]), EOM) == [
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        b"",
    ]


def test_request_header_case_kept_and_host_written_first() -> None:
    """h11 moves Host to the front (RFC 9112 3.2: a client sends Host first)."""
    head = h11.Request(
        method="OPTIONS",
        target="*",
        headers=[("X-Zed", "1"), ("host", "h"), ("ACCEPT", "*/*"), ("x-zed", "2")],
    )
    assert request_bytes(head) == [
        b"OPTIONS * HTTP/1.1\r\nhost: h\r\nX-Zed: 1\r\nACCEPT: */*\r\nx-zed: 2\r\n\r\n"
    ]


def test_request_with_content_length_body() -> None:
    head = h11.Request(method="POST", target="/p", headers=[("Host", "a"), ("Content-Length", "5")])
    assert request_bytes(head, h11.Data(data=b"he"), h11.Data(data=b"llo"), EOM) == [
        b"POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n",
        b"he",
        b"llo",
        b"",
    ]


def test_request_with_chunked_body_and_trailers() -> None:
    head = h11.Request(
        method="POST", target="/", headers=[("Host", "a"), ("Transfer-Encoding", "chunked")]
    )
    assert request_bytes(
        head,
        h11.Data(data=b"hello"),
        h11.Data(data=b""),
        h11.Data(data=b"x" * 26),
        h11.EndOfMessage(headers=[("X-Checksum", "abc"), ("X-Other", "1")]),
    ) == [
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"5\r\nhello\r\n",
        b"",
        b"1a\r\n" + b"x" * 26 + b"\r\n",
        b"0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n",
    ]


def test_chunk_size_is_lowercase_hex() -> None:
    head = h11.Request(
        method="POST", target="/", headers=[("Host", "a"), ("Transfer-Encoding", "chunked")]
    )
    out = request_bytes(head, h11.Data(data=b"y" * 255), h11.Data(data=b"z" * 4096))
    assert out[1] == b"ff\r\n" + b"y" * 255 + b"\r\n"
    assert out[2] == b"1000\r\n" + b"z" * 4096 + b"\r\n"


def test_request_without_framing_has_no_body() -> None:
    client = h11.Connection(h11.CLIENT)
    head = client.send(h11.Request(method="POST", target="/", headers=[("Host", "a")]))
    assert head == b"POST / HTTP/1.1\r\nHost: a\r\n\r\n"
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Data(data=b"x"))


@pytest.mark.differs_from_h11
def test_request_with_te_and_cl_is_refused() -> None:
    """RFC 9112 6.2: a sender MUST NOT send both (h11 writes both)."""
    client = h11.Connection(h11.CLIENT)
    head = h11.Request(
        method="POST",
        target="/",
        headers=[("Host", "a"), ("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
    )
    with pytest.raises(h11.LocalProtocolError, match="Transfer-Encoding and Content-Length"):
        client.send(head)
    assert client.our_state is h11.ERROR


def test_http10_request_cannot_be_sent() -> None:
    client = h11.Connection(h11.CLIENT)
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method="GET", target="/", headers=[], http_version="1.0"))


def test_response_status_line_with_and_without_reason() -> None:
    assert response_bytes(
        GET_11, h11.Response(status_code=404, reason="Not Found", headers=[("Content-Length", "0")])
    ) == [b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"]
    assert response_bytes(
        GET_11, h11.Response(status_code=200, headers=[("Content-Length", "0")])
    ) == [b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"]


def test_response_header_case_kept() -> None:
    out = response_bytes(
        GET_11,
        h11.Response(status_code=200, headers=[("X-Custom-Header", "v"), ("content-length", "0")]),
    )
    assert out == [b"HTTP/1.1 200 \r\nX-Custom-Header: v\r\ncontent-length: 0\r\n\r\n"]


def test_response_without_length_to_http11_peer_becomes_chunked() -> None:
    assert response_bytes(
        GET_11, h11.Response(status_code=200, headers=[]), h11.Data(data=b"hello"), EOM
    ) == [b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n", b"5\r\nhello\r\n", b"0\r\n\r\n"]


def test_response_chunked_trailers() -> None:
    out = response_bytes(
        GET_11,
        h11.Response(status_code=200, headers=[("Transfer-Encoding", "chunked")]),
        h11.Data(data=b"0123456789abcdef"),
        h11.EndOfMessage(headers=[("Checksum", "x")]),
    )
    assert out == [
        b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n",
        b"10\r\n0123456789abcdef\r\n",
        b"0\r\nChecksum: x\r\n\r\n",
    ]


def test_response_with_content_length_to_http11_peer() -> None:
    assert response_bytes(
        GET_11,
        h11.Response(status_code=200, headers=[("Content-Length", "3")]),
        h11.Data(data=b"abc"),
        EOM,
    ) == [b"HTTP/1.1 200 \r\nContent-Length: 3\r\n\r\n", b"abc", b""]


def test_response_without_length_to_http10_peer_is_close_delimited() -> None:
    assert response_bytes(
        GET_10, h11.Response(status_code=200, headers=[]), h11.Data(data=b"hello"), EOM
    ) == [b"HTTP/1.1 200 \r\nConnection: close\r\n\r\n", b"hello", b""]


def test_chunked_response_to_http10_peer_becomes_close_delimited() -> None:
    assert response_bytes(
        GET_10,
        h11.Response(status_code=200, headers=[("Transfer-Encoding", "chunked")]),
        h11.Data(data=b"abc"),
        EOM,
    ) == [b"HTTP/1.1 200 \r\nConnection: close\r\n\r\n", b"abc", b""]


def test_content_length_response_to_http10_peer_adds_close() -> None:
    assert response_bytes(
        GET_10,
        h11.Response(status_code=200, headers=[("Content-Length", "3")]),
        h11.Data(data=b"abc"),
        EOM,
    ) == [b"HTTP/1.1 200 \r\nContent-Length: 3\r\nConnection: close\r\n\r\n", b"abc", b""]


def test_response_with_te_and_cl_drops_content_length() -> None:
    """A server's Connection completes framing: chunked wins and the Content-Length is
    dropped, so the wire never holds both (RFC 9112 6.2). uvicorn's tests of Starlette-style
    apps set Transfer-Encoding on a Response whose class adds a Content-Length: a refusal
    would break them (README, "Differences from h11")."""
    out = response_bytes(
        GET_11,
        h11.Response(
            status_code=200, headers=[("Transfer-Encoding", "chunked"), ("Content-Length", "5")]
        ),
    )
    assert out == [b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n"]


def test_head_response_gets_framing_headers_but_no_body() -> None:
    head = b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"
    assert response_bytes(head, h11.Response(status_code=200, headers=[]), EOM) == [
        b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n",
        b"",
    ]
    assert response_bytes(
        head, h11.Response(status_code=200, headers=[("Content-Length", "10")]), EOM
    ) == [
        b"HTTP/1.1 200 \r\nContent-Length: 10\r\n\r\n",
        b"",
    ]


def test_head_response_refuses_body_data() -> None:
    server = server_with(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "10")]))
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.Data(data=b"x"))


def test_head_response_to_http10_peer() -> None:
    assert response_bytes(
        b"HEAD / HTTP/1.0\r\n\r\n", h11.Response(status_code=200, headers=[])
    ) == [b"HTTP/1.1 200 \r\nConnection: close\r\n\r\n"]


@pytest.mark.parametrize("status", [204, 304])
def test_204_304_responses_get_no_framing_and_no_body(status: int) -> None:
    assert response_bytes(GET_11, h11.Response(status_code=status, headers=[]), EOM) == [
        b"HTTP/1.1 %d \r\n\r\n" % status,
        b"",
    ]


def test_304_keeps_given_content_length() -> None:
    assert response_bytes(
        GET_11, h11.Response(status_code=304, headers=[("Content-Length", "100")]), EOM
    ) == [
        b"HTTP/1.1 304 \r\nContent-Length: 100\r\n\r\n",
        b"",
    ]


def test_204_refuses_body_data() -> None:
    server = server_with(GET_11)
    server.send(h11.Response(status_code=204, headers=[]))
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.Data(data=b"x"))


def test_informational_response_bytes() -> None:
    assert response_bytes(
        GET_11,
        h11.InformationalResponse(
            status_code=103, reason="Early Hints", headers=[("Link", "</s>")]
        ),
        h11.Response(status_code=200, headers=[("Content-Length", "0")]),
    ) == [
        b"HTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n",
        b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
    ]


def test_response_to_connection_close_request_adds_close() -> None:
    out = response_bytes(
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        h11.Response(status_code=200, headers=[("Content-Length", "0")]),
    )
    assert out == [b"HTTP/1.1 200 \r\nContent-Length: 0\r\nConnection: close\r\n\r\n"]


def test_response_http_version_other_than_11_refused() -> None:
    server = server_with(GET_11)
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.Response(status_code=200, headers=[], http_version="1.0"))


def test_too_much_data_for_content_length_is_local_error() -> None:
    server = server_with(GET_11)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "3")]))
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.Data(data=b"abcd"))
    assert server.our_state is h11.ERROR


def test_too_little_data_for_content_length_is_local_error() -> None:
    server = server_with(GET_11)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "3")]))
    server.send(h11.Data(data=b"ab"))
    with pytest.raises(h11.LocalProtocolError):
        server.send(EOM)
    assert server.our_state is h11.ERROR


def test_trailers_without_chunked_is_local_error() -> None:
    server = server_with(GET_11)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.EndOfMessage(headers=[("X", "y")]))


def test_empty_data_with_content_length_writes_nothing() -> None:
    server = server_with(GET_11)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    assert server.send(h11.Data(data=b"")) == b""
    assert server.send(EOM) == b""


def test_bytes_like_payload_returned_as_bytes() -> None:
    server = server_with(GET_11)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "3")]))
    out = server.send(h11.Data(data=bytearray(b"abc")))
    assert out == b"abc"
    assert type(out) is bytes


def test_send_connection_closed_returns_none() -> None:
    server = server_with(GET_10)
    server.send(h11.Response(status_code=200, headers=[]))
    server.send(EOM)
    assert server.send(h11.ConnectionClosed()) is None
    assert server.our_state is h11.CLOSED


def test_idle_client_may_close() -> None:
    client = h11.Connection(h11.CLIENT)
    assert client.send(h11.ConnectionClosed()) is None
    assert (client.our_state, client.their_state) == (h11.CLOSED, h11.MUST_CLOSE)


def test_done_client_may_close() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(EOM)
    assert client.send(h11.ConnectionClosed()) is None
    assert client.our_state is h11.CLOSED


def test_closing_mid_message_is_local_error() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(method="POST", target="/", headers=[("Host", "a"), ("Content-Length", "1")])
    )
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.ConnectionClosed())
    assert client.our_state is h11.ERROR


@pytest.mark.parametrize("payload", [b"payload", bytearray(b"payload"), memoryview(b"payload")])
def test_passthrough_keeps_chunked_payload_object(payload: bytes) -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(
            method="POST", target="/", headers=[("Host", "a"), ("Transfer-Encoding", "chunked")]
        )
    )
    pieces = client.send_with_data_passthrough(h11.Data(data=payload))
    assert any(piece is payload for piece in pieces)
    assert b"".join(bytes(p) for p in pieces) == b"7\r\npayload\r\n"


@pytest.mark.parametrize("payload", [b"payload", bytearray(b"payload")])
def test_passthrough_keeps_content_length_payload_object(payload: bytes) -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(method="POST", target="/", headers=[("Host", "a"), ("Content-Length", "7")])
    )
    pieces = client.send_with_data_passthrough(h11.Data(data=payload))
    assert any(piece is payload for piece in pieces)
    assert b"".join(bytes(p) for p in pieces) == b"payload"


def test_passthrough_head_joins_to_send_bytes() -> None:
    client = h11.Connection(h11.CLIENT)
    pieces = client.send_with_data_passthrough(
        h11.Request(method="GET", target="/", headers=[("Host", "a")])
    )
    assert b"".join(pieces) == b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    assert b"".join(client.send_with_data_passthrough(EOM)) == b""


def test_passthrough_end_of_a_content_length_body_is_no_pieces() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(method="POST", target="/", headers=[("Host", "a"), ("Content-Length", "2")])
    )
    client.send(h11.Data(data=b"hi"))
    assert client.send_with_data_passthrough(EOM) == []
    assert client.our_state is h11.DONE


def test_passthrough_end_of_a_chunked_body_joins_to_last_chunk_and_trailers() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(
            method="POST", target="/", headers=[("Host", "a"), ("Transfer-Encoding", "chunked")]
        )
    )
    pieces = client.send_with_data_passthrough(h11.EndOfMessage(headers=[("X", "1")]))
    assert b"".join(pieces) == b"0\r\nX: 1\r\n\r\n"


def test_passthrough_close_returns_empty_list_or_none() -> None:
    client = h11.Connection(h11.CLIENT)
    assert not client.send_with_data_passthrough(h11.ConnectionClosed())
    assert client.our_state is h11.CLOSED


def test_host_moved_first_before_framing_headers() -> None:
    head = h11.Request(
        method="GET", target="/", headers=[("X", "1"), ("Content-Length", "0"), ("Host", "a")]
    )
    assert request_bytes(head) == [
        b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\nContent-Length: 0\r\n\r\n"
    ]


def test_added_framing_and_close_headers_go_last() -> None:
    out = response_bytes(
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        h11.Response(
            status_code=200, headers=[("X", "1"), ("Connection", "keep-alive"), ("Y", "2")]
        ),
    )
    assert out == [
        b"HTTP/1.1 200 \r\nX: 1\r\nY: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ]


def test_chunked_removed_in_place_for_http10_peer() -> None:
    out = response_bytes(
        GET_10,
        h11.Response(
            status_code=200, headers=[("X", "1"), ("Transfer-Encoding", "chunked"), ("Y", "2")]
        ),
    )
    assert out == [b"HTTP/1.1 200 \r\nX: 1\r\nY: 2\r\nConnection: close\r\n\r\n"]


def test_user_headers_kept_in_place_when_nothing_added() -> None:
    out = response_bytes(
        GET_11,
        h11.Response(
            status_code=200,
            headers=[("X", "1"), ("Content-Length", "0"), ("Y", "2"), ("Connection", "keep-alive")],
        ),
    )
    assert out == [
        b"HTTP/1.1 200 \r\nX: 1\r\nContent-Length: 0\r\nY: 2\r\nConnection: keep-alive\r\n\r\n"
    ]
