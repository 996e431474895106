"""Host (RFC 9112 3.2, RFC 9110 7.2) through the h11 API: one Host, its value host[:port].

A request with more than one Host is 400 in any HTTP version (and cannot be built); a Host
value that is not a uri-host with an optional port is 400. The standalone parsers' checks
are h11-parser's test_host.py.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import (
    DIFFERS,
    rejected,
)


@pytest.mark.parametrize("second", [b"b", b"a"], ids=["other", "same"])
def test_http10_request_with_two_hosts_is_400(second: bytes) -> None:
    rejected(b"GET / HTTP/1.0\r\nHost: a\r\nHost: " + second + b"\r\n\r\n", 400)


def test_http10_request_with_two_hosts_cannot_be_built() -> None:
    with pytest.raises(h11.LocalProtocolError):
        h11.Request(
            method="GET", target="/", headers=[("Host", "a"), ("Host", "a")], http_version="1.0"
        )


@DIFFERS
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", id="host-list"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n", id="host-space"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", id="host-userinfo"),
    ],
)
def test_host_that_is_not_host_port_is_400(data: bytes) -> None:
    rejected(data, 400)
