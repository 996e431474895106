"""H11Pair: events sent on one side arrive, unchanged, on the other."""

from __future__ import annotations

import h11_connection as h11
import pytest
from h11_testkit.pair import H11Pair, bytewise, merge_data, random_split, whole
from hypothesis import given
from hypothesis import strategies as st

REQUEST = h11.Request(method="POST", target="/x", headers=[("Host", "a"), ("Content-Length", "5")])
RESPONSE = h11.Response(status_code=200, headers=[("Content-Length", "2")], reason=b"OK")


def test_fixture_gives_fresh_connections(h11_pair: H11Pair) -> None:
    assert h11_pair.client.our_role is h11.CLIENT
    assert h11_pair.server.our_role is h11.SERVER
    assert h11_pair.client.our_state is h11.IDLE
    assert h11_pair.server.our_state is h11.IDLE


def test_request_and_response_cross(h11_pair: H11Pair) -> None:
    got = h11_pair.send(h11.CLIENT, REQUEST, h11.Data(data=b"hello"), h11.EndOfMessage())
    assert merge_data(got) == [REQUEST, h11.Data(data=b"hello"), h11.EndOfMessage()]
    got = h11_pair.send(h11.SERVER, RESPONSE, h11.Data(data=b"ok"), h11.EndOfMessage())
    assert merge_data(got) == [RESPONSE, h11.Data(data=b"ok"), h11.EndOfMessage()]
    assert h11_pair.client.our_state is h11.DONE
    assert h11_pair.server.their_state is h11.DONE


def test_send_both_ways_and_next_cycle(h11_pair: H11Pair) -> None:
    get = h11.Request(method="GET", target="/", headers=[("Host", "a")])
    for _ in range(3):
        server_got, client_got = h11_pair.send_both_ways(
            [get, h11.EndOfMessage()], [RESPONSE, h11.Data(data=b"ok"), h11.EndOfMessage()]
        )
        assert server_got == [get, h11.EndOfMessage()]
        assert merge_data(client_got) == [RESPONSE, h11.Data(data=b"ok"), h11.EndOfMessage()]
        h11_pair.start_next_cycle()
    assert h11_pair.client.our_state is h11.IDLE


@pytest.mark.parametrize("split", [whole, bytewise, random_split(0), random_split(1, max_piece=3)])
def test_split_does_not_change_what_arrives(split: object) -> None:
    pair = H11Pair()
    chunked = h11.Request(
        method="PUT", target="/", headers=[("Host", "a"), ("Transfer-Encoding", "chunked")]
    )
    events = [chunked, h11.Data(data=b"abc"), h11.Data(data=b"defgh"), h11.EndOfMessage()]
    got = pair.send(h11.CLIENT, *events, split=split)  # type: ignore[arg-type]
    assert merge_data(got) == [chunked, h11.Data(data=b"abcdefgh"), h11.EndOfMessage()]


def test_connection_closed_is_delivered_as_eof(h11_pair: H11Pair) -> None:
    assert h11_pair.send(h11.CLIENT, h11.ConnectionClosed()) == [h11.ConnectionClosed()]
    assert h11_pair.server.their_state is h11.CLOSED


def test_deliver_raw_bytes(h11_pair: H11Pair) -> None:
    got = h11_pair.deliver(h11.CLIENT, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", split=bytewise)
    assert got == [
        h11.Request(method="GET", target="/", headers=[("Host", "a")]),
        h11.EndOfMessage(),
    ]


def test_deliver_malformed_bytes_raises(h11_pair: H11Pair) -> None:
    with pytest.raises(h11.RemoteProtocolError):
        h11_pair.deliver(h11.CLIENT, b"GET / HTTP/1.1\r\n\r\n")


def test_unknown_role_is_refused(h11_pair: H11Pair) -> None:
    with pytest.raises(ValueError, match="role"):
        h11_pair.send("client", h11.ConnectionClosed())


def test_splitters_keep_every_byte() -> None:
    data = bytes(range(256)) * 3
    assert whole(data) == [data]
    assert whole(b"") == []
    assert bytewise(data) == [bytes([b]) for b in data]
    pieces = random_split(7, max_piece=5)(data)
    assert b"".join(pieces) == data
    assert all(1 <= len(p) <= 5 for p in pieces)
    assert random_split(7, max_piece=5)(data) == pieces


def test_merge_data_joins_only_adjacent_data() -> None:
    events = [
        h11.Data(data=b"a", chunk_start=True),
        h11.Data(data=bytearray(b"b"), chunk_end=True),
        h11.EndOfMessage(),
        h11.Data(data=b"c"),
    ]
    assert merge_data(events) == [h11.Data(data=b"ab"), h11.EndOfMessage(), h11.Data(data=b"c")]


@given(
    body=st.binary(max_size=300),
    pieces=st.lists(st.binary(min_size=1, max_size=20), max_size=5),
    seed=st.integers(0, 2**32),
)
def test_any_body_survives_any_split(body: bytes, pieces: list[bytes], seed: int) -> None:
    pair = H11Pair()
    request = h11.Request(
        method="POST", target="/", headers=[("Host", "a"), ("Transfer-Encoding", "chunked")]
    )
    events = [request, *(h11.Data(data=p) for p in pieces), h11.Data(data=body), h11.EndOfMessage()]
    got = pair.send(h11.CLIENT, *events, split=random_split(seed))
    expected_body = b"".join(pieces) + body
    expected = [
        request,
        *([h11.Data(data=expected_body)] if expected_body else []),
        h11.EndOfMessage(),
    ]
    assert merge_data(got) == expected
