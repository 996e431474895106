"""Same input, same events: how bytes are split across receive_data never matters."""

from __future__ import annotations

from typing import Any

import h11_connection as h11
from conn_support import MAX_EVENTS, merge_data, next_events
from hypothesis import given
from hypothesis import strategies as st

token = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-",
    min_size=1,
    max_size=10,
)
value = st.binary(min_size=0, max_size=20).map(
    lambda b: bytes(0x21 + x % 94 for x in b)  # visible ASCII, no surrounding whitespace
)
body = st.binary(max_size=64)


@st.composite
def requests(draw: st.DrawFn) -> bytes:
    """One valid HTTP/1.1 request: no body, Content-Length body or chunked body."""
    method = draw(st.sampled_from([b"GET", b"POST", b"PUT", b"DELETE", b"PATCH"]))
    target = b"/" + draw(value)
    extra = st.tuples(token.map(lambda t: b"X-" + t.encode()), value)
    headers = [(b"Host", b"example"), *draw(st.lists(extra, max_size=3))]
    framing = draw(st.sampled_from(["none", "length", "chunked"]))
    payload = b""
    if framing == "length":
        data = draw(body)
        headers.append((b"Content-Length", b"%d" % len(data)))
        payload = data
    elif framing == "chunked":
        headers.append((b"Transfer-Encoding", b"chunked"))
        for chunk in draw(st.lists(st.binary(min_size=1, max_size=20), max_size=4)):
            payload += b"%x\r\n" % len(chunk) + chunk + b"\r\n"
        payload += b"0\r\n"
        for name, val in draw(st.lists(extra, max_size=2)):
            payload += name + b": " + val + b"\r\n"
        payload += b"\r\n"
    head = method + b" " + target + b" HTTP/1.1\r\n"
    head += b"".join(n + b": " + v + b"\r\n" for n, v in headers) + b"\r\n"
    return head + payload


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    """``data`` cut at the given positions."""
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, start = [], 0
    for point in points:
        pieces.append(data[start:point])
        start = point
    pieces.append(data[start:])
    return [p for p in pieces if p]


def serve(pieces: list[bytes]) -> list[Any]:
    """Run a server over ``pieces`` then EOF, answering each request; return its events."""
    server = h11.Connection(h11.SERVER)
    events: list[Any] = []
    for piece in [*pieces, b""]:
        server.receive_data(piece)
        for _ in range(MAX_EVENTS):
            event = server.next_event()
            if event is h11.NEED_DATA:
                break
            events.append(event)
            if type(event) is h11.ConnectionClosed:
                return merge_data(events)
            if type(event) is h11.EndOfMessage:
                server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
                server.send(h11.EndOfMessage())
                server.start_next_cycle()
    raise AssertionError("server never saw the connection close")


@given(st.lists(requests(), min_size=1, max_size=4), st.lists(st.integers(0, 10_000), max_size=12))
def test_request_stream_events_independent_of_splits(reqs: list[bytes], cuts: list[int]) -> None:
    data = b"".join(reqs)
    expected = serve([data])
    assert serve(split(data, cuts)) == expected
    assert sum(1 for e in expected if type(e) is h11.Request) == len(reqs)


@given(st.lists(requests(), min_size=1, max_size=2))
def test_request_stream_byte_by_byte_same_as_whole(reqs: list[bytes]) -> None:
    data = b"".join(reqs)
    assert serve([data[i : i + 1] for i in range(len(data))]) == serve([data])


RESPONSES = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: yes\r\n\r\n",
    b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nclose-delimited body",
    b"HTTP/1.0 200 OK\r\n\r\nold style",
    b"HTTP/1.1 404 Not Found\nContent-Length: 2\n\nno",
]


def fetch(pieces: list[bytes]) -> list[Any]:
    """Run a client over response ``pieces`` then EOF; return its events."""
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(h11.EndOfMessage())
    events: list[Any] = []
    for piece in [*pieces, b""]:
        client.receive_data(piece)
        events += next_events(client, keep_sentinel=False)
        if events and type(events[-1]) is h11.ConnectionClosed:
            return merge_data(events)
    raise AssertionError("client never saw the connection close")


@given(st.sampled_from(RESPONSES), st.lists(st.integers(0, 10_000), max_size=12))
def test_response_events_independent_of_splits(response: bytes, cuts: list[int]) -> None:
    assert fetch(split(response, cuts)) == fetch([response])


@given(st.sampled_from(RESPONSES))
def test_response_byte_by_byte_same_as_whole(response: bytes) -> None:
    assert fetch([response[i : i + 1] for i in range(len(response))]) == fetch([response])


def test_response_events_are_the_expected_ones() -> None:
    events = fetch([RESPONSES[1]])
    assert events == [
        h11.InformationalResponse(status_code=100, headers=[], reason="Continue"),
        h11.Response(status_code=201, headers=[("Transfer-Encoding", "chunked")], reason="Created"),
        h11.Data(data=b"abcde"),
        h11.EndOfMessage(headers=[("X-Trailer", "yes")]),
        h11.ConnectionClosed(),
    ]
