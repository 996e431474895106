"""A Connection's cost grows linearly with hostile input, whole and byte by byte.

The testkit's ``cost`` shapes (long runs of SP, HTAB, CR, ``;``, ``,``, ``=``, quotes
and token bytes in each position of each grammar element) reach a SERVER (requests) or
a CLIENT that sent a GET (responses) with ``max_incomplete_event_size`` raised beyond
them; 4x the bytes may cost at most 8x the time (quadratic cost is 16x). PyPI h11 0.16
passes these too.
"""

from __future__ import annotations

from collections.abc import Callable

import cost
import h11_connection as h11
import pytest

WHOLE_N = 8_000
BYTEWISE_N = 1_000
LIMIT = 1 << 20
MAX_EVENTS = 1_000_000


def connection(kind: cost.Kind) -> h11.Connection:
    if kind == "request":
        return h11.Connection(h11.SERVER, max_incomplete_event_size=LIMIT)
    conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=LIMIT)
    conn.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    conn.send(h11.EndOfMessage())
    return conn


def receive(kind: cost.Kind, pieces: list[bytes]) -> str:
    """Feed ``pieces`` (then EOF), reading events after each: how it ended."""
    conn = connection(kind)
    try:
        for piece in [*pieces, b""]:
            conn.receive_data(piece)
            for _ in range(MAX_EVENTS):
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    break
                if event is h11.PAUSED:
                    return "paused"
                if type(event) is h11.ConnectionClosed:
                    return "closed"
    except h11.RemoteProtocolError:
        return "error"
    return "waiting"


def whole(kind: cost.Kind) -> Callable[[bytes], object]:
    return lambda data: receive(kind, [data])


def bytewise(kind: cost.Kind) -> Callable[[bytes], object]:
    return lambda data: receive(kind, [data[i : i + 1] for i in range(len(data))])


def check_growth(receive_data: Callable[[bytes], object], shape: cost.Shape, n: int) -> None:
    ratio = cost.growth(receive_data, shape.build, n)
    if ratio > cost.LINEAR_BOUND:
        # A second, longer look: a busy machine can spoil one measurement, not five.
        ratio = min(ratio, cost.growth(receive_data, shape.build, n, repeats=5))
    assert ratio <= cost.LINEAR_BOUND, f"{shape.name}: 4x the bytes cost {ratio:.1f}x the time"


@pytest.mark.parametrize("shape", cost.CORE, ids=cost.ids(cost.CORE))
def test_whole_stream_cost_is_linear(shape: cost.Shape) -> None:
    small, large = shape.build(WHOLE_N), shape.build(4 * WHOLE_N)
    assert receive(shape.kind, [small]) == receive(shape.kind, [large])
    check_growth(whole(shape.kind), shape, WHOLE_N)


@pytest.mark.parametrize("shape", cost.REPORTED, ids=cost.ids(cost.REPORTED))
def test_byte_by_byte_cost_is_linear(shape: cost.Shape) -> None:
    data = shape.build(BYTEWISE_N)
    assert bytewise(shape.kind)(data) == receive(shape.kind, [data])
    check_growth(bytewise(shape.kind), shape, BYTEWISE_N)
