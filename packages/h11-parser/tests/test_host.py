"""Host (RFC 9112 3.2, RFC 9110 7.2): one Host field in every request, its value host[:port].

More than one Host is 400 in any HTTP version; an HTTP/1.0 request may have none. The value
must be a uri-host with an optional port (RFC 3986); responses are not checked.
"""

from __future__ import annotations

import pytest
from h11_events import Request, Response
from h11_parser import RequestParser, ResponseParser
from parser_support import (
    ABOUT_HOST,
    assert_rejected,
    both_ways,
    request_head,
)


@pytest.mark.parametrize(
    "lines",
    [[b"Host: a", b"host: a"]],
    ids=["two-equal"],
)
def test_http11_request_needs_exactly_one_host(lines: list[bytes]) -> None:
    data = b"\r\n".join([b"GET / HTTP/1.1", *lines]) + b"\r\n\r\n"
    assert_rejected(RequestParser, data, 400, ABOUT_HOST)


@pytest.mark.parametrize("second", [b"Host: other", b"Host: example.com"], ids=["other", "same"])
@pytest.mark.parametrize("version", [b"1.0", b"1.1"])
def test_two_host_fields_are_400_in_any_version(second: bytes, version: bytes) -> None:
    data = request_head(second, version=version)
    assert_rejected(RequestParser, data, 400, ABOUT_HOST)


def test_http10_request_without_host_is_accepted() -> None:
    events = both_ways(RequestParser, b"GET / HTTP/1.0\r\n\r\n")
    assert events[0] == Request(method=b"GET", target=b"/", headers=[], http_version=b"1.0")


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
