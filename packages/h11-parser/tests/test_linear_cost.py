"""The standalone parsers' cost grows linearly with hostile input, whole and byte by byte.

Every shape of the testkit's ``cost`` catalogue (long runs of SP, HTAB, CR, ``;``,
``,``, ``=``, quotes and token bytes in each position of each grammar element, in
heads, trailer sections and chunk-size lines, requests and responses) is parsed at
n and 4n bytes with the head limit raised beyond both; 4x the bytes may cost at most
8x the time (quadratic cost is 16x). Ratios within one run, never absolute times.
"""

from __future__ import annotations

from collections.abc import Callable

import cost
import pytest
from h11_events import NEED_DATA, PAUSED, ConnectionClosed, RemoteProtocolError
from h11_parser import RequestParser, ResponseParser

#: Bytes of the run at the smaller size: whole, and fed one byte at a time.
WHOLE_N = 8_000
BYTEWISE_N = 1_000
#: A head limit beyond every shape at 4n.
LIMIT = 1 << 20
MAX_EVENTS = 1_000_000


def parse(kind: cost.Kind, pieces: list[bytes]) -> str:
    """Feed ``pieces`` to a fresh parser, reading events after each; then EOF.

    Returns how it ended ("error", "closed", "paused" or "waiting"), so a test can
    also check the shape reached the part of the parser it is meant for.
    """
    parser = RequestParser(LIMIT) if kind == "request" else ResponseParser(max_head_size=LIMIT)
    try:
        for piece in [*pieces, b""]:
            parser.feed(piece)
            for _ in range(MAX_EVENTS):
                event = parser.next_event()
                if event is NEED_DATA:
                    break
                if event is PAUSED:
                    return "paused"
                if isinstance(event, ConnectionClosed):
                    return "closed"
    except RemoteProtocolError:
        return "error"
    return "waiting"


def whole(kind: cost.Kind) -> Callable[[bytes], object]:
    return lambda data: parse(kind, [data])


def bytewise(kind: cost.Kind) -> Callable[[bytes], object]:
    return lambda data: parse(kind, [data[i : i + 1] for i in range(len(data))])


def check_growth(parse_data: Callable[[bytes], object], shape: cost.Shape, n: int) -> None:
    ratio = cost.growth(parse_data, shape.build, n)
    if ratio > cost.LINEAR_BOUND:
        # A second, longer look before failing: a busy machine can spoil one measurement,
        # never five in a row for a shape whose cost really grows quadratically.
        ratio = min(ratio, cost.growth(parse_data, shape.build, n, repeats=5))
    assert ratio <= cost.LINEAR_BOUND, f"{shape.name}: 4x the bytes cost {ratio:.1f}x the time"


@pytest.mark.parametrize("shape", cost.SHAPES, ids=cost.ids(cost.SHAPES))
def test_whole_stream_cost_is_linear(shape: cost.Shape) -> None:
    # Both sizes end alike (the limit is raised beyond both), so they do the same work.
    assert parse(shape.kind, [shape.build(WHOLE_N)]) == parse(
        shape.kind, [shape.build(4 * WHOLE_N)]
    )
    check_growth(whole(shape.kind), shape, WHOLE_N)


@pytest.mark.parametrize("shape", cost.CORE, ids=cost.ids(cost.CORE))
def test_byte_by_byte_cost_is_linear(shape: cost.Shape) -> None:
    data = shape.build(BYTEWISE_N)
    assert bytewise(shape.kind)(data) == parse(shape.kind, [data])
    check_growth(bytewise(shape.kind), shape, BYTEWISE_N)
