"""Expect: 100-continue bookkeeping on both sides."""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import SPLITS, receive, receive_all, server_with

EXPECT = [("Host", "a"), ("Content-Length", "3"), ("Expect", "100-continue")]
EXPECT_REQ = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"


def expecting_client(headers: list[tuple[str, str]] = EXPECT) -> h11.Connection:
    """A client that has sent a request head with Expect: 100-continue."""
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="POST", target="/", headers=headers))
    return client


def test_flags_start_false() -> None:
    for role in (h11.CLIENT, h11.SERVER):
        conn = h11.Connection(role)
        assert not conn.client_is_waiting_for_100_continue
        assert not conn.they_are_waiting_for_100_continue


def test_client_sets_flag_on_sending_expect() -> None:
    client = expecting_client()
    assert client.client_is_waiting_for_100_continue
    assert not client.they_are_waiting_for_100_continue


def test_client_flag_cleared_by_100_response() -> None:
    client = expecting_client()
    events = receive(client, b"HTTP/1.1 100 Continue\r\n\r\n")
    assert events[0].status_code == 100
    assert not client.client_is_waiting_for_100_continue


def test_client_flag_cleared_by_other_informational_response() -> None:
    client = expecting_client()
    receive(client, b"HTTP/1.1 103 Early Hints\r\n\r\n")
    assert not client.client_is_waiting_for_100_continue


def test_client_flag_cleared_by_final_response() -> None:
    client = expecting_client()
    receive(client, b"HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n")
    assert not client.client_is_waiting_for_100_continue


def test_client_flag_cleared_by_sending_body() -> None:
    client = expecting_client()
    client.send(h11.Data(data=b"a"))
    assert not client.client_is_waiting_for_100_continue


def test_server_sets_both_flags_on_receiving_expect() -> None:
    server = server_with(EXPECT_REQ)
    assert server.they_are_waiting_for_100_continue
    assert server.client_is_waiting_for_100_continue


def test_expect_value_is_case_insensitive() -> None:
    server = server_with(EXPECT_REQ.replace(b"100-continue", b"100-Continue"))
    assert server.they_are_waiting_for_100_continue


def test_server_flags_cleared_by_sending_100() -> None:
    server = server_with(EXPECT_REQ)
    assert server.send(h11.InformationalResponse(status_code=100, headers=[])) == (
        b"HTTP/1.1 100 \r\n\r\n"
    )
    assert not server.they_are_waiting_for_100_continue
    assert not server.client_is_waiting_for_100_continue


def test_server_flags_cleared_by_sending_final_response() -> None:
    server = server_with(EXPECT_REQ)
    server.send(h11.Response(status_code=417, headers=[]))
    assert not server.they_are_waiting_for_100_continue


def test_server_flags_cleared_by_receiving_body() -> None:
    server = server_with(EXPECT_REQ)
    receive(server, b"a")
    assert not server.they_are_waiting_for_100_continue
    assert not server.client_is_waiting_for_100_continue


def test_http10_expect_is_ignored() -> None:
    server = server_with(EXPECT_REQ.replace(b"HTTP/1.1", b"HTTP/1.0"))
    assert not server.they_are_waiting_for_100_continue


def test_expect_without_body_does_not_wait() -> None:
    server = server_with(b"GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n")
    assert not server.they_are_waiting_for_100_continue
    assert server.their_state is h11.DONE


def test_other_expectation_does_not_wait() -> None:
    server = server_with(EXPECT_REQ.replace(b"100-continue", b"something-else"))
    assert not server.they_are_waiting_for_100_continue


# ---- the wait ends at the next event of either side, whatever it is -----------------------


def test_client_flag_cleared_by_sending_end_of_message_without_body() -> None:
    client = expecting_client(
        [("Host", "a"), ("Transfer-Encoding", "chunked"), ("Expect", "100-continue")]
    )
    assert client.client_is_waiting_for_100_continue
    assert client.send(h11.EndOfMessage()) == b"0\r\n\r\n"
    assert not client.client_is_waiting_for_100_continue


def test_client_flag_cleared_by_sending_empty_data() -> None:
    client = expecting_client()
    assert client.send(h11.Data(data=b"")) == b""
    assert not client.client_is_waiting_for_100_continue


def test_server_flags_cleared_by_receiving_end_of_message_without_body() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
    )
    assert type(server.next_event()) is h11.Request
    assert flags(server) == (True, True)
    server.receive_data(b"0\r\n\r\n")
    assert type(server.next_event()) is h11.EndOfMessage
    assert flags(server) == (False, False)


def flags(conn: h11.Connection) -> tuple[bool, bool]:
    return conn.they_are_waiting_for_100_continue, conn.client_is_waiting_for_100_continue


def test_server_flags_stay_set_until_the_body_arrives() -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(EXPECT_REQ)
    assert type(server.next_event()) is h11.Request
    assert server.next_event() is h11.NEED_DATA
    assert server.they_are_waiting_for_100_continue


def test_client_flag_cleared_by_received_101_switch() -> None:
    client = expecting_client([*EXPECT, ("Upgrade", "websocket"), ("Connection", "upgrade")])
    assert client.client_is_waiting_for_100_continue
    receive(client, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
    assert client.their_state is h11.SWITCHED_PROTOCOL
    assert not client.client_is_waiting_for_100_continue


def test_flag_is_set_again_by_the_next_cycles_request() -> None:
    client = expecting_client()
    client.send(h11.Data(data=b"abc"))
    client.send(h11.EndOfMessage())
    receive(client, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    client.start_next_cycle()
    assert not client.client_is_waiting_for_100_continue
    client.send(h11.Request(method="POST", target="/", headers=EXPECT))
    assert client.client_is_waiting_for_100_continue


def test_flag_is_assignable_as_in_h11() -> None:
    server = server_with(EXPECT_REQ)
    server.client_is_waiting_for_100_continue = False
    assert flags(server) == (False, False)
    server.client_is_waiting_for_100_continue = True
    assert flags(server) == (True, True)
    receive(server, b"abc")
    assert flags(server) == (False, False)


# ---- Expect: 100-continue as a list member -------------------------------------------------


WAITING = [
    [b"100-continue"],
    [b"100-Continue"],
    [b"100-CONTINUE"],
    [b" 100-continue "],
    [b"100-continue, foo"],
    [b"foo, 100-continue"],
    [b"foo,  100-continue  ,bar"],
    [b"100-continue\t,foo"],
    [b"100-continue,"],
    [b",100-continue"],
    [b"foo", b"100-continue"],
    [b"100-continue", b"foo"],
]


NOT_WAITING = [[b"100-continue;a=b"], [b"100-continuex"], [b"foo"], [b""], [b'"100-continue"']]


@SPLITS
@pytest.mark.parametrize(
    ("values", "waiting"), [(v, True) for v in WAITING] + [(v, False) for v in NOT_WAITING]
)
def test_expect_100_continue_is_found_in_a_list(
    split: bool, values: list[bytes], waiting: bool
) -> None:
    """As h11 0.16 (observed): a list member, any case, any OWS; not with parameters."""
    expect = b"".join(b"Expect:" + value + b"\r\n" for value in values)
    data = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n" + expect + b"\r\n"
    server = h11.Connection(h11.SERVER)
    events = receive_all(server, data, split=split)
    assert type(events[0]) is h11.Request
    assert server.they_are_waiting_for_100_continue is waiting


@pytest.mark.parametrize("value", ["100-continue, foo", "foo,100-Continue"])
def test_a_client_sending_an_expect_list_waits_for_100_continue(value: str) -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(
        h11.Request(
            method="POST",
            target="/",
            headers=[("Host", "a"), ("Content-Length", "3"), ("Expect", value)],
        )
    )
    assert client.they_are_waiting_for_100_continue is False
    assert client.client_is_waiting_for_100_continue is True
