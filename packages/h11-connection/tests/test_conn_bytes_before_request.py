"""A client takes no bytes that came before its Request as the answer to it.

HTTP/1.1 servers don't speak first and a client Connection doesn't pipeline, so bytes
buffered when the client sends a Request answer no request: a stale or desynchronised
connection (RFC 9112 9.3). Read as the answer they would poison the response queue (the
testkit's client probe: a server sends two responses to one request, and the second
becomes the answer to the next). The Request is still written; the next ``next_event``
raises RemoteProtocolError and the server goes to ERROR.
"""

from __future__ import annotations

from typing import Any

import h11_connection as h11
import pytest
from conn_support import EOM, merge_data, next_events, states

GET = h11.Request(method="GET", target="/", headers=[("Host", "example")])
OK_HI = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
EVIL = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nEVIL"
OK_EMPTY = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
POST_CONTINUE = h11.Request(
    method="POST",
    target="/",
    headers=[("Host", "a"), ("Content-Length", "2"), ("Expect", "100-continue")],
)
UPGRADE = h11.Request(
    method="GET", target="/", headers=[("Host", "a"), ("Connection", "upgrade"), ("Upgrade", "x")]
)

#: Ways to cut what the server sent into reads: whole, byte by byte, and at a few points.
SPLITS = [
    pytest.param(None, id="whole"),
    pytest.param(1, id="bytewise"),
    pytest.param(7, id="7-byte-reads"),
    pytest.param(40, id="40-byte-reads"),
]


def reads(data: bytes, step: int | None) -> list[bytes]:
    if step is None:
        return [data]
    return [data[i : i + step] for i in range(0, len(data), step)]


def client_after(
    first: bytes, step: int | None, **request: Any
) -> tuple[h11.Connection, list[Any]]:
    """A client that sent ``request`` (default GET), received ``first`` in ``step``-byte
    reads, reading events after each until the response ended; returns it and the events."""
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(**request) if request else GET)
    client.send(EOM)
    events: list[Any] = []
    for piece in reads(first, step):
        client.receive_data(piece)
        if h11.EndOfMessage not in map(type, events):
            events += events_of(client)
    return client, events


def events_of(client: h11.Connection) -> list[Any]:
    """The events available now, without the NEED_DATA or PAUSED that ends them."""
    return [e for e in next_events(client) if e is not h11.NEED_DATA and e is not h11.PAUSED]


def assert_refused(client: h11.Connection, count: int) -> None:
    with pytest.raises(h11.RemoteProtocolError) as info:
        client.next_event()
    message = str(info.value)
    assert f"sent {count} bytes before the request was sent" in message
    assert "answer no request" in message
    assert client.their_state is h11.ERROR
    with pytest.raises(h11.RemoteProtocolError):
        client.next_event()
    assert client.their_state is h11.ERROR


def send_next_request(client: h11.Connection) -> bytes:
    """Start the next cycle and send a GET; the bytes written."""
    client.start_next_cycle()
    return client.send(GET) + client.send(EOM)


# -- the refusal ----------------------------------------------------------------------------


@pytest.mark.differs_from_h11
@pytest.mark.parametrize("step", SPLITS)
def test_second_response_to_one_request_is_not_the_next_answer(step: int | None) -> None:
    """The probe's scenario as httpcore drives it: read the first response, start the
    next cycle, send the next request; the buffered second response is refused."""
    client, events = client_after(OK_HI + EVIL, step)
    assert [type(e) for e in merge_data(events)] == [h11.Response, h11.Data, h11.EndOfMessage]
    assert merge_data(events)[1].data == b"hi"
    assert states(client) == (h11.DONE, h11.DONE)
    written = send_next_request(client)
    assert written == b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"
    assert client.our_state is h11.DONE
    assert_refused(client, len(EVIL))


@pytest.mark.differs_from_h11
@pytest.mark.parametrize("step", SPLITS)
@pytest.mark.parametrize(
    ("first", "leftover"),
    [
        pytest.param(OK_HI, b"X", id="content-length"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
            EVIL,
            id="chunked",
        ),
        pytest.param(b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", b"hello", id="204"),
        pytest.param(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", b"hello", id="304"),
        pytest.param(OK_EMPTY, b"\r\n", id="stray-crlf"),
    ],
)
def test_leftover_after_a_response_is_refused(
    first: bytes, leftover: bytes, step: int | None
) -> None:
    client, events = client_after(first + leftover, step)
    assert type(events[-1]) is h11.EndOfMessage
    send_next_request(client)
    assert_refused(client, len(leftover))


@pytest.mark.differs_from_h11
@pytest.mark.parametrize("step", SPLITS)
def test_body_sent_with_a_head_response_is_refused(step: int | None) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
    client, events = client_after(
        head + b"hello", step, method="HEAD", target="/", headers=[("Host", "a")]
    )
    assert [type(e) for e in events] == [h11.Response, h11.EndOfMessage]
    send_next_request(client)
    assert_refused(client, 5)


@pytest.mark.differs_from_h11
def test_leftover_with_eof_is_refused() -> None:
    client, _ = client_after(OK_HI + EVIL, None)
    client.receive_data(b"")
    send_next_request(client)
    assert_refused(client, len(EVIL))


@pytest.mark.differs_from_h11
def test_bytes_before_the_first_request_are_refused() -> None:
    client = h11.Connection(h11.CLIENT)
    client.receive_data(EVIL)
    assert client.send(GET) == b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"
    client.send(EOM)
    assert_refused(client, len(EVIL))


@pytest.mark.differs_from_h11
def test_an_unfinished_head_before_the_request_is_refused() -> None:
    client, _ = client_after(OK_HI + b"HTTP/1.1 200", None)
    send_next_request(client)
    client.receive_data(b" OK\r\nContent-Length: 0\r\n\r\n")  # the rest arrives after
    assert_refused(client, len(b"HTTP/1.1 200"))


@pytest.mark.differs_from_h11
def test_refused_when_sent_with_data_passthrough_too() -> None:
    client, _ = client_after(OK_HI + EVIL, None)
    client.start_next_cycle()
    assert b"".join(client.send_with_data_passthrough(GET)) == client_written_get()
    client.send_with_data_passthrough(EOM)
    assert_refused(client, len(EVIL))


def client_written_get() -> bytes:
    return h11.Connection(h11.CLIENT).send(GET)


@pytest.mark.differs_from_h11
def test_refused_before_the_body_is_sent_and_the_body_still_goes_out() -> None:
    """The request goes out whole, as h11 writes it; only reading the answer fails."""
    client, _ = client_after(OK_HI + EVIL, None)
    client.start_next_cycle()
    post = h11.Request(method="POST", target="/", headers=[("Host", "a"), ("Content-Length", "2")])
    client.send(post)
    assert_refused(client, len(EVIL))
    assert client.send(h11.Data(data=b"ab")) == b"ab"
    assert client.send(EOM) == b""
    assert client.our_state is h11.MUST_CLOSE  # the server is in ERROR: no reuse


@pytest.mark.differs_from_h11
def test_upgrade_request_after_leftover_is_refused() -> None:
    switching = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"
    client, _ = client_after(OK_HI + switching, None)
    client.start_next_cycle()
    client.send(UPGRADE)
    client.send(EOM)
    assert_refused(client, len(switching))


@pytest.mark.differs_from_h11
def test_trailing_data_still_holds_the_refused_bytes() -> None:
    client, _ = client_after(OK_HI + EVIL, None)
    send_next_request(client)
    with pytest.raises(h11.RemoteProtocolError):
        client.next_event()
    assert client.trailing_data == (EVIL, False)


# -- what is not refused (as h11) -----------------------------------------------------------


@pytest.mark.parametrize("step", SPLITS)
def test_response_received_after_the_request_is_the_answer(step: int | None) -> None:
    client, _ = client_after(OK_HI, step)
    send_next_request(client)
    for piece in reads(EVIL, step):
        client.receive_data(piece)
    events = merge_data(events_of(client))
    assert [type(e) for e in events] == [h11.Response, h11.Data, h11.EndOfMessage]
    assert events[1].data == b"EVIL"
    assert states(client) == (h11.DONE, h11.DONE)


def test_many_cycles_each_answered_after_its_request() -> None:
    client = h11.Connection(h11.CLIENT)
    for _ in range(3):
        client.send(GET)
        client.send(EOM)
        client.receive_data(OK_HI)
        assert [type(e) for e in next_events(client)][:3] == [
            h11.Response,
            h11.Data,
            h11.EndOfMessage,
        ]
        client.start_next_cycle()


def test_eof_alone_before_the_request_is_no_answer() -> None:
    """The server closed the idle connection: EOF is not bytes; sending on finds it
    closed (h11's error), not a refusal of bytes."""
    client, _ = client_after(OK_HI, None)
    client.receive_data(b"")
    send_next_request(client)
    with pytest.raises(h11.RemoteProtocolError) as info:
        client.next_event()
    assert "before the request" not in str(info.value)
    assert client.their_state is h11.ERROR


def test_eof_read_before_the_next_request_is_connection_closed() -> None:
    client, _ = client_after(OK_HI, None)
    client.receive_data(b"")
    assert type(client.next_event()) is h11.ConnectionClosed
    assert client.their_state is h11.CLOSED


def test_100_continue_then_the_response_after_the_request() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(POST_CONTINUE)
    assert client.client_is_waiting_for_100_continue
    client.receive_data(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert type(client.next_event()) is h11.InformationalResponse
    client.send(h11.Data(data=b"ab"))
    client.send(EOM)
    client.receive_data(OK_HI)
    assert [type(e) for e in next_events(client)][:3] == [h11.Response, h11.Data, h11.EndOfMessage]


def test_100_continue_and_response_in_one_read_after_the_request() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(POST_CONTINUE)
    client.receive_data(b"HTTP/1.1 100 Continue\r\n\r\n" + OK_HI)
    events = next_events(client)
    assert [type(e) for e in events][:4] == [
        h11.InformationalResponse,
        h11.Response,
        h11.Data,
        h11.EndOfMessage,
    ]


CONNECT = h11.Request(
    method="CONNECT", target="example.com:443", headers=[("Host", "example.com:443")]
)


@pytest.mark.parametrize(
    ("request_", "answer", "kind"),
    [
        pytest.param(
            UPGRADE,
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
            h11.InformationalResponse,
            id="upgrade",
        ),
        pytest.param(
            CONNECT, b"HTTP/1.1 200 Connection established\r\n\r\n", h11.Response, id="connect"
        ),
    ],
)
def test_switch_answered_after_the_request_keeps_its_trailing_data(
    request_: h11.Request, answer: bytes, kind: type
) -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(request_)
    client.send(EOM)
    client.receive_data(answer + b"\x16\x03\x01 new protocol")
    assert type(client.next_event()) is kind
    assert client.next_event() is h11.PAUSED
    assert client.trailing_data == (b"\x16\x03\x01 new protocol", False)


def test_a_server_still_reads_pipelined_requests() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
    assert type(server.next_event()) is h11.Request
    assert type(server.next_event()) is h11.EndOfMessage
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(EOM)
    server.start_next_cycle()
    request = server.next_event()
    assert type(request) is h11.Request
    assert request.target == b"/2"
