"""The standalone RequestParser is held to the same rules as a server Connection,
including where a connection must close (issue #15 point 6): the same bytes give the
same events and the same verdict, whole and byte by byte.

The Connection is driven as a server would drive it: each request is answered
(200, empty body) and the next cycle started; both stop at a proposed protocol switch.
(The HTTP/2 preface is a request to both; what follows it is read as HTTP/1.1.)
"""

from __future__ import annotations

from typing import Any

import h11_connection as h11
import pytest
from h11_parser import RequestParser
from h11_testkit import corpus
from h11_testkit.strategies import mutated_request_streams, request_streams
from hypothesis import given
from hypothesis import strategies as st

PAUSED = "paused"
ANSWER = h11.Response(status_code=200, headers=[(b"Content-Length", b"0")])


def one_by_one(data: bytes) -> list[bytes]:
    return [data[i : i + 1] for i in range(len(data))]


def via_parser(pieces: list[bytes], limit: int) -> list[Any]:
    parser = RequestParser(limit)
    out: list[Any] = []
    try:
        for piece in [*pieces, b""]:
            parser.feed(piece)
            while (event := parser.next_event()) is not h11.NEED_DATA:
                if event is h11.PAUSED:
                    return [*out, PAUSED]
                out.append(event)
                if type(event) is h11.ConnectionClosed:
                    return out
    except h11.RemoteProtocolError as exc:
        out.append(("error", exc.error_status_hint))
    out.append(("must_close", parser.must_close))
    return out


def via_connection(pieces: list[bytes], limit: int) -> list[Any]:
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=limit)
    out: list[Any] = []
    closing = False  # the client's state said MUST_CLOSE at some point
    try:
        for piece in [*pieces, b""]:
            conn.receive_data(piece)
            while (event := conn.next_event()) is not h11.NEED_DATA:
                if event is h11.PAUSED:
                    return [*out, PAUSED]
                out.append(event)
                closing = closing or conn.their_state is h11.MUST_CLOSE
                if type(event) is h11.ConnectionClosed:
                    return out
                if type(event) is h11.EndOfMessage:
                    if conn.their_state is h11.MIGHT_SWITCH_PROTOCOL:
                        return [*out, PAUSED]
                    conn.send(ANSWER)
                    conn.send(h11.EndOfMessage())
                    if conn.states == {h11.CLIENT: h11.DONE, h11.SERVER: h11.DONE}:
                        conn.start_next_cycle()
    except h11.RemoteProtocolError as exc:
        out.append(("error", exc.error_status_hint))
    out.append(("must_close", closing))
    return out


def assert_agree(data: bytes, limit: int = 16384) -> None:
    for pieces in ([data], one_by_one(data)):
        assert via_parser(pieces, limit) == via_connection(pieces, limit)


CLOSING = [
    b"GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    b"GET /c HTTP/1.0\r\n\r\n",
    b"POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
    b"0\r\n\r\n",
]


@st.composite
def streams_with_a_closing_request(draw: st.DrawFn) -> bytes:
    before = draw(request_streams(max_messages=2)).data
    after = draw(request_streams(max_messages=2)).data
    return before + draw(st.sampled_from(CLOSING)) + after


@pytest.mark.parametrize("case", corpus.REQUESTS, ids=corpus.ids(corpus.REQUESTS))
def test_parser_and_connection_agree_on_every_corpus_request(case: corpus.Case) -> None:
    assert_agree(case.data, case.max_head_size)


@given(streams_with_a_closing_request())
def test_nothing_is_read_after_a_closing_request_by_either(data: bytes) -> None:
    assert_agree(data)
    events = via_parser([data], 16384)
    assert events[-1] == ("must_close", True)
    # Exactly one request more than those before the closing one: nothing after it.
    closing = next(head for head in CLOSING if head in data)
    expected = data[: data.index(closing)].count(b" HTTP/1.1\r\n") + 1
    assert sum(type(e) is h11.Request for e in events) == expected


@given(mutated_request_streams())
def test_parser_and_connection_agree_on_mutated_streams(data: bytes) -> None:
    assert_agree(data)
