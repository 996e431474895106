"""The standalone ResponseParser reads responses real servers sent as h11 0.16 reads them.

The cases (and their sources) live in the Connection suite's data module
``real_web_responses``, plain data loaded from the tree: one corpus for both readers.
The parser's messages must be the Connection's (its end of stream, PAUSED or
ConnectionClosed, is the parser's own API and not compared).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
from h11_events import Data, EndOfMessage, InformationalResponse, Response
from h11_parser import ResponseParser
from parser_support import merge_data, run

sys.path.append(str(Path(__file__).resolve().parents[2] / "h11-connection" / "tests"))

#: Imported by name at run time: mypy checks this suite without the Connection's tests.
corpus = importlib.import_module("real_web_responses")
CASES: tuple[Any, ...] = corpus.CASES
Event = tuple[object, ...]


def marked(case: Any) -> Any:
    """The case as a pytest param named after it."""
    return pytest.param(case, id=case.name)


def message_events(events: list[Any]) -> list[Event]:
    """Response/Data/EndOfMessage events as the data module writes them."""
    out: list[Event] = []
    for event in events:
        if isinstance(event, (Response, InformationalResponse)):
            headers = tuple((bytes(n), bytes(v)) for n, v in event.headers)
            name = type(event).__name__
            out.append((name, event.status_code, event.reason, event.http_version, headers))
        elif isinstance(event, Data):
            out.append(("Data", bytes(event.data)))
        elif isinstance(event, EndOfMessage):
            out.append(("EndOfMessage", tuple((bytes(n), bytes(v)) for n, v in event.headers)))
    return out


@pytest.mark.parametrize("case", [marked(case) for case in CASES])
def test_response_parser_reads_it_as_h11_does(case: Any) -> None:
    expected = [event for event in case.events if event[0] != "ConnectionClosed"]
    data = case.data
    for pieces in ([data], [data[i : i + 1] for i in range(len(data))]):
        parser = ResponseParser(request_method=case.method)
        assert message_events(merge_data(run(parser, pieces, eof=True))) == expected
