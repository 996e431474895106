"""Issue #15 through the h11 API: strict for requests a server reads, tolerant for
responses a client reads; each input whole and byte by byte.

Tests marked ``differs_from_h11`` pin down a deliberate difference (README table);
the others hold for PyPI h11 0.16 too.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import (
    CHUNKED_REQUEST,
    DIFFERS,
    SMUGGLED,
    first_message_events,
    next_events,
    rejected,
)

GET = b"GET / HTTP/1.1\r\nHost: a\r\n"


# ---- point 1 -------------------------------------------------------------------------------


@pytest.mark.parametrize("second", [b"b", b"a"], ids=["other", "same"])
def test_http10_request_with_two_hosts_is_400(second: bytes) -> None:
    rejected(b"GET / HTTP/1.0\r\nHost: a\r\nHost: " + second + b"\r\n\r\n", 400)


def test_http10_request_with_two_hosts_cannot_be_built() -> None:
    with pytest.raises(h11.LocalProtocolError):
        h11.Request(
            method="GET", target="/", headers=[("Host", "a"), ("Host", "a")], http_version="1.0"
        )


# ---- point 2 -------------------------------------------------------------------------------


@pytest.mark.parametrize("split", [False, True])
def test_h2_preface_is_reported_as_h11_reports_it(split: bool) -> None:
    """hypercorn's prior-knowledge check: Request(PRI, *, 2.0), then trailing_data."""
    server = h11.Connection(h11.SERVER)
    rest = b"SM\r\n\r\n\x00\x00\x12\x04\x00\x00\x00\x00\x00"
    events = first_message_events(server, b"PRI * HTTP/2.0\r\n\r\n" + rest, split=split)
    assert events == [
        h11.Request(method="PRI", target="*", headers=[], http_version="2.0"),
        h11.EndOfMessage(),
    ]
    assert server.next_event() is h11.PAUSED
    assert server.trailing_data == (rest, False)
    assert server.their_http_version == b"2.0"
    assert server.states == {h11.CLIENT: h11.DONE, h11.SERVER: h11.SEND_RESPONSE}


@DIFFERS
@pytest.mark.parametrize(
    "data",
    [
        b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        b"PRI * HTTP/2.0\r\nHost: a\r\n\r\n",
        b"PRI / HTTP/2.0\r\n\r\n",
    ],
)
def test_other_http2_requests_are_505(data: bytes) -> None:
    rejected(data, 505)


# ---- point 5 -------------------------------------------------------------------------------


@pytest.mark.parametrize("cycles", [0, 1])
def test_client_that_sees_the_server_close_while_idle_must_close(cycles: int) -> None:
    client = h11.Connection(h11.CLIENT)
    for _ in range(cycles):
        client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
        client.send(h11.EndOfMessage())
        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
            client.receive_data(bytes([byte]))
        assert [type(e) for e in next_events(client)] == [
            h11.Response,
            h11.EndOfMessage,
            h11.NEED_DATA,
        ]
        client.start_next_cycle()
    assert client.states == {h11.CLIENT: h11.IDLE, h11.SERVER: h11.IDLE}
    client.receive_data(b"")
    assert type(client.next_event()) is h11.ConnectionClosed
    assert client.states == {h11.CLIENT: h11.MUST_CLOSE, h11.SERVER: h11.CLOSED}
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))


# ---- point 6: the Connection and the standalone parser agree --------------------------------


@pytest.mark.parametrize(
    "first",
    [
        pytest.param(
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Length: 3\r\n\r\n0\r\n\r\n",
            id="te-and-cl",
            marks=DIFFERS,  # h11 keeps the connection alive after it
        ),
        pytest.param(GET + b"Connection: close\r\n\r\n", id="close"),
        pytest.param(b"GET / HTTP/1.0\r\n\r\n", id="http10"),
    ],
)
@pytest.mark.parametrize("split", [False, True])
def test_no_request_after_a_message_that_ends_the_connection(first: bytes, split: bool) -> None:
    """The standalone RequestParser raises the very same error (h11-parser's
    test_request_parser_stops_after_a_message_that_ends_the_connection)."""
    server = h11.Connection(h11.SERVER)
    events = first_message_events(server, first + SMUGGLED, split=split)
    assert type(events[-1]) is h11.EndOfMessage
    assert server.their_state is h11.MUST_CLOSE
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(h11.EndOfMessage())
    with pytest.raises(h11.RemoteProtocolError, match="Got data when expecting EOF") as info:
        server.next_event()
    assert info.value.error_status_hint == 400


# ---- points 7 to 11 and 13: request strictness, response tolerance --------------------------


@DIFFERS
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", id="target-relative"),
        pytest.param(b"GET ! HTTP/1.1\r\nHost: a\r\n\r\n", id="target-bang"),
        pytest.param(b"GET example.com/ HTTP/1.1\r\nHost: a\r\n\r\n", id="target-no-scheme"),
        pytest.param(b"DELETE * HTTP/1.1\r\nHost: a\r\n\r\n", id="target-star-not-options"),
        pytest.param(b"GET a:443 HTTP/1.1\r\nHost: a\r\n\r\n", id="target-authority-not-connect"),
        pytest.param(b"CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", id="connect-origin-form"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", id="host-list"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n", id="host-space"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", id="host-userinfo"),
    ],
)
def test_request_strictness_is_400(data: bytes) -> None:
    rejected(data, 400)


@pytest.mark.parametrize(
    "data",
    [
        b"GET / HTTP/01.1\r\nHost: a\r\n\r\n",
        b"GET / HTTP/51.1\r\nHost: a\r\n\r\n",
        b"GET / HTTP/1.10\r\nHost: a\r\n\r\n",
    ],
)
def test_malformed_request_version_is_400(data: bytes) -> None:
    rejected(data, 400)


def test_malformed_status_line_version_is_400() -> None:
    rejected(b"HTTP/01.1 200 OK\r\nContent-Length: 0\r\n\r\n", 400, role=h11.CLIENT)


@pytest.mark.parametrize(
    ("target", "method", "host"),
    [
        (b"*", b"OPTIONS", b"a"),
        (b"http://a/x", b"GET", b"a"),
        (b"a:443", b"CONNECT", b"a:443"),
        (b"/", b"GET", b"[::1]:8080"),
        (b"/", b"GET", b""),
    ],
)
@pytest.mark.parametrize("split", [False, True])
def test_request_forms_that_stay_accepted(
    target: bytes, method: bytes, host: bytes, split: bool
) -> None:
    server = h11.Connection(h11.SERVER)
    data = method + b" " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n"
    events = first_message_events(server, data, split=split)
    assert events == [
        h11.Request(method=method, target=target, headers=[("Host", host)]),
        h11.EndOfMessage(),
    ]


@DIFFERS
@pytest.mark.parametrize("value", [b",chunked", b"chunked,", b" , chunked", b"chunked\r\nTE2:"])
def test_empty_transfer_encoding_members_are_400_in_requests(value: bytes) -> None:
    """Issue #27: as llhttp strict (h11: 501); ``TE2:`` makes a second, empty field."""
    value = value.replace(b"TE2", b"Transfer-Encoding")
    data = (
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
        + value
        + b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    for message in rejected(data, 400):
        assert "empty list member" in message


@DIFFERS
@pytest.mark.parametrize("value", [b",chunked", b"chunked,", b" , chunked"])
@pytest.mark.parametrize("split", [False, True])
def test_empty_transfer_encoding_members_are_ignored_in_responses(
    value: bytes, split: bool
) -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(h11.EndOfMessage())
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: " + value + b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    events = first_message_events(client, data, split=split)
    assert events[1:] == [h11.Data(data=b"hello"), h11.EndOfMessage()]
    assert client.their_state is h11.DONE


# ---- point 12 ------------------------------------------------------------------------------


def test_truncated_body_error_names_both_figures() -> None:
    data = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nhello"
    for message in rejected(data, 400, eof=True):
        assert "received 5 bytes, expected 100" in message


def test_truncated_chunked_body_error_says_so() -> None:
    for message in rejected(CHUNKED_REQUEST + b"5\r\nhel", 400, eof=True):
        assert "incomplete chunked read" in message
