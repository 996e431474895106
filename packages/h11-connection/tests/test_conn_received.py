"""What a Connection accepts and rejects on receive (RFC 9112 framing and syntax).

Cases h11 0.16 handles differently (it accepts them, or answers another status)
are marked ``differs_from_h11``: there we follow RFC 9110/9112 strictly.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import client_done, next_events

DIFFERS = pytest.mark.differs_from_h11
H = b"Host: a\r\n"
CH = b"Transfer-Encoding: chunked\r\n"
CHUNKED = b"POST / HTTP/1.1\r\n" + H + CH + b"\r\n"


def req(extra: bytes = b"", body: bytes = b"", line: bytes = b"POST / HTTP/1.1") -> bytes:
    """A request with Host, the ``extra`` header lines and ``body``."""
    return line + b"\r\n" + H + extra + b"\r\n" + body


def server_events_until_error(data: bytes) -> h11.RemoteProtocolError:
    """Feed ``data`` to a server and return the RemoteProtocolError it raises.

    No EOF is fed: the error must come from the bytes, not from a truncated message.
    """
    server = h11.Connection(h11.SERVER)
    server.receive_data(data)
    with pytest.raises(h11.RemoteProtocolError) as info:
        next_events(server)
    assert server.their_state is h11.ERROR
    return info.value


REJECTED_REQUESTS = [
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", 400, id="value_nul"),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n", 400, id="value_0x01", marks=DIFFERS
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n", 400, id="value_0x7f", marks=DIFFERS
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nX: a\x1fb\r\n\r\n", 400, id="value_0x1f", marks=DIFFERS
    ),
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400, id="value_bare_cr"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\nX: a\rY: b\r\n\r\n", 400, id="bare_cr_line_end"),
    pytest.param(b"GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400, id="bare_cr_in_request_line"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\nX : a\r\n\r\n", 400, id="space_before_colon"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\nX\t: a\r\n\r\n", 400, id="tab_before_colon"),
    pytest.param(b"GET / HTTP/1.1\r\n X: a\r\nHost: a\r\n\r\n", 400, id="leading_ws_first_field"),
    pytest.param(b"GET / HTTP/1.1\r\n\tX: a\r\nHost: a\r\n\r\n", 400, id="leading_tab_first_field"),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", 400, id="cl_plus"
    ),
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400, id="cl_minus"),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello", 400, id="cl_hex"
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400, id="cl_space_inside"
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1_0\r\n\r\n", 400, id="cl_underscore"
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \xd9\xa5\r\n\r\n",
        400,
        id="cl_non_ascii_digit",
    ),
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400, id="cl_empty"),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello",
        400,
        id="cl_differs_list",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        400,
        id="cl_differs_fields",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n",
        400,
        id="cl_too_big",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"8000000000000000\r\n",
        400,
        id="chunk_size_too_big",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"00000000000000001\r\nx\r\n0\r\n\r\n",
        400,
        id="chunk_size_17_hex_digits",
        marks=DIFFERS,
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501, id="te_gzip"
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 501, id="te_identity"
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        501,
        id="te_gzip_chunked",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        400,
        id="te_chunked_not_last",
        marks=DIFFERS,
    ),
    pytest.param(
        req(CH + CH),
        400,
        id="te_chunked_twice",
        marks=DIFFERS,
    ),
    pytest.param(
        b"POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400,
        id="te_in_http10_request",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"+5\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_size_plus",
    ),
    pytest.param(
        CHUNKED + b"-5\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_size_minus",
    ),
    pytest.param(
        CHUNKED + b"0x5\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_size_0x",
    ),
    pytest.param(
        CHUNKED + b" 5\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_size_leading_space",
    ),
    pytest.param(
        CHUNKED + b"5 \r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_size_trailing_space",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"5;a\rb\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_ext_bare_cr",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"5;a=\x01\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_ext_control",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"5;\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_ext_no_name",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"5;a=b c\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_ext_bad_value",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"5\r\nhelloXX0\r\n\r\n",
        400,
        id="chunk_data_no_crlf",
    ),
    pytest.param(
        CHUNKED + b"3\r\nhello\r\n0\r\n\r\n",
        400,
        id="chunk_data_too_long",
    ),
    pytest.param(b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, id="request_line_two_spaces"),
    pytest.param(b"GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, id="request_line_tab"),
    pytest.param(b"GET / http/1.1\r\nHost: a\r\n\r\n", 400, id="request_line_lowercase_http"),
    pytest.param(b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, id="request_line_trailing_space"),
    pytest.param(b"GET /\r\nHost: a\r\n\r\n", 400, id="request_line_no_version"),
    pytest.param(b"GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, id="target_non_ascii"),
    pytest.param(b"GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400, id="target_control"),
    pytest.param(b"GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400, id="target_del"),
    pytest.param(b"G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, id="method_non_token"),
    pytest.param(b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, id="http_2_0", marks=DIFFERS),
    pytest.param(b"GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, id="http_0_9", marks=DIFFERS),
    pytest.param(b"GET / HTTP/3.1\r\nHost: a\r\n\r\n", 505, id="http_3_1", marks=DIFFERS),
    pytest.param(b"GET / HTTP/1.1\r\n\r\n", 400, id="missing_host_11"),
    pytest.param(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, id="two_hosts_11"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400, id="no_colon"),
    pytest.param(b"POST / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400, id="empty_name"),
    pytest.param(
        CHUNKED + b"0\r\nX: a\x01b\r\n\r\n",
        400,
        id="trailer_bad_value",
        marks=DIFFERS,
    ),
    pytest.param(
        CHUNKED + b"0\r\nX : b\r\n\r\n",
        400,
        id="trailer_space_before_colon",
    ),
    # Issue #15 points 7 and 8: obs-fold and bare LF line ends in a request are 400.
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  b\r\n\r\n", 400, id="obs_fold", marks=DIFFERS
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\t\tb\r\n\r\n", 400, id="obs_fold_tab", marks=DIFFERS
    ),
    pytest.param(b"GET / HTTP/1.1\nHost: a\nX: b\n\n", 400, id="bare_lf", marks=DIFFERS),
]

ACCEPTED_REQUESTS = [
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
        [(b"host", b"a"), (b"content-length", b"5")],
        b"hello",
        [],
        id="cl_equal_list",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        [(b"host", b"a"), (b"content-length", b"5")],
        b"hello",
        [],
        id="cl_equal_fields",
    ),
    pytest.param(
        req(b"Transfer-Encoding:  ChUnKeD \r\n", b"5\r\nhello\r\n0\r\n\r\n"),
        [(b"host", b"a"), (b"transfer-encoding", b"chunked")],
        b"hello",
        [],
        id="te_case_ows",
    ),
    pytest.param(
        CHUNKED + b'5;name=value;flag;q="x y"\r\nhello\r\n0\r\n\r\n',
        [(b"host", b"a"), (b"transfer-encoding", b"chunked")],
        b"hello",
        [],
        id="chunk_ext_ok",
    ),
    pytest.param(
        CHUNKED + b"A\r\n0123456789\r\n0\r\n\r\n",
        [(b"host", b"a"), (b"transfer-encoding", b"chunked")],
        b"0123456789",
        [],
        id="chunk_uppercase_hex",
    ),
    pytest.param(
        CHUNKED + b"0005\r\nhello\r\n0000\r\n\r\n",
        [(b"host", b"a"), (b"transfer-encoding", b"chunked")],
        b"hello",
        [],
        id="chunk_leading_zeros",
    ),
    pytest.param(
        CHUNKED + b"5\r\nhello\r\n0\r\nX-T: 1\r\nX-U: two words\r\n\r\n",
        [(b"host", b"a"), (b"transfer-encoding", b"chunked")],
        b"hello",
        [(b"x-t", b"1"), (b"x-u", b"two words")],
        id="trailers",
    ),
    pytest.param(
        b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [(b"host", b"a")],
        b"",
        [],
        id="empty_lines_before_request",
        marks=DIFFERS,
    ),
    pytest.param(
        b"\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        [(b"host", b"a")],
        b"",
        [],
        id="bare_lf_empty_line_before_request",
        marks=DIFFERS,
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n",
        [(b"host", b"a"), (b"x", b"caf\xc3\xa9")],
        b"",
        [],
        id="value_obs_text",
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n",
        [(b"host", b"a"), (b"x", b"a\tb")],
        b"",
        [],
        id="value_tab_inside",
    ),
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: a\r\nX: \t a b \t\r\n\r\n",
        [(b"host", b"a"), (b"x", b"a b")],
        b"",
        [],
        id="value_ows_stripped",
    ),
    pytest.param(
        b"GET http://a/x?y HTTP/1.1\r\nHost: a\r\n\r\n",
        [(b"host", b"a")],
        b"",
        [],
        id="absolute_target",
    ),
    pytest.param(b"GET / HTTP/1.0\r\n\r\n", [], b"", [], id="http10_no_host"),
]


@pytest.mark.parametrize(("data", "hint"), REJECTED_REQUESTS)
def test_malformed_request_rejected_with_status_hint(data: bytes, hint: int) -> None:
    error = server_events_until_error(data)
    assert error.error_status_hint == hint
    assert str(error)


@pytest.mark.parametrize(("data", "headers", "body", "trailers"), ACCEPTED_REQUESTS)
def test_valid_request_parsed(
    data: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    trailers: list[tuple[bytes, bytes]],
) -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(data)
    events = next_events(server)
    assert type(events[0]) is h11.Request
    assert events[0].headers == headers
    assert b"".join(bytes(e.data) for e in events if type(e) is h11.Data) == body
    assert type(events[-2]) is h11.EndOfMessage
    assert events[-2].headers == trailers
    assert server.their_state in (h11.DONE, h11.MUST_CLOSE)


@DIFFERS
def test_empty_lines_before_pipelined_request_ignored() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(
        b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\n\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
    )
    next_events(server)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(h11.EndOfMessage())
    server.start_next_cycle()
    assert next_events(server)[0].target == b"/2"


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 200, b""),
        (b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", 200, b""),
        (b"HTTP/1.1 200 \xe9t\xe9\r\nContent-Length: 0\r\n\r\n", 200, b"\xe9t\xe9"),
        (b"HTTP/1.1 404 Not  Found\r\nContent-Length: 0\r\n\r\n", 404, b"Not  Found"),
        (b"HTTP/1.1 599 X\tY\r\nContent-Length: 0\r\n\r\n", 599, b"X\tY"),
        (b"HTTP/1.1 999 X\r\nContent-Length: 0\r\n\r\n", 999, b"X"),
    ],
)
def test_valid_status_lines_accepted(data: bytes, status: int, reason: bytes) -> None:
    client = client_done()
    client.receive_data(data)
    response = client.next_event()
    assert type(response) is h11.Response
    assert (response.status_code, response.reason) == (status, reason)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"HTTP/1.1 20 OK\r\n\r\n", id="two_digits"),
        pytest.param(b"HTTP/1.1 2000 OK\r\n\r\n", id="four_digits"),
        pytest.param(b"HTTP/1.1 2OO OK\r\n\r\n", id="letters"),
        pytest.param(b"HTTP/1.1 200OK\r\n\r\n", id="no_space"),
        pytest.param(b"HTTP/1.1 200 O\rK\r\n\r\n", id="reason_bare_cr"),
        pytest.param(b"HTTP/1.1 200 O\x01K\r\n\r\n", id="reason_control", marks=DIFFERS),
        pytest.param(b"HTTP/1.1 200 O\x7fK\r\n\r\n", id="reason_del", marks=DIFFERS),
        pytest.param(b"HTTP/1 200 OK\r\n\r\n", id="bad_version"),
        pytest.param(b"http/1.1 200 OK\r\n\r\n", id="lowercase_http"),
        pytest.param(b"HTTP/1.1 200 OK\r\nX: a\x01b\r\n\r\n", id="header_control", marks=DIFFERS),
    ],
)
def test_malformed_status_lines_rejected(data: bytes) -> None:
    client = client_done()
    client.receive_data(data)
    with pytest.raises(h11.RemoteProtocolError) as info:
        client.next_event()
    assert info.value.error_status_hint == 400
    assert str(info.value)


@DIFFERS
@pytest.mark.parametrize("version", [b"2.0", b"0.9"])
def test_response_with_other_major_version_rejected(version: bytes) -> None:
    client = client_done()
    client.receive_data(b"HTTP/" + version + b" 200 OK\r\nContent-Length: 0\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        client.next_event()


@DIFFERS
def test_http10_response_with_transfer_encoding_read_until_close() -> None:
    client = client_done()
    body = b"5\r\nhello\r\n0\r\n\r\n"
    client.receive_data(b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    client.receive_data(b"")
    events = next_events(client)
    assert type(events[0]) is h11.Response
    assert b"".join(bytes(e.data) for e in events if type(e) is h11.Data) == body
    assert [type(e) for e in events[-2:]] == [h11.EndOfMessage, h11.ConnectionClosed]


def test_close_delimited_response_body_kept_verbatim() -> None:
    client = client_done()
    client.receive_data(b"HTTP/1.1 200 OK\r\n\r\n0\r\n\r\nanything")
    client.receive_data(b"")
    events = next_events(client)
    assert b"".join(bytes(e.data) for e in events if type(e) is h11.Data) == b"0\r\n\r\nanything"


def test_chunk_split_across_reads_marks_chunk_boundaries() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(req(CH, b"a\r\n01234"))
    events = next_events(server)
    assert events[1] == h11.Data(data=b"01234", chunk_start=True, chunk_end=False)
    server.receive_data(b"56789\r\n3\r\nabc\r\n0\r\n\r\n")
    events = next_events(server)
    assert events[0] == h11.Data(data=b"56789", chunk_start=False, chunk_end=True)
    assert events[1] == h11.Data(data=b"abc", chunk_start=True, chunk_end=True)
    assert type(events[2]) is h11.EndOfMessage


def test_oversize_trailers_in_pieces_rejected() -> None:
    server = h11.Connection(h11.SERVER, max_incomplete_event_size=100)
    server.receive_data(req(CH, b"0\r\n"))
    next_events(server)

    def feed_trailer_lines() -> None:
        for _ in range(10):
            server.receive_data(b"X-T: " + b"v" * 40 + b"\r\n")
            next_events(server)

    with pytest.raises(h11.RemoteProtocolError):
        feed_trailer_lines()
