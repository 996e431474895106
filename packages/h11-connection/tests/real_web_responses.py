"""Responses real servers sent that broke an HTTP client, each with the thread that reported it.

Plain data (standard library only): the Connection tests and the standalone ResponseParser
tests both read it. Each case is what the server sent (the connection closes right after
it), the method of the request it answered, the source, and the events a client reads:
h11 0.16's events (checked against PyPI h11 by running it), Data of one message joined.

Event tuples: ``("Response", status, reason, http_version, ((name, value), ...))`` with
names lowercased as ``Headers`` iterates them, ``("Data", body)``,
``("EndOfMessage", trailers)``, ``("ConnectionClosed",)``.
"""

from __future__ import annotations

from dataclasses import dataclass

Event = tuple[object, ...]


@dataclass(frozen=True)
class RealWebResponse:
    """One response stream from the wild and how a client reads it."""

    name: str
    source: str
    method: bytes
    data: bytes
    events: tuple[Event, ...]


def _ok(
    headers: tuple[tuple[bytes, bytes], ...],
    body: bytes = b"",
    status: int = 200,
    reason: bytes = b"OK",
) -> tuple[Event, ...]:
    """A response read to its end, then EOF: head, body (if any), EndOfMessage, close."""
    events: list[Event] = [("Response", status, reason, b"1.1", headers)]
    if body:
        events.append(("Data", body))
    return (*events, ("EndOfMessage", ()), ("ConnectionClosed",))


_CHUNK_123 = b"x" * 0x123
_CHUNK_167 = b"<p>" * 0x77 + b"xx"

CASES: tuple[RealWebResponse, ...] = (
    RealWebResponse(
        # Google Analytics' __utmv cookie holds \x01 (bitstamp.net); browsers and curl
        # accept it, h11 relaxed its value rule for it.
        name="google_analytics_cookie_soh",
        source="https://github.com/python-hyper/h11/issues/57",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Set-Cookie: ___utmvafIumyLc=kUd\x01UpAt; path=/; Max-Age=900\r\n"
        b"Content-Length: 2\r\n\r\n[]",
        events=_ok(
            (
                (b"content-type", b"application/json"),
                (b"set-cookie", b"___utmvafIumyLc=kUd\x01UpAt; path=/; Max-Age=900"),
                (b"content-length", b"2"),
            ),
            b"[]",
        ),
    ),
    RealWebResponse(
        # The same cookie from another site (doterra.com), reported against tornado.
        name="google_analytics_cookie_soh_doterra",
        source="https://github.com/tornadoweb/tornado/issues/2186",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nSet-Cookie: ___utmvaFauNaIi=EnS\x01okWd; path=/; Max-Age=900\r\n"
        b"Content-Length: 0\r\n\r\n",
        events=_ok(
            (
                (b"set-cookie", b"___utmvaFauNaIi=EnS\x01okWd; path=/; Max-Age=900"),
                (b"content-length", b"0"),
            )
        ),
    ),
    RealWebResponse(
        # A Google Analytics cookie split by obs-fold; a client unfolds it (RFC 9112 5.2).
        name="google_analytics_cookie_folded",
        source="https://github.com/psf/requests/issues/4592",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nSet-Cookie: ___utmvbtouVBFmB=gZg\r\n"
        b"    XbNOjalT: Lte; path=/; Max-Age=900\r\nContent-Length: 0\r\n\r\n",
        events=_ok(
            (
                (b"set-cookie", b"___utmvbtouVBFmB=gZg XbNOjalT: Lte; path=/; Max-Age=900"),
                (b"content-length", b"0"),
            )
        ),
    ),
    RealWebResponse(
        # Whitespace between the chunk size and CRLF (an httpx user's server).
        name="chunk_size_trailing_spaces",
        source="https://github.com/python-hyper/h11/issues/133",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n123  \r\n"
        + _CHUNK_123
        + b"\r\n0\r\n\r\n",
        events=_ok(((b"transfer-encoding", b"chunked"),), _CHUNK_123),
    ),
    RealWebResponse(
        # An ESP32 web server's `167 \r\n` chunk-size line, read through httpx.
        name="chunk_size_trailing_space_esp",
        source="https://github.com/danieldotnl/ha-multiscrape/issues/134",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"167 \r\n" + _CHUNK_167 + b"\r\n0\r\n\r\n",
        events=_ok(
            ((b"content-type", b"text/html"), (b"transfer-encoding", b"chunked")), _CHUNK_167
        ),
    ),
    RealWebResponse(
        # An embedded (Boa) server ends its head with a bare LF before the body.
        name="bare_lf_before_body",
        source="https://github.com/encode/httpx/issues/1378",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nDate: Tue, 03 Nov 2020 10:00:00 GMT\r\nAccept-Ranges: bytes\r\n"
        b"Connection: close\r\nContent-type: text/plain\n\nSome body\r\n",
        events=_ok(
            (
                (b"date", b"Tue, 03 Nov 2020 10:00:00 GMT"),
                (b"accept-ranges", b"bytes"),
                (b"connection", b"close"),
                (b"content-type", b"text/plain"),
            ),
            b"Some body\r\n",
        ),
    ),
    RealWebResponse(
        # Two equal Content-Length fields (a Griffin.Networking server); one remains.
        name="content_length_twice_equal",
        source="https://github.com/dukus/digiCamControl/issues/324",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 12\r\n"
        b"Content-Length: 12\r\nContent-Type: text/html;charset=utf-8\r\n"
        b"X-Powered-By: Griffin.Networking (http://github.com/jgauffin/griffin.networking)\r\n"
        b"\r\nOK: executed",
        events=_ok(
            (
                (b"connection", b"Keep-Alive"),
                (b"content-length", b"12"),
                (b"content-type", b"text/html;charset=utf-8"),
                (
                    b"x-powered-by",
                    b"Griffin.Networking (http://github.com/jgauffin/griffin.networking)",
                ),
            ),
            b"OK: executed",
        ),
    ),
    RealWebResponse(
        # mediafire.com answered HEAD with `HTTP/1.1 301` and no SP after the code.
        name="status_line_without_reason_or_space",
        source="https://github.com/benoitc/hackney/pull/190",
        method=b"HEAD",
        data=b"HTTP/1.1 301\r\nLocation: http://www.mediafire.com/\r\nContent-Length: 0\r\n\r\n",
        events=_ok(
            ((b"location", b"http://www.mediafire.com/"), (b"content-length", b"0")),
            status=301,
            reason=b"",
        ),
    ),
    RealWebResponse(
        # Fiddler (as a proxy) sends `HTTP/1.1 200` with no reason phrase.
        name="status_line_without_reason_fiddler",
        source="https://github.com/yhirose/cpp-httplib/issues/554",
        method=b"GET",
        data=b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
        events=_ok(((b"content-length", b"2"),), b"ok", reason=b""),
    ),
    RealWebResponse(
        # A `Server:` field with no value (httpx's list of real-world protocol errors).
        name="empty_server_value",
        source="https://github.com/encode/httpx/issues/767",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nServer:\r\nContent-Length: 2\r\n\r\nok",
        events=_ok(((b"server", b""), (b"content-length", b"2")), b"ok"),
    ),
    RealWebResponse(
        # A site's `Pragma:` with no value broke mitmproxy.
        name="empty_pragma_value",
        source="https://github.com/mitmproxy/mitmproxy/issues/957",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\nPragma:\r\nContent-Length: 2\r\n\r\nok",
        events=_ok(((b"pragma", b""), (b"content-length", b"2")), b"ok"),
    ),
    RealWebResponse(
        # Status code 600 (out of the registered range) from a real server.
        name="status_code_600",
        source="https://github.com/encode/httpx/issues/767",
        method=b"GET",
        data=b"HTTP/1.1 600 \r\nContent-Length: 0\r\n\r\n",
        events=_ok(((b"content-length", b"0"),), status=600, reason=b""),
    ),
    RealWebResponse(
        # A SOAP service's zero-padded Content-Length (`0000344` in the report).
        name="content_length_leading_zeros",
        source="https://github.com/mitmproxy/mitmproxy/issues/7786",
        method=b"POST",
        data=b"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n"
        b"Content-Length: 0000012\r\n\r\n<soap:Body/>",
        events=_ok(
            ((b"content-type", b"text/xml; charset=utf-8"), (b"content-length", b"0000012")),
            b"<soap:Body/>",
        ),
    ),
    RealWebResponse(
        # libwebsockets writes every field name in lower case.
        name="lowercase_field_names",
        source="https://github.com/emfcamp/Mk3-Firmware/pull/89",
        method=b"GET",
        data=b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n"
        b"server: libwebsockets\r\n\r\nhello",
        events=_ok(
            (
                (b"content-type", b"text/plain"),
                (b"content-length", b"5"),
                (b"server", b"libwebsockets"),
            ),
            b"hello",
        ),
    ),
)
