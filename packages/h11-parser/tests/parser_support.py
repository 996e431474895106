"""Helpers shared by the h11-parser tests: feeding, draining and comparing events.

Kept out of conftest.py so test modules can import them by name. ``drain`` and
``merge_data`` are the testkit's (``event_lists``, imported from the source tree: see
the root conftest; its default vocabulary is h11-events'), so these tests run with only
h11-events and h11-parser installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import corpus
import h11_events
import pytest
from event_lists import drain as drain
from event_lists import merge_data as merge_data
from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, ResponseParser

Parser = RequestParser | ResponseParser


#: What an error message must mention, per kind of problem (case-insensitive).
ABOUT_CONTENT_LENGTH = r"content.?length"
ABOUT_TRANSFER_ENCODING = r"transfer.?encoding|chunked|coding"
ABOUT_FIELD = (
    r"header|field|trailer|value|name|colon|fold|continuation|whitespace|line|control|byte|char"
)
ABOUT_LINE = r"line|CR|LF|carriage|newline|terminat|header|field|request|status|byte|char"
ABOUT_REQUEST_LINE = r"request|method|target|version|line"
ABOUT_STATUS_LINE = r"status|response|reason|version|line"
ABOUT_VERSION = r"version|HTTP"
ABOUT_CHUNK = r"chunk"
ABOUT_SIZE = r"large|long|limit|size|exceed|big|max"
ABOUT_EOF = r"clos|EOF|end|incomplete|complete|unexpected|truncat"
ABOUT_HOST = r"host"


def run(parser: Parser, pieces: Iterable[bytes], *, eof: bool = False) -> list[Any]:
    """Feed ``pieces`` one by one (then EOF if asked), collecting every event.

    NEED_DATA between pieces is dropped, and draining stops at PAUSED or
    ConnectionClosed (recorded once); the result ends with what one last
    ``next_event()`` returns, so it does not depend on how the bytes were split.
    """
    out: list[Any] = []
    stopped = False
    for piece in pieces:
        if not piece:
            continue
        parser.feed(piece)
        if not stopped:
            got = drain(parser)
            out.extend(event for event in got[:-1])
            stopped = got[-1] is PAUSED or type(got[-1]) is ConnectionClosed
    if eof:
        parser.feed(b"")
        if not stopped:
            got = drain(parser)
            out.extend(event for event in got[:-1])
            stopped = got[-1] is PAUSED or type(got[-1]) is ConnectionClosed
    out.append(parser.next_event())
    return out


def parse_request(data: bytes) -> list[Any]:
    """The events of ``data`` fed whole to a fresh RequestParser."""
    return run(RequestParser(), [data])


def parse_response(data: bytes, *, method: bytes = b"GET", eof: bool = False) -> list[Any]:
    """The events of ``data`` fed whole to a fresh ResponseParser."""
    return run(ResponseParser(method), [data], eof=eof)


def chunks_of(events: Sequence[Any]) -> list[bytes]:
    """Rebuild the wire chunks of a chunked body from chunk_start/chunk_end marks."""
    chunks: list[bytes] = []
    current: bytes | None = None
    for event in events:
        if type(event) is not Data:
            continue
        if event.chunk_start:
            assert current is None, "chunk_start inside a chunk"
            current = b""
        assert current is not None, "Data outside a chunk"
        current += bytes(event.data)
        if event.chunk_end:
            chunks.append(current)
            current = None
    assert current is None, "last chunk never ended"
    return chunks


def body_of(events: Sequence[Any]) -> bytes:
    """The concatenated payload of every Data event."""
    return b"".join(bytes(event.data) for event in events if type(event) is Data)


def assert_rejected(
    make: Callable[[], Parser],
    data: bytes,
    status: int,
    about: str,
    *,
    eof: bool = False,
) -> RemoteProtocolError:
    """``data`` makes the parser raise RemoteProtocolError with ``status``.

    The message must be non-empty and match the ``about`` pattern, so it says
    what was wrong. The check is run with the bytes whole and byte by byte.
    """
    caught = None
    for pieces in ([data], one_by_one(data)):
        parser = make()
        with pytest.raises(RemoteProtocolError) as info:
            run(parser, pieces, eof=eof)
        error = info.value
        assert error.error_status_hint == status, (error.error_status_hint, str(error))
        message = str(error)
        assert message.strip(), "error message is empty"
        assert re.search(about, message, re.IGNORECASE), f"{message!r} does not match {about!r}"
        # The error sticks: every later next_event() raises again.
        with pytest.raises(RemoteProtocolError):
            parser.next_event()
        caught = error
    assert caught is not None
    return caught


def feed_endlessly(parser: Parser, filler: bytes, rounds: int) -> None:
    """Keep feeding ``filler`` (checking for NEED_DATA) as a peer that never stops would."""
    for _ in range(rounds):
        assert parser.next_event() is NEED_DATA
        parser.feed(filler)


def request_head(
    *fields: bytes, method: bytes = b"GET", target: bytes = b"/", version: bytes = b"1.1"
) -> bytes:
    """A request head with Host: example.com first and ``fields`` (whole lines) after."""
    lines = [method + b" " + target + b" HTTP/" + version, b"Host: example.com", *fields]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def ok_request(*fields: tuple[bytes, bytes], method: bytes = b"GET") -> Request:
    """The Request event request_head(...) with ``fields`` parses into."""
    return Request(method=method, target=b"/", headers=[(b"Host", b"example.com"), *fields])


def eom(*trailers: tuple[bytes, bytes]) -> EndOfMessage:
    """An EndOfMessage with ``trailers``."""
    return EndOfMessage(headers=list(trailers))


def parser_for(case: corpus.Case) -> Parser:
    """A fresh parser for a corpus case: the server's side for requests, else the client's."""
    if case.kind == "request":
        return RequestParser(case.max_head_size)
    return ResponseParser(case.request_method, case.max_head_size)


def parse_case(case: corpus.Case, *, split: bool = False) -> corpus.Outcome:
    """What a standalone parser makes of a testkit corpus case, in the corpus's terms.

    The case's bytes, whole or byte by byte, then EOF; parsing stops at PAUSED, at
    ConnectionClosed, after a message that ends the connection (``must_close``: the
    corpus's ``must-close``, as its Connection runner stops there) or at the first error
    (its status hint is the outcome's error).
    """
    parser = parser_for(case)
    data = case.data
    pieces = one_by_one(data) if split else [data]
    events: list[Any] = []
    error = None
    try:
        for piece in [*pieces, b""]:
            if _read_piece(parser, piece, events):
                break
    except RemoteProtocolError as exc:
        error = exc.error_status_hint
    summary = tuple(
        event
        if type(event) is tuple
        else corpus.PAUSED
        if event is PAUSED
        else corpus.summarize(event, h11_events)
        for event in merge_data(events)
    )
    return corpus.Outcome(summary, error)


def _read_piece(parser: Parser, piece: bytes, events: list[Any]) -> bool:
    """Feed one piece and collect what it gives; True once reading stops (see parse_case)."""
    parser.feed(piece)
    for event in parser:  # stops at NEED_DATA, PAUSED or after ConnectionClosed
        events.append(event)
        if type(event) is EndOfMessage and piece and parser.must_close:
            events.append(corpus.MUST_CLOSE)
            return True
    if events and type(events[-1]) is ConnectionClosed:
        return True
    if parser.next_event() is PAUSED:
        events.append(PAUSED)
        return True
    return False


def one_by_one(data: bytes) -> list[bytes]:
    """``data`` as one read per byte."""
    return [data[i : i + 1] for i in range(len(data))]


def both_ways(make: Callable[[], Parser], data: bytes) -> list[Any]:
    """The events of ``data`` (Data merged), the same whole and byte by byte."""
    whole = merge_data(run(make(), [data]))
    split = merge_data(run(make(), one_by_one(data)))
    assert whole == split
    return whole


def chunked_both_ways(make: Callable[[], Parser], data: bytes) -> list[Any]:
    """both_ways for a chunked body: the chunks (their start and end marks) agree too."""
    whole = run(make(), [data])
    split = run(make(), one_by_one(data))
    assert merge_data(whole) == merge_data(split)
    assert chunks_of(whole) == chunks_of(split)
    return merge_data(whole)


def post(*fields: bytes) -> bytes:
    """A POST head: request_head with ``fields``."""
    return request_head(*fields, method=b"POST")


#: A POST head with a chunked body to follow.
CHUNKED = post(b"Transfer-Encoding: chunked")
#: A response head with a chunked body to follow.
CHUNKED_RESPONSE = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
#: A request a peer hides behind a message that should have ended the connection.
SMUGGLED = b"GET /admin HTTP/1.1\r\nHost: example.com\r\n\r\n"


def ok_response(
    status: int = 200, *fields: tuple[bytes, bytes], reason: bytes = b"OK", version: bytes = b"1.1"
) -> Response:
    """The Response event a head with these parts parses into."""
    return Response(status_code=status, reason=reason, headers=list(fields), http_version=version)


def head_bytes(start_line: bytes, *lines: bytes) -> bytes:
    """A head: ``start_line`` and the field ``lines``, CRLF line ends."""
    return b"\r\n".join([start_line, *lines]) + b"\r\n\r\n"


def response_parts(data: bytes) -> tuple[object, ...] | int:
    """(reason, headers, trailers) of one response read whole and byte by byte (which
    must agree), or the error status."""
    results: list[tuple[object, ...] | int] = []
    for pieces in ([data], one_by_one(data)):
        parser = ResponseParser()
        try:
            for piece in pieces:
                parser.feed(piece)
            parser.feed(b"")
            events = list(parser)
        except RemoteProtocolError as exc:
            results.append(exc.error_status_hint)
            continue
        [response] = [event for event in events if type(event) is Response]
        [end] = [event for event in events if type(event) is EndOfMessage]
        results.append((response.reason, list(response.headers), list(end.headers)))
    assert results[0] == results[1]
    return results[0]


CHUNKED_HELLO = b"5\r\nhello\r\n0\r\n\r\n"
