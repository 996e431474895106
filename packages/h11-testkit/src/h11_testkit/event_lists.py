"""Event lists that compare across reads: `drain` a source, `merge_data` its Data events.

The one implementation of both for this project's suites and for users of the testkit.
They work with anything that speaks h11's event vocabulary: an `h11.Connection`, the
standalone parsers of h11-parser, or PyPI h11 itself. The vocabulary is the module whose
events they are, passed as `h11=` (e.g. PyPI's `h11`); by default `h11_events`, whose
objects this project's `h11`, `h11_connection` and parsers all hand out.

Like `corpus`, this module imports nothing but the standard library, so a suite that
must run without the testkit installed can import it from the source tree.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any, Protocol

#: Bound on events drained at once: a source that never asks for data fails, not hangs.
MAX_EVENTS = 100_000


class EventSource(Protocol):
    """What `drain` reads: a Connection or a standalone parser."""

    def next_event(self) -> Any: ...


def _vocabulary(h11: ModuleType | None) -> ModuleType:
    return h11 if h11 is not None else importlib.import_module("h11_events")


def drain(
    source: EventSource, *, h11: ModuleType | None = None, keep_sentinel: bool = True
) -> list[Any]:
    """Every event `source` has now, ending with the one that stopped it.

    That is NEED_DATA, PAUSED or a ConnectionClosed (after which nothing else can
    come). With `keep_sentinel=False` a final NEED_DATA or PAUSED is left out.
    """
    vocabulary = _vocabulary(h11)
    need_data, paused, closed = vocabulary.NEED_DATA, vocabulary.PAUSED, vocabulary.ConnectionClosed
    events: list[Any] = []
    for _ in range(MAX_EVENTS):
        event = source.next_event()
        if event is need_data or event is paused:
            if keep_sentinel:
                events.append(event)
            return events
        events.append(event)
        if type(event) is closed:
            return events
    raise AssertionError(f"{source!r} produced more than {MAX_EVENTS} events without NEED_DATA")


def merge_data(events: Iterable[Any], *, h11: ModuleType | None = None) -> list[Any]:
    """Join adjacent Data events so event lists from different splits compare equal.

    How a body is cut into Data events depends on the read sizes; what was received
    does not. Chunk boundary flags are dropped for the same reason.
    """
    data_type = _vocabulary(h11).Data
    merged: list[Any] = []
    for event in events:
        if type(event) is data_type:
            if merged and type(merged[-1]) is data_type:
                merged[-1] = data_type(data=bytes(merged[-1].data) + bytes(event.data))
            else:
                merged.append(data_type(data=bytes(event.data)))
        else:
            merged.append(event)
    return merged
