"""The standalone parsers' cost grows linearly with hostile input, whole and byte by byte.

Every shape of the testkit's ``cost`` catalogue (long runs of SP, HTAB, CR, ``;``,
``,``, ``=``, quotes and token bytes in each position of each grammar element, in
heads, trailer sections and chunk-size lines, requests and responses) is parsed at
n and 4n bytes with the head limit raised beyond both; 4x the bytes may cost at most
8x the time (quadratic cost is 16x). Ratios within one run, never absolute times.
"""

from __future__ import annotations

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


@pytest.mark.parametrize("shape", cost.SHAPES, ids=cost.ids(cost.SHAPES))
def test_whole_stream_cost_is_linear(shape: cost.Shape) -> None:
    # Both sizes end alike (the limit is raised beyond both), so they do the same work.
    assert parse(shape.kind, [shape.build(WHOLE_N)]) == parse(
        shape.kind, [shape.build(4 * WHOLE_N)]
    )
    cost.check_linear(lambda data: parse(shape.kind, [data]), shape, WHOLE_N)


@pytest.mark.parametrize("shape", cost.CORE, ids=cost.ids(cost.CORE))
def test_byte_by_byte_cost_is_linear(shape: cost.Shape) -> None:
    data = shape.build(BYTEWISE_N)
    assert parse(shape.kind, cost.byte_by_byte(data)) == parse(shape.kind, [data])
    cost.check_linear(lambda raw: parse(shape.kind, cost.byte_by_byte(raw)), shape, BYTEWISE_N)
