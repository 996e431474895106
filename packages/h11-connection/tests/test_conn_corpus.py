"""The testkit's attack corpus through a Connection: what it accepts and rejects on receive.

Each request case is read whole and byte by byte and must give the corpus's events or its
error status; each rejected response leaves the server side in ERROR.

Cases h11 0.16 handles differently (it accepts them, or answers another status)
are marked ``differs_from_h11``: there we follow RFC 9110/9112 strictly.
"""

from __future__ import annotations

from typing import Any

import corpus
import h11_connection as h11
import pytest
from conn_support import DIFFERS, next_events


def server_events_until_error(
    data: bytes, max_incomplete_event_size: int = 16384, *, eof: bool = False
) -> h11.RemoteProtocolError:
    """Feed ``data`` to a server and return the RemoteProtocolError it raises.

    No EOF is fed unless asked: the error must come from the bytes, not from a
    truncated message.
    """
    server = h11.Connection(h11.SERVER, max_incomplete_event_size=max_incomplete_event_size)
    server.receive_data(data)
    if eof:
        server.receive_data(b"")
    with pytest.raises(h11.RemoteProtocolError) as info:
        next_events(server)
    assert server.their_state is h11.ERROR
    with pytest.raises(h11.RemoteProtocolError):
        server.next_event()  # the error sticks
    return info.value


def _request_cases(*, accepted: bool) -> list[Any]:
    """The testkit corpus's request cases (one owner for the attack tables); those PyPI
    h11 handles otherwise are marked ``differs_from_h11``."""
    return [
        pytest.param(
            case,
            id=case.name,
            marks=() if case.h11_agrees and case.h11_agrees_when(split=True) else DIFFERS,
        )
        for case in corpus.REQUESTS
        if case.expected.accepted is accepted
    ]


def _served(case: corpus.Case) -> bool:
    return any(event[0] == "end" for event in case.expected.events)


#: Rejected by PyPI h11 only once EOF comes (observed); rejected here on the bytes.
H11_WAITS_FOR_EOF = {"bare_cr_line_end"}
#: Requests rejected before any message was complete (later ones: h11-testkit's test_corpus.py).
REJECTED_REQUESTS = [
    pytest.param(*p.values, id=p.id, marks=DIFFERS) if p.id in H11_WAITS_FOR_EOF else p
    for p in _request_cases(accepted=False)
    if not _served(p.values[0])
]
ACCEPTED_REQUESTS = _request_cases(accepted=True)


@pytest.mark.parametrize("case", REJECTED_REQUESTS)
def test_malformed_request_rejected_with_status_hint(case: corpus.Case) -> None:
    error = server_events_until_error(case.data, case.max_head_size, eof="incomplete" in case.tags)
    assert error.error_status_hint == case.expected.error
    assert str(error)


@pytest.mark.parametrize("case", ACCEPTED_REQUESTS)
def test_valid_request_parsed(case: corpus.Case) -> None:
    """Events, body, trailers and the end of the connection, whole and byte by byte."""
    assert corpus.run(case, h11_module=h11) == case.expected
    assert corpus.run(case, split=True, h11_module=h11) == case.expected


#: The corpus's responses rejected before any message was complete.
REJECTED_RESPONSES = [
    pytest.param(
        case,
        id=case.name,
        marks=() if case.h11_agrees and case.h11_agrees_when(split=True) else DIFFERS,
    )
    for case in corpus.RESPONSES
    if not case.expected.accepted and not _served(case)
]


@pytest.mark.parametrize("case", REJECTED_RESPONSES)
def test_malformed_response_rejected_and_peer_in_error(case: corpus.Case) -> None:
    client = h11.Connection(h11.CLIENT, max_incomplete_event_size=case.max_head_size)
    target = b"example.com:443" if case.request_method == b"CONNECT" else b"/"
    headers = [(b"Host", b"a"), *case.request_headers]
    client.send(h11.Request(method=case.request_method, target=target, headers=headers))
    client.send(h11.EndOfMessage())
    client.receive_data(case.data)
    client.receive_data(b"")
    with pytest.raises(h11.RemoteProtocolError) as info:
        next_events(client)
    assert info.value.error_status_hint == case.expected.error
    assert str(info.value)
    assert client.their_state is h11.ERROR
