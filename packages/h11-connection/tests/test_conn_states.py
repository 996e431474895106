"""Both roles' states after every event sent and received (h11's state machine)."""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import DIFFERS, EOM, GET_11, client_done, receive, server_with, states


def test_client_get_cycle_states() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    assert states(client) == (h11.SEND_BODY, h11.SEND_RESPONSE)
    client.send(EOM)
    assert states(client) == (h11.DONE, h11.SEND_RESPONSE)
    events = receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n")
    assert type(events[0]) is h11.Response
    assert states(client) == (h11.DONE, h11.SEND_BODY)
    receive(client, b"ok")
    assert states(client) == (h11.DONE, h11.DONE)


def test_client_states_with_body() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(method="POST", target="/", headers=[("Host", "a"), ("Content-Length", "2")])
    )
    assert states(client) == (h11.SEND_BODY, h11.SEND_RESPONSE)
    client.send(h11.Data(data=b"a"))
    assert states(client) == (h11.SEND_BODY, h11.SEND_RESPONSE)
    client.send(h11.Data(data=b"b"))
    assert states(client) == (h11.SEND_BODY, h11.SEND_RESPONSE)
    client.send(EOM)
    assert states(client) == (h11.DONE, h11.SEND_RESPONSE)


def test_client_informational_response_keeps_send_response() -> None:
    client = client_done()
    events = receive(client, b"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n")
    assert type(events[0]) is h11.InformationalResponse
    assert events[0].status_code == 103
    assert states(client) == (h11.DONE, h11.SEND_RESPONSE)


def test_server_get_cycle_states() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(GET_11)
    assert states(server) == (h11.IDLE, h11.IDLE)
    assert type(server.next_event()) is h11.Request
    assert states(server) == (h11.SEND_RESPONSE, h11.SEND_BODY)
    assert type(server.next_event()) is h11.EndOfMessage
    assert states(server) == (h11.SEND_RESPONSE, h11.DONE)
    assert server.next_event() is h11.NEED_DATA
    server.send(h11.InformationalResponse(status_code=103, headers=[]))
    assert states(server) == (h11.SEND_RESPONSE, h11.DONE)
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "1")]))
    assert states(server) == (h11.SEND_BODY, h11.DONE)
    server.send(h11.Data(data=b"x"))
    assert states(server) == (h11.SEND_BODY, h11.DONE)
    server.send(EOM)
    assert states(server) == (h11.DONE, h11.DONE)


def test_server_states_while_receiving_body() -> None:
    server = h11.Connection(h11.SERVER)
    events = receive(server, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab")
    assert [type(e) for e in events] == [h11.Request, h11.Data, type(h11.NEED_DATA)]
    assert states(server) == (h11.SEND_RESPONSE, h11.SEND_BODY)
    events = receive(server, b"cd")
    assert events[0] == h11.Data(data=b"cd")
    assert type(events[1]) is h11.EndOfMessage
    assert states(server) == (h11.SEND_RESPONSE, h11.DONE)


def test_states_dict_tracks_both_roles() -> None:
    server = server_with(GET_11)
    assert server.states == {h11.CLIENT: h11.DONE, h11.SERVER: h11.SEND_RESPONSE}


def test_server_may_respond_before_request_body_ends() -> None:
    server = h11.Connection(h11.SERVER)
    receive(server, b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n")
    server.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
    server.send(EOM)
    assert states(server) == (h11.DONE, h11.SEND_BODY)
    events = receive(server, b"abc")
    assert events[:2] == [h11.Data(data=b"abc"), h11.EndOfMessage()]
    assert states(server) == (h11.DONE, h11.DONE)


def test_client_may_receive_response_while_still_sending() -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(method="POST", target="/", headers=[("Host", "a"), ("Content-Length", "3")])
    )
    events = receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert [type(e) for e in events[:2]] == [h11.Response, h11.EndOfMessage]
    assert states(client) == (h11.SEND_BODY, h11.DONE)


@pytest.mark.parametrize(
    ("role", "event"),
    [
        (h11.CLIENT, h11.Response(status_code=200, headers=[])),
        (h11.CLIENT, h11.Data(data=b"x")),
        (h11.CLIENT, h11.EndOfMessage()),
        (h11.SERVER, h11.Request(method="GET", target="/", headers=[("Host", "a")])),
        (h11.SERVER, h11.InformationalResponse(status_code=100, headers=[])),
        (h11.SERVER, h11.Data(data=b"x")),
        (h11.SERVER, h11.EndOfMessage()),
    ],
)
def test_event_not_allowed_in_state_is_local_error(role: object, event: h11.Event) -> None:
    conn = h11.Connection(role)  # type: ignore[arg-type]
    with pytest.raises(h11.LocalProtocolError):
        conn.send(event)
    assert conn.our_state is h11.ERROR


def test_client_cannot_send_second_request_before_cycle_ends() -> None:
    client = client_done()
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    assert client.our_state is h11.ERROR


def test_their_http_version_tracks_peer() -> None:
    assert server_with(GET_11).their_http_version == b"1.1"
    assert server_with(b"GET / HTTP/1.0\r\n\r\n").their_http_version == b"1.0"
    client = client_done()
    assert client.their_http_version is None
    receive(client, b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert client.their_http_version == b"1.0"


def test_received_events_equal_expected() -> None:
    server = h11.Connection(h11.SERVER)
    events = receive(
        server,
        b"POST /p?q HTTP/1.1\r\nHost: h\r\nX-Foo: bar\r\nContent-Length: 3\r\n\r\nabc",
    )
    assert events == [
        h11.Request(
            method="POST",
            target="/p?q",
            headers=[("Host", "h"), ("X-Foo", "bar"), ("Content-Length", "3")],
        ),
        h11.Data(data=b"abc"),
        h11.EndOfMessage(),
        h11.NEED_DATA,
    ]


def test_received_header_names_keep_raw_case() -> None:
    server = h11.Connection(h11.SERVER)
    request = receive(server, b"GET / HTTP/1.1\r\nhOsT: h\r\nX-MiXeD: v\r\n\r\n")[0]
    assert request.headers == [(b"host", b"h"), (b"x-mixed", b"v")]
    assert request.headers.raw_items() == [(b"hOsT", b"h"), (b"X-MiXeD", b"v")]


def test_received_response_reason_and_chunked_trailers() -> None:
    client = client_done()
    events = receive(
        client,
        b"HTTP/1.1 200 Fine\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n",
    )
    assert events[0].reason == b"Fine"
    assert events[1] == h11.Data(data=b"abc", chunk_start=True, chunk_end=True)
    assert events[2] == h11.EndOfMessage(headers=[("X-Trailer", "t")])
    assert states(client) == (h11.DONE, h11.DONE)


@pytest.mark.parametrize("status", [204, 304])
def test_client_receives_no_body_for_204_304(status: int) -> None:
    client = client_done()
    events = receive(client, b"HTTP/1.1 %d X\r\n\r\n" % status)
    assert [type(e) for e in events] == [h11.Response, h11.EndOfMessage, type(h11.NEED_DATA)]
    assert states(client) == (h11.DONE, h11.DONE)


def test_client_receives_no_body_for_head_even_with_content_length() -> None:
    client = client_done(method="HEAD")
    events = receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    assert [type(e) for e in events] == [h11.Response, h11.EndOfMessage, type(h11.NEED_DATA)]
    assert states(client) == (h11.DONE, h11.DONE)


def test_idle_server_may_send_error_response_before_any_request() -> None:
    server = h11.Connection(h11.SERVER)
    data = server.send(h11.Response(status_code=408, headers=[("Content-Length", "0")]))
    assert data == b"HTTP/1.1 408 \r\nContent-Length: 0\r\n\r\n"
    assert states(server) == (h11.SEND_BODY, h11.IDLE)
    server.send(EOM)
    assert states(server) == (h11.DONE, h11.IDLE)


def test_client_receives_no_body_for_head_with_chunked() -> None:
    client = client_done(method="HEAD")
    events = receive(client, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    assert [type(e) for e in events] == [h11.Response, h11.EndOfMessage, type(h11.NEED_DATA)]
    assert client.their_state is h11.DONE


def test_client_receives_no_body_for_304_with_content_length() -> None:
    client = client_done()
    events = receive(client, b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")
    assert [type(e) for e in events] == [h11.Response, h11.EndOfMessage, type(h11.NEED_DATA)]


def test_http11_minor_version_above_one_accepted() -> None:
    server = h11.Connection(h11.SERVER)
    events = receive(server, b"GET / HTTP/1.2\r\nHost: a\r\n\r\n")
    assert events[0].http_version == b"1.2"
    assert server.their_http_version == b"1.2"
    assert server.their_state is h11.DONE


def test_client_pauses_on_bytes_after_complete_response() -> None:
    client = client_done()
    events = receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nJUNK")
    assert events[-1] is h11.PAUSED
    assert client.trailing_data == (b"JUNK", False)


def test_send_returns_bytes_objects() -> None:
    server = server_with(GET_11)
    assert type(server.send(h11.Response(status_code=200, headers=[]))) is bytes
    assert type(server.send(h11.Data(data=b"x"))) is bytes
    assert type(server.send(EOM)) is bytes


# ---- after a failed send, an unsolicited response, a CONNECT -------------------------------


@DIFFERS
def test_request_after_the_servers_failed_send_raises_only_protocol_errors() -> None:
    """h11 0.16 raises AttributeError from next_event here (found by the state machine).

    Reading the Request (as we do) or refusing it with RemoteProtocolError are
    both sound: the server, in ERROR, can answer nothing either way.
    """
    server = h11.Connection(h11.SERVER)
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.InformationalResponse(status_code=100, headers=[]))
    assert server.our_state is h11.ERROR
    server.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    try:
        event = server.next_event()
    except h11.RemoteProtocolError:
        assert server.their_state is h11.ERROR
    else:
        assert type(event) is h11.Request
    assert server.our_state is h11.ERROR


UNSOLICITED = [
    pytest.param(b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n", id="complete"),
    pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", id="in-body"),
]


@DIFFERS
@pytest.mark.parametrize("response", UNSOLICITED)
@pytest.mark.parametrize("method", ["GET", "CONNECT"])
def test_client_request_after_an_unsolicited_response_is_refused(
    response: bytes, method: str
) -> None:
    client = h11.Connection(h11.CLIENT)
    client.receive_data(response)
    assert type(client.next_event()) is h11.Response
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method=method, target="/", headers=[("Host", "a")]))
    assert client.our_state is h11.ERROR


@DIFFERS
@pytest.mark.parametrize("finish", [False, True], ids=["in-body", "complete"])
def test_request_after_the_servers_unsolicited_response_is_refused(finish: bool) -> None:
    server = h11.Connection(h11.SERVER)
    server.send(h11.Response(status_code=408, headers=[("Content-Length", "0")]))
    if finish:
        server.send(h11.EndOfMessage())
    server.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()
    assert server.their_state is h11.ERROR


@DIFFERS
def test_response_after_an_accepted_connect_is_a_local_error() -> None:
    """h11 0.16 raises AttributeError here (found by tools/fuzz/differential_states.py)."""
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"CONNECT a:1 HTTP/1.1\r\nHost: a\r\n\r\n")
    assert type(server.next_event()) is h11.Request
    server.send(h11.Response(status_code=200, headers=[]))
    assert server.our_state is h11.SWITCHED_PROTOCOL
    with pytest.raises(h11.LocalProtocolError):
        server.send(h11.Response(status_code=204, headers=[]))
    assert server.our_state is h11.ERROR


@DIFFERS
def test_a_refused_connect_proposes_no_switch() -> None:
    """A CONNECT that send() refused was never sent, so a 2xx is a plain response.

    h11 0.16 records the proposal anyway and pauses as if the switch happened
    (the one difference tools/fuzz/differential_states.py finds outside h11 crashes).
    """
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    with pytest.raises(h11.LocalProtocolError):
        client.send(h11.Request(method="CONNECT", target="a:1", headers=[("Host", "a")]))
    assert client.our_state is h11.ERROR
    client.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert type(client.next_event()) is h11.Response
    assert type(client.next_event()) is h11.EndOfMessage
    assert client.their_state is h11.MUST_CLOSE  # done, facing a client in ERROR
