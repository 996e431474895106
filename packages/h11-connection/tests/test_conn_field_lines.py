"""Field values (RFC 9110 5.5) through the h11 API: strict in a request, as h11 0.16 in a response.

A server refuses a control byte other than HTAB in a request value (llhttp strict); a client
accepts what h11 0.16 accepts in a response value (all but NUL, LF, VT, FF, CR), and a value
given to send() goes out as given. The standalone parsers' checks are h11-parser's
test_field_lines.py; obs-fold and line ends have their own modules.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import DIFFERS, client_done


def test_client_accepts_a_cookie_with_a_control_byte() -> None:
    """Google Analytics sets this cookie; browsers, curl and h11 0.16 accept it."""
    client = client_done()
    client.receive_data(
        b"HTTP/1.1 200 OK\r\nSet-Cookie: __utmv=kUd\x01UpAt\r\nContent-Length: 0\r\n\r\n"
    )
    response = client.next_event()
    assert type(response) is h11.Response
    assert list(response.headers) == [
        (b"set-cookie", b"__utmv=kUd\x01UpAt"),
        (b"content-length", b"0"),
    ]
    assert type(client.next_event()) is h11.EndOfMessage


@DIFFERS
def test_server_refuses_a_control_byte_in_a_request_value() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nCookie: a=b\x01c\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError) as info:
        server.next_event()
    assert info.value.error_status_hint == 400


def test_a_forwarded_value_with_control_bytes_is_sent_as_given() -> None:
    """As h11 (its own suite asserts it): a proxy passing such a cookie on must not crash."""
    client = h11.Connection(h11.CLIENT)
    request = h11.Request(
        method="GET", target="/", headers=[("Host", "a"), ("Foo", "asd\x01\x02\x7f")]
    )
    assert b"\r\nFoo: asd\x01\x02\x7f\r\n" in client.send(request)
