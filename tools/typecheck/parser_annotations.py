"""What type checkers see of the standalone parser, for a user with only h11-events and h11-parser.

Never run, only type-checked (``nox -s typecheck``, ``mypy --strict``). ``assert_type``
fails the check when a type differs, including when it is ``Any``: ``next_event()`` gives
what ``Connection.next_event()`` gives (an event, ``NEED_DATA`` or ``PAUSED``), iteration
gives events only, and the members a user calls are typed. Of this project, the file
imports only h11_events and h11_parser.
"""

from __future__ import annotations

import h11_events as ev
from h11_parser import RequestParser, RequestWriter, ResponseParser, ResponseWriter
from typing_extensions import assert_type  # typing's own from Python 3.11

NextEvent = ev.Event | type[ev.NEED_DATA] | type[ev.PAUSED]


def request_parser(data: bytes) -> None:
    parser = RequestParser(max_head_size=8192)
    parser.feed(data)
    assert_type(parser.next_event(), NextEvent)
    for event in parser:
        assert_type(event, ev.Event)
    assert_type(parser.trailing_data, tuple[bytes, bool])
    assert_type(parser.must_close, bool)
    parser.resume()


def response_parser(data: bytearray) -> None:
    parser = ResponseParser(request_method="HEAD")
    parser.feed(data)
    parser.feed(memoryview(data))
    assert_type(parser.next_event(), NextEvent)
    assert_type(parser.request_method, bytes)
    parser.request_method = "GET"
    parser.request_method = b"CONNECT"


def dispatch(parser: RequestParser | ResponseParser) -> str:
    """The narrowing a user writes on ``next_event()``'s result."""
    event = parser.next_event()
    if event is ev.NEED_DATA or event is ev.PAUSED:
        return "wait"
    if isinstance(event, ev.Request):
        return event.method.decode()
    if isinstance(event, (ev.InformationalResponse, ev.Response)):
        return str(event.status_code)
    if isinstance(event, ev.Data):
        return f"{len(event.data)} bytes"
    if isinstance(event, (ev.EndOfMessage, ev.ConnectionClosed)):
        return type(event).__name__
    return "?"


def writers(request: ev.Request, response: ev.Response) -> bytes:
    head = RequestWriter().send(request)
    assert_type(head, bytes)
    return head + ResponseWriter().send(response)
