"""Start lines (RFC 9112 3, 4, 2.3) through the h11 API: request-target forms, versions,
status lines, and the HTTP/2 connection preface (RFC 9113 3.4) as h11 0.16 reports it.

Version syntax comes before version support: a malformed version is 400, another major
version 505. The standalone parsers' checks are h11-parser's test_start_lines.py.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import (
    DIFFERS,
    client_done,
    first_message_events,
    rejected,
)

# ---- the request line ----------------------------------------------------------------------


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
    ],
)
def test_request_target_in_the_wrong_form_is_400(data: bytes) -> None:
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
def test_request_target_in_its_form_is_accepted(
    target: bytes, method: bytes, host: bytes, split: bool
) -> None:
    server = h11.Connection(h11.SERVER)
    data = method + b" " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n"
    events = first_message_events(server, data, split=split)
    assert events == [
        h11.Request(method=method, target=target, headers=[("Host", host)]),
        h11.EndOfMessage(),
    ]


# ---- the HTTP/2 connection preface ---------------------------------------------------------


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


# ---- the status line -----------------------------------------------------------------------


def test_malformed_status_line_version_is_400() -> None:
    rejected(b"HTTP/01.1 200 OK\r\nContent-Length: 0\r\n\r\n", 400, role=h11.CLIENT)


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 200, b""),
        (b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", 200, b""),
        (b"HTTP/1.1 200 \xe9t\xe9\r\nContent-Length: 0\r\n\r\n", 200, b"\xe9t\xe9"),
        (b"HTTP/1.1 404 Not  Found\r\nContent-Length: 0\r\n\r\n", 404, b"Not  Found"),
        (b"HTTP/1.1 599 X\tY\r\nContent-Length: 0\r\n\r\n", 599, b"X\tY"),
        (b"HTTP/1.1 999 X\r\nContent-Length: 0\r\n\r\n", 999, b"X"),
        (b"HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n", 200, b"O\x01K"),
        (b"HTTP/1.1 200 O\x7fK\x1b\r\nContent-Length: 0\r\n\r\n", 200, b"O\x7fK\x1b"),
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
        pytest.param(b"HTTP/1.1 200OK\r\n\r\n", id="no_space"),
        pytest.param(b"HTTP/1.1 200 O\rK\r\n\r\n", id="reason_bare_cr"),
        pytest.param(b"HTTP/1.1 200 O\x00K\r\n\r\n", id="reason_nul"),
        pytest.param(b"HTTP/1.1 200 O\x0bK\r\n\r\n", id="reason_vt"),
        pytest.param(b"HTTP/1 200 OK\r\n\r\n", id="bad_version"),
        pytest.param(b"http/1.1 200 OK\r\n\r\n", id="lowercase_http"),
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
