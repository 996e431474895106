"""A CLIENT Connection reads responses real servers sent as h11 0.16 reads them.

Each case of ``real_web_responses`` broke some HTTP client in the wild (its source is in
the data); a client built on this library must read it, whole, byte by byte and split
anywhere, with the events h11 gives. The cases pass against PyPI h11 0.16 as well (see
conftest.py), which is how their expected events were checked.
"""

from __future__ import annotations

import re
from typing import Any

import h11_connection as h11
import pytest
from real_web_responses import CASES, Event, RealWebResponse

#: At most this many two-read splits per case (evenly spread), to keep long bodies quick.
MAX_SPLITS = 64


def marked(case: RealWebResponse) -> Any:
    """The case as a pytest param named after it."""
    return pytest.param(case, id=case.name)


def event_tuple(event: Any) -> Event:
    """An event as the data module writes it."""
    if isinstance(event, (h11.Response, h11.InformationalResponse)):
        headers = tuple((bytes(n), bytes(v)) for n, v in event.headers)
        name = type(event).__name__
        return (name, event.status_code, bytes(event.reason), bytes(event.http_version), headers)
    if isinstance(event, h11.Data):
        return ("Data", bytes(event.data))
    if isinstance(event, h11.EndOfMessage):
        return ("EndOfMessage", tuple((bytes(n), bytes(v)) for n, v in event.headers))
    return (type(event).__name__,)


def read(case: RealWebResponse, reads: list[bytes]) -> list[Event]:
    """A client that sent ``case.method`` receives ``reads``, then EOF; its events."""
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method=case.method, target="/", headers=[("Host", "example.com")]))
    conn.send(h11.EndOfMessage())
    events: list[Event] = []
    for piece in [*reads, b""]:
        conn.receive_data(piece)
        for _ in range(1000):
            event = conn.next_event()
            if event is h11.NEED_DATA or event is h11.PAUSED:
                break
            item = event_tuple(event)
            if isinstance(event, h11.Data) and events and events[-1][0] == "Data":
                joined = events.pop()[1]
                assert isinstance(joined, bytes)
                item = ("Data", joined + bytes(event.data))
            events.append(item)
            if item[0] == "ConnectionClosed":
                return events
    return events


def splits(data: bytes) -> list[list[bytes]]:
    """``data`` whole, byte by byte, and in two reads at up to MAX_SPLITS cut points."""
    step = max(1, len(data) // MAX_SPLITS)
    cuts = [*range(1, len(data), step), len(data) - 1]
    return [[data], [data[i : i + 1] for i in range(len(data))]] + [
        [data[:cut], data[cut:]] for cut in sorted(set(cuts)) if 0 < cut < len(data)
    ]


@pytest.mark.parametrize("case", [marked(case) for case in CASES])
def test_client_reads_it_as_h11_does(case: RealWebResponse) -> None:
    for reads in splits(case.data):
        assert read(case, reads) == list(case.events), f"reads of sizes {[len(r) for r in reads]}"


def test_corpus_is_well_formed() -> None:
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names)
    for case in CASES:
        assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+/(issues|pull)/\d+", case.source)
        assert case.method in (b"GET", b"HEAD", b"POST")
        assert case.events[0][0] == "Response"
        assert case.events[-1] == ("ConnectionClosed",)
