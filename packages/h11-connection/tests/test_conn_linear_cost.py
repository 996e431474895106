"""A Connection's cost grows linearly with hostile input, whole and byte by byte.

The testkit's ``cost`` shapes (long runs of SP, HTAB, CR, ``;``, ``,``, ``=``, quotes
and token bytes in each position of each grammar element) reach a SERVER (requests) or
a CLIENT that sent a GET (responses) with ``max_incomplete_event_size`` raised beyond
them; 4x the bytes may cost at most 8x the time (quadratic cost is 16x). PyPI h11 0.16
passes these too.
"""

from __future__ import annotations

from typing import Any

import cost
import h11_connection as h11
import pytest
from conn_support import verdict

WHOLE_N = 8_000
BYTEWISE_N = 1_000
LIMIT = 1 << 20
MAX_EVENTS = 1_000_000


def receive(kind: cost.Kind, pieces: list[bytes]) -> tuple[list[Any], Any]:
    """How ``pieces`` (then EOF) end at a fresh Connection: the last event type and the
    error status (None if accepted). More Data events from more bytes do not count."""
    role = h11.SERVER if kind == "request" else h11.CLIENT
    kinds, status = verdict(pieces, role, LIMIT, MAX_EVENTS)
    return kinds[-1:], status


@pytest.mark.parametrize("shape", cost.CORE, ids=cost.ids(cost.CORE))
def test_whole_stream_cost_is_linear(shape: cost.Shape) -> None:
    small, large = shape.build(WHOLE_N), shape.build(4 * WHOLE_N)
    assert receive(shape.kind, [small]) == receive(shape.kind, [large])
    cost.check_linear(lambda data: receive(shape.kind, [data]), shape, WHOLE_N)


@pytest.mark.parametrize("shape", cost.REPORTED, ids=cost.ids(cost.REPORTED))
def test_byte_by_byte_cost_is_linear(shape: cost.Shape) -> None:
    data = shape.build(BYTEWISE_N)
    assert receive(shape.kind, cost.byte_by_byte(data)) == receive(shape.kind, [data])
    cost.check_linear(lambda raw: receive(shape.kind, cost.byte_by_byte(raw)), shape, BYTEWISE_N)
