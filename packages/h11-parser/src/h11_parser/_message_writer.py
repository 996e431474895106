"""The sending half of HTTP/1.1: heads and body framing, events in, bytes out.

Pairs with h11_parser._message_reader (bytes in, events out).

Head serialisers write exactly the fields of the event (original case, in
order); body writers frame Data and EndOfMessage by Content-Length, chunked or
until close. Every writer returns a list of byte strings in which Data payloads
are the caller's own objects, so large bodies are never copied.
"""

from __future__ import annotations

from typing import Any, Final

from h11_events import (
    EndOfMessage,
    Headers,
    InformationalResponse,
    LocalProtocolError,
    Request,
    Response,
)
from h11_events.parsed import field_pairs, raw_field_pairs

from ._framing import CHUNKED, CONTENT_LENGTH, NO_BODY

__all__ = [
    "BodyWriter",
    "ChunkedWriter",
    "ContentLengthWriter",
    "UntilCloseWriter",
    "body_writer",
    "write_request_head",
    "write_response_head",
]


def _with_fields(parts: list[bytes], headers: Headers) -> bytes:
    """Join ``parts`` (a start line without its line end), the fields and the blank line."""
    for name, value in raw_field_pairs(headers):
        # Four appends beat ``parts += (...)``: no tuple per field, pure or compiled.
        parts.append(b"\r\n")
        parts.append(name)
        parts.append(b": ")
        parts.append(value)
    parts.append(b"\r\n\r\n")
    return b"".join(parts)


def write_request_head(event: Request) -> bytes:
    """The request line and fields of ``event``, ending with the empty line."""
    if event.http_version != b"1.1":
        raise LocalProtocolError("I only send HTTP/1.1")
    return _with_fields([event.method, b" ", event.target, b" HTTP/1.1"], event.headers)


def write_response_head(event: Response | InformationalResponse) -> bytes:
    """The status line and fields of ``event``, ending with the empty line."""
    if event.http_version != b"1.1":
        raise LocalProtocolError("I only send HTTP/1.1")
    status = event.status_code
    start = _STATUS_LINE_STARTS.get(status)
    if start is None:
        start = _STATUS_LINE_STARTS[status] = b"HTTP/1.1 %d " % status
    return _with_fields([start, event.reason], event.headers)


#: ``HTTP/1.1 NNN `` for each status code sent so far (at most 900 of them).
_STATUS_LINE_STARTS: dict[int, bytes] = {}


class BodyWriter:
    """Frames the body of one message; ``finish`` writes its end."""

    __slots__ = ()

    def write(self, event: Any) -> list[Any]:
        # ``event`` is a Data whose payload may be any bytes-like object (its field is
        # annotated ``bytes``, as in h11): typed Any so a compiled build does not check it.
        raise NotImplementedError

    def finish(self, event: EndOfMessage) -> list[bytes]:
        raise NotImplementedError


def _refuse_trailers() -> LocalProtocolError:
    return LocalProtocolError("trailers can only be sent with a chunked body")


class ContentLengthWriter(BodyWriter):
    """Exactly the declared number of bytes, no more and no fewer."""

    __slots__ = ("remaining",)

    def __init__(self, length: int) -> None:
        self.remaining = length

    def write(self, event: Any) -> list[Any]:
        data = event.data
        size = len(data)
        if size > self.remaining:
            raise LocalProtocolError("Too much data for declared Content-Length")
        self.remaining -= size
        return [data] if size else []

    def finish(self, event: EndOfMessage) -> list[bytes]:
        if self.remaining:
            raise LocalProtocolError("Too little data for declared Content-Length")
        if field_pairs(event.headers):
            raise _refuse_trailers()
        return []


class ChunkedWriter(BodyWriter):
    """Each non-empty Data is one chunk; the end writes the last chunk and trailers."""

    __slots__ = ()

    def write(self, event: Any) -> list[Any]:
        data = event.data
        size = len(data)
        if not size:
            return []
        return [b"%x\r\n" % size, data, b"\r\n"]

    def finish(self, event: EndOfMessage) -> list[bytes]:
        if field_pairs(event.headers):
            return [_with_fields([b"0"], event.headers)]
        return [b"0\r\n\r\n"]


class UntilCloseWriter(BodyWriter):
    """The body ends when the connection closes (HTTP/1.0 style)."""

    __slots__ = ()

    def write(self, event: Any) -> list[Any]:
        return [event.data] if len(event.data) else []

    def finish(self, event: EndOfMessage) -> list[bytes]:
        if field_pairs(event.headers):
            raise _refuse_trailers()
        return []


_CHUNKED_WRITER: Final = ChunkedWriter()
_UNTIL_CLOSE_WRITER: Final = UntilCloseWriter()


#: A body of no bytes: stateless (``remaining`` never moves), so one serves all.
_NO_BODY_WRITER: Final = ContentLengthWriter(0)


def body_writer(framing: int, length: int) -> BodyWriter:
    """The writer for a body framed as ``body_framing`` decided."""
    if framing == CONTENT_LENGTH:
        return ContentLengthWriter(length)
    if framing == NO_BODY:
        return _NO_BODY_WRITER
    if framing == CHUNKED:
        return _CHUNKED_WRITER
    return _UNTIL_CLOSE_WRITER
