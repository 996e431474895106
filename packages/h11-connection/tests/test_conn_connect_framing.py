"""An answer to CONNECT is framed by one rule (h11_parser.engine.body_framing)
in a Connection, sending and receiving, and in the standalone ResponseParser and
ResponseWriter: a 2xx head ends its message and a tunnel follows; any other status
has a body as its fields say. Each side is checked against the others, byte for byte.

How a client Connection reads the answers is h11's too; the comparisons with this
project's standalone parser and writer are ``ours_only`` (they import h11_parser).
"""

from __future__ import annotations

from typing import Any

import h11_connection as h11
import pytest
from conn_support import next_events

CONNECT = h11.Request(method="CONNECT", target="example.com:443", headers=[("Host", "example.com")])
TUNNEL_BYTES = b"\x16\x03\x01tunnel"

#: (status, fields) of the answers to CONNECT.
ANSWERS: list[tuple[int, list[tuple[str, str]]]] = [
    (status, fields)
    for status in (200, 204, 299, 300, 407, 502)
    for fields in (
        [],
        [("Content-Length", "5")],
        [("Transfer-Encoding", "chunked")],
        [("Content-Length", "0"), ("Connection", "close")],
    )
]


def server_answering_connect() -> h11.Connection:
    server = h11.Connection(h11.SERVER)
    client = h11.Connection(h11.CLIENT)
    server.receive_data(client.send(CONNECT) + client.send(h11.EndOfMessage()))
    next_events(server)
    return server


def client_after_connect() -> h11.Connection:
    client = h11.Connection(h11.CLIENT)
    client.send(CONNECT)
    client.send(h11.EndOfMessage())
    return client


def sent_by_server(status: int, fields: list[tuple[str, str]]) -> tuple[bytes, bool]:
    """The bytes a server Connection writes for the answer and a 5-byte body if it may
    have one, and whether it took the head as the whole message (a tunnel)."""
    server = server_answering_connect()
    wire = server.send(h11.Response(status_code=status, headers=fields))
    if server.our_state is h11.SWITCHED_PROTOCOL:
        with pytest.raises(h11.LocalProtocolError):
            server.send(h11.Data(data=b"hello"))
        return wire, True
    if ("Content-Length", "0") not in fields:
        wire += server.send(h11.Data(data=b"hello"))
    return wire + server.send(h11.EndOfMessage()), False


def received(parser: Any, wire: bytes) -> list[Any]:
    parser.receive_data(wire) if isinstance(parser, h11.Connection) else parser.feed(wire)
    return next_events(parser) if isinstance(parser, h11.Connection) else list_events(parser)


def list_events(parser: Any) -> list[Any]:
    events = []
    while True:
        event = parser.next_event()
        events.append(event)
        if event is h11.NEED_DATA or event is h11.PAUSED:
            return events


def answer_on_the_wire(status: int, fields: list[tuple[str, str]]) -> bytes:
    """What a server Connection sends for the answer, and the tunnel's bytes after a 2xx."""
    wire, tunnel = sent_by_server(status, fields)
    assert tunnel is (200 <= status < 300)
    return wire + TUNNEL_BYTES if tunnel else wire


@pytest.mark.parametrize(("status", "fields"), ANSWERS)
def test_a_client_connection_reads_an_answer_to_connect(
    status: int, fields: list[tuple[str, str]]
) -> None:
    client = client_after_connect()
    from_client = received(client, answer_on_the_wire(status, fields))
    if 200 <= status < 300:
        assert from_client[1:] == [h11.PAUSED]
        assert client.their_state is h11.SWITCHED_PROTOCOL
        assert client.trailing_data == (TUNNEL_BYTES, False)
    else:
        assert from_client[-2:] == [h11.EndOfMessage(), h11.NEED_DATA]
        assert client.their_state in (h11.DONE, h11.MUST_CLOSE)


@pytest.mark.ours_only
@pytest.mark.parametrize(("status", "fields"), ANSWERS)
def test_connection_and_standalone_parser_read_an_answer_to_connect_alike(
    status: int, fields: list[tuple[str, str]]
) -> None:
    from h11_parser import ResponseParser

    wire = answer_on_the_wire(status, fields)
    client = client_after_connect()
    parser = ResponseParser(b"CONNECT")
    assert received(client, wire) == received(parser, wire)
    assert client.trailing_data == parser.trailing_data


@pytest.mark.ours_only
@pytest.mark.parametrize(("status", "fields"), ANSWERS)
def test_connection_and_standalone_writer_frame_an_answer_to_connect_alike(
    status: int, fields: list[tuple[str, str]]
) -> None:
    from h11_parser import ResponseParser, ResponseWriter

    _, tunnel = sent_by_server(status, fields)
    writer = ResponseWriter(b"CONNECT")
    head = writer.send(h11.Response(status_code=status, headers=fields))
    assert writer.switched is tunnel
    if tunnel:
        with pytest.raises(h11.LocalProtocolError, match="switched"):
            writer.send(h11.Data(data=b"hello"))
        # Both standalone sides say whether the connection must close after the tunnel.
        parser = ResponseParser(b"CONNECT")
        assert received(parser, head)[1:] == [h11.PAUSED]
        assert writer.must_close is parser.must_close is (("Connection", "close") in fields)
