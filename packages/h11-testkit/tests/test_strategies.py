"""The hypothesis strategies: generated streams are valid and parse to their events."""

from __future__ import annotations

import re
from typing import Any

import h11_connection as h11
from h11_testkit import strategies as hs
from h11_testkit.pair import H11Pair, bytewise, merge_data
from hypothesis import given
from hypothesis import strategies as st

TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
FIELD_VALUE = re.compile(
    rb"([\x21-\x7e\x80-\xff]([ \t\x21-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?\Z"
)


def _parse_requests(data: bytes, split: bool) -> list[Any]:
    """Parse pipelined requests the way a server would, answering each one."""
    conn = h11.Connection(h11.SERVER)
    events: list[Any] = []
    for piece in (bytewise(data) if split else [data]) + [b""]:
        conn.receive_data(piece)
        for _ in range(10_000):
            event = conn.next_event()
            if event is h11.NEED_DATA:
                break
            if event is h11.PAUSED:
                # Waiting for our response to a keep-alive request; anything else
                # (a protocol switch) ends what can be parsed as HTTP.
                if conn.their_state is not h11.DONE or conn.our_state is not h11.SEND_RESPONSE:
                    return events
                conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
                conn.send(h11.EndOfMessage())
                if conn.our_state is not h11.DONE:
                    return events
                conn.start_next_cycle()
                continue
            events.append(event)
            if isinstance(event, h11.ConnectionClosed):
                return events
    return events


@given(hs.tokens())
def test_tokens_are_tokens(token: bytes) -> None:
    assert TOKEN.match(token)


@given(hs.field_values())
def test_field_values_are_valid(value: bytes) -> None:
    assert FIELD_VALUE.match(value)


@given(hs.header_lists())
def test_header_lists_avoid_framing_fields(headers: list[tuple[bytes, bytes]]) -> None:
    assert all(name.lower() not in hs.RESERVED_NAMES for name, _ in headers)


@given(hs.requests())
def test_request_events_round_trip(request: h11.Request) -> None:
    pair = H11Pair()
    assert pair.send(h11.CLIENT, request, h11.EndOfMessage()) == [request, h11.EndOfMessage()]


@given(hs.responses())
def test_response_events_round_trip(response: h11.Response) -> None:
    pair = H11Pair()
    pair.send(h11.CLIENT, h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    pair.send(h11.CLIENT, h11.EndOfMessage())
    got = pair.send(h11.SERVER, response, h11.EndOfMessage())[0]
    assert (got.status_code, got.reason) == (response.status_code, response.reason)
    # h11 adds the framing header a response without one needs.
    assert [h for h in got.headers if h[0] != b"transfer-encoding"] == list(response.headers)


@given(hs.request_streams(), st.booleans())
def test_request_streams_parse_to_their_events(stream: hs.Message, split: bool) -> None:
    got = merge_data(_parse_requests(stream.data, split))
    assert got == [*stream.events, h11.ConnectionClosed()]


@given(hs.response_messages(), st.booleans())
def test_response_messages_parse_to_their_events(message: hs.Message, split: bool) -> None:
    pair = H11Pair()
    pair.send(h11.CLIENT, h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    pair.send(h11.CLIENT, h11.EndOfMessage())
    got = pair.deliver(h11.SERVER, message.data, split=bytewise if split else lambda d: [d])
    assert merge_data(got) == list(message.events)


@given(hs.response_streams())
def test_response_streams_concatenate(stream: hs.Message) -> None:
    assert stream.data.startswith(b"HTTP/1.1 ")
    assert sum(isinstance(e, h11.Response) for e in stream.events) == sum(
        isinstance(e, h11.EndOfMessage) for e in stream.events
    )


@given(hs.mutated_request_streams())
def test_mutated_streams_give_events_or_a_protocol_error(data: bytes) -> None:
    """Hostile input must never crash the parser with anything but RemoteProtocolError."""
    status = None
    try:
        events = _parse_requests(data, split=False)
    except h11.RemoteProtocolError as exc:
        status = exc.error_status_hint
        events = []
    assert status is None or 400 <= status <= 599
    assert all(not isinstance(e, h11.ConnectionClosed) for e in events[:-1])


@given(st.data())
def test_mutations_change_the_bytes_within_bounds(data: st.DataObject) -> None:
    original = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    mutated = data.draw(hs.mutations(original, max_edits=1))
    assert isinstance(mutated, bytes)
    assert abs(len(mutated) - len(original)) <= len(b"Transfer-Encoding: chunked\r\n")
