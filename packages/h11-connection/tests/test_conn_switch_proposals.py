"""Which protocol switches a request proposes has one owner, ``proposed_switches``.

The standalone RequestParser stops parsing after a request that proposes one, and
both ends of a Connection (the client that sends it, the server that receives it)
wait for the answer; a request that proposes none lets all three carry on. Each
case is checked on all three, so a path that stopped asking the owner disagrees.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from h11_parser import RequestParser
from h11_parser.engine import SWITCH_CONNECT, SWITCH_UPGRADE, head_facts, proposed_switches

pytestmark = pytest.mark.ours_only  # the engine API's owner of the rule

HOST = (b"Host", b"example.com:443")

#: (method, target, extra fields, the switches proposed)
CASES: list[tuple[bytes, bytes, list[tuple[bytes, bytes]], tuple[str, ...]]] = [
    (b"GET", b"/", [], ()),
    (b"POST", b"/", [(b"Content-Length", b"0")], ()),
    (b"GET", b"/", [(b"Upgrade", b"websocket"), (b"Connection", b"upgrade")], (SWITCH_UPGRADE,)),
    (b"OPTIONS", b"*", [(b"Upgrade", b"h2c")], (SWITCH_UPGRADE,)),
    (b"CONNECT", b"example.com:443", [], (SWITCH_CONNECT,)),
    (b"CONNECT", b"example.com:443", [(b"Upgrade", b"x")], (SWITCH_UPGRADE, SWITCH_CONNECT)),
    (b"connect", b"/", [], ()),  # methods are case-sensitive (RFC 9110 9.1)
]
IDS = [f"{method.decode()} {len(fields)} fields" for method, _, fields, _ in CASES]


def _request(method: bytes, target: bytes, fields: list[tuple[bytes, bytes]]) -> h11.Request:
    return h11.Request(method=method, target=target, headers=[HOST, *fields])


@pytest.mark.parametrize(("method", "target", "fields", "expected"), CASES, ids=IDS)
def test_the_owner_names_the_proposals(
    method: bytes, target: bytes, fields: list[tuple[bytes, bytes]], expected: tuple[str, ...]
) -> None:
    facts = head_facts(_request(method, target, fields).headers._items, h11.LocalProtocolError)
    assert proposed_switches(facts, method) == expected


@pytest.mark.parametrize(("method", "target", "fields", "expected"), CASES, ids=IDS)
def test_parser_and_both_connection_ends_agree(
    method: bytes, target: bytes, fields: list[tuple[bytes, bytes]], expected: tuple[str, ...]
) -> None:
    client = h11.Connection(h11.CLIENT)
    wire = client.send(_request(method, target, fields)) + client.send(h11.EndOfMessage())
    following = b"GET /next HTTP/1.1\r\nHost: example.com\r\n\r\n"

    parser = RequestParser()
    parser.feed(wire + following)
    events = [type(event) for event in parser]  # up to NEED_DATA or PAUSED
    if expected:
        assert events == [h11.Request, h11.EndOfMessage]
        assert parser.next_event() is h11.PAUSED  # the following bytes may not be HTTP/1.1
    else:
        assert events == [h11.Request, h11.EndOfMessage] * 2
        assert parser.next_event() is h11.NEED_DATA

    server = h11.Connection(h11.SERVER)
    server.receive_data(wire + following)
    assert type(server.next_event()) is h11.Request
    assert type(server.next_event()) is h11.EndOfMessage
    waiting = h11.MIGHT_SWITCH_PROTOCOL if expected else h11.DONE
    assert server.states[h11.CLIENT] is waiting
    assert client.states[h11.CLIENT] is waiting
    assert server.next_event() is h11.PAUSED  # the next request waits either way
