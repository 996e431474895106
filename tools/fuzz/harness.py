"""The invariants the fuzzer checks, as plain functions of one input.

A fuzz input is two header bytes then the payload. Byte 0 picks the
configuration (head size limit, the client's request method, the small read
size); byte 1 picks where the payload is split in two. ``check(target, data)``
feeds the payload three ways (one read, two reads, small reads; always then
EOF) and raises ``AssertionError`` (or the unexpected exception itself) when:

* anything but ``RemoteProtocolError`` escapes, or that error has no message
  or no 4xx/5xx ``error_status_hint``;
* more than the limit plus one read is left buffered when ``NEED_DATA`` comes;
* the events (adjacent Data merged) or the error status differ between the
  three deliveries;
* the receiver never asks for data (event loop bound).

Kept free of fuzzer imports so tests and the hypothesis fallback share it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import h11_connection as h11
from h11_parser import RequestParser, ResponseParser

__all__ = ["LIMITS", "TARGETS", "Config", "Outcome", "check", "decode", "encode"]

#: Head size limits the fuzzer chooses from (small ones make the bounds reachable).
LIMITS = (16384, 64, 256, 1024, 4, 16, 32, 100)
#: Request methods a client fuzz target sends (framing of the response depends on it).
METHODS = (b"GET", b"HEAD", b"POST", b"CONNECT", b"OPTIONS", b"GET+upgrade", b"PUT", b"GET")
#: Upper bound of next_event calls per read: a receiver past it is stuck.
MAX_EVENTS = 10_000
#: Request/response cycles a client or server driver runs at most.
MAX_CYCLES = 64

TARGETS = ("request-parser", "response-parser", "server", "client")

Summary = tuple[Any, ...]


@dataclass(frozen=True)
class Config:
    """What the two header bytes of a fuzz input select."""

    limit: int
    method: bytes
    small_read: int
    split_byte: int

    def split_at(self, size: int) -> int:
        return self.split_byte * (size + 1) // 256


@dataclass(frozen=True)
class Outcome:
    """Events (Data merged) and the error status that ended them, if any."""

    events: tuple[Summary, ...]
    error: int | None


def decode(data: bytes) -> tuple[Config, bytes]:
    """Split a fuzz input into its configuration and payload."""
    head = data[:2].ljust(2, b"\x00")
    config = Config(
        limit=LIMITS[head[0] & 7],
        method=METHODS[(head[0] >> 3) & 7],
        small_read=1 + (head[0] >> 6),
        split_byte=head[1],
    )
    return config, data[2:]


def encode(payload: bytes, *, config_byte: int = 0, split_byte: int = 128) -> bytes:
    """A fuzz input for ``payload`` (the inverse of :func:`decode`)."""
    return bytes((config_byte & 0xFF, split_byte & 0xFF)) + payload


def summarize(event: Any) -> Summary:
    """An event as a comparable tuple (chunk boundaries left out)."""
    kind = type(event)
    if kind is h11.Request:
        return ("request", event.method, event.target, event.http_version, tuple(event.headers))
    if kind is h11.InformationalResponse or kind is h11.Response:
        return (
            kind.__name__,
            event.status_code,
            event.reason,
            event.http_version,
            tuple(event.headers),
        )
    if kind is h11.Data:
        return ("data", bytes(event.data))
    if kind is h11.EndOfMessage:
        return ("end", tuple(event.headers))
    if kind is h11.ConnectionClosed:
        return ("closed",)
    raise AssertionError(f"unexpected event {event!r}")


class _Recorder:
    """Collects summaries, merging adjacent Data."""

    def __init__(self) -> None:
        self.events: list[Summary] = []

    def add(self, event: Any) -> None:
        summary = summarize(event)
        if summary[0] == "data" and self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + summary[1])
        else:
            self.events.append(summary)

    def mark(self, what: str) -> None:
        self.events.append((what,))


def _check_error(exc: h11.RemoteProtocolError) -> int:
    hint = exc.error_status_hint
    assert str(exc), "RemoteProtocolError without a message"
    assert isinstance(hint, int), f"bad error_status_hint {hint!r}"
    assert 400 <= hint <= 599, f"bad error_status_hint {hint!r}"
    return hint


def _check_buffer(buffered: int, config: Config, piece: bytes) -> None:
    bound = config.limit + len(piece)
    assert buffered <= bound, f"{buffered} bytes buffered, bound {bound} (limit + one read)"


# -- drivers: feed pieces, record events, return the Outcome ---------------------------


def _run_parser(parser: Any, config: Config, pieces: list[bytes]) -> Outcome:
    rec = _Recorder()
    try:
        for piece in [*pieces, b""]:
            parser.feed(piece)
            for _ in range(MAX_EVENTS):
                event = parser.next_event()
                if event is h11.NEED_DATA:
                    if piece:
                        _check_buffer(len(parser.trailing_data[0]), config, piece)
                    break
                if event is h11.PAUSED:
                    # A switch that did not happen: parse on as HTTP/1.1.
                    rec.mark("paused")
                    parser.resume()
                    continue
                rec.add(event)
                if type(event) is h11.ConnectionClosed:
                    return Outcome(tuple(rec.events), None)
            else:
                raise AssertionError("receiver never returned NEED_DATA")
    except h11.RemoteProtocolError as exc:
        hint = _check_error(exc)
        try:
            parser.next_event()
        except h11.RemoteProtocolError:
            pass
        else:
            raise AssertionError("parser went on after a RemoteProtocolError") from None
        return Outcome(tuple(rec.events), hint)
    raise AssertionError("EOF did not end the stream")


def request_parser(config: Config, pieces: list[bytes]) -> Outcome:
    return _run_parser(RequestParser(max_head_size=config.limit), config, pieces)


def response_parser(config: Config, pieces: list[bytes]) -> Outcome:
    method = b"GET" if config.method == b"GET+upgrade" else config.method
    return _run_parser(ResponseParser(method, max_head_size=config.limit), config, pieces)


_NOT_FOUND = h11.Response(status_code=404, headers=[("Content-Length", "0")])


def _request_events(config: Config) -> list[Any]:
    headers = [("Host", "example")]
    method = config.method
    if method == b"GET+upgrade":
        method = b"GET"
        headers += [("Connection", "upgrade"), ("Upgrade", "fuzz")]
    target = "example:443" if method == b"CONNECT" else "/"
    return [h11.Request(method=method, target=target, headers=headers), h11.EndOfMessage()]


def _run_connection(
    conn: h11.Connection,
    config: Config,
    pieces: list[bytes],
    on_event: Callable[[h11.Connection, Any], None],
) -> Outcome:
    rec = _Recorder()
    try:
        for piece in [*pieces, b""]:
            conn.receive_data(piece)
            for _ in range(MAX_EVENTS):
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    if piece:
                        _check_buffer(len(conn.trailing_data[0]), config, piece)
                    break
                if event is h11.PAUSED:
                    rec.mark("paused")
                    return Outcome(tuple(rec.events), None)
                rec.add(event)
                if type(event) is h11.ConnectionClosed:
                    return Outcome(tuple(rec.events), None)
                on_event(conn, event)
            else:
                raise AssertionError("receiver never returned NEED_DATA")
    except h11.RemoteProtocolError as exc:
        hint = _check_error(exc)
        assert conn.their_state is h11.ERROR, f"peer state {conn.their_state} after an error"
        try:
            conn.next_event()
        except h11.RemoteProtocolError:
            pass
        else:
            raise AssertionError("connection went on after a RemoteProtocolError") from None
        return Outcome(tuple(rec.events), hint)
    raise AssertionError("EOF did not end the stream")


def server(config: Config, pieces: list[bytes]) -> Outcome:
    """A server that answers each request with 404 once it is complete."""
    cycles = [0]

    def on_event(conn: h11.Connection, event: Any) -> None:
        if type(event) is not h11.EndOfMessage or conn.our_state is not h11.SEND_RESPONSE:
            return
        conn.send(_NOT_FOUND)
        conn.send(h11.EndOfMessage())
        if conn.states == {h11.CLIENT: h11.DONE, h11.SERVER: h11.DONE} and cycles[0] < MAX_CYCLES:
            cycles[0] += 1
            conn.start_next_cycle()

    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=config.limit)
    return _run_connection(conn, config, pieces, on_event)


def client(config: Config, pieces: list[bytes]) -> Outcome:
    """A client that sends its next request once the last response is complete."""
    cycles = [0]

    def on_event(conn: h11.Connection, event: Any) -> None:
        if type(event) is not h11.EndOfMessage:
            return
        if conn.states == {h11.CLIENT: h11.DONE, h11.SERVER: h11.DONE} and cycles[0] < MAX_CYCLES:
            cycles[0] += 1
            conn.start_next_cycle()
            for request_event in _request_events(config):
                conn.send(request_event)

    conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=config.limit)
    for request_event in _request_events(config):
        conn.send(request_event)
    return _run_connection(conn, config, pieces, on_event)


DRIVERS: dict[str, Callable[[Config, list[bytes]], Outcome]] = {
    "request-parser": request_parser,
    "response-parser": response_parser,
    "server": server,
    "client": client,
}


def deliveries(config: Config, payload: bytes) -> list[list[bytes]]:
    """The three ways the payload is delivered: one read, two reads, small reads."""
    cut = config.split_at(len(payload))
    step = config.small_read
    return [
        [payload] if payload else [],
        [p for p in (payload[:cut], payload[cut:]) if p],
        [payload[i : i + step] for i in range(0, len(payload), step)],
    ]


def check(target: str, data: bytes, *, same_status: bool = True) -> Outcome:
    """Run every invariant for one fuzz input; returns the one-read outcome.

    ``same_status=False`` accepts a different 4xx/5xx for the same rejected
    events: for looking past a known split-dependent status while fuzzing on.
    """
    config, payload = decode(data)
    driver = DRIVERS[target]
    whole, *others = (driver(config, pieces) for pieces in deliveries(config, payload))
    for other in others:
        if not same_status and other.error and whole.error and other.events == whole.events:
            continue
        assert other == whole, f"split-dependent outcome:\n  one read: {whole}\n  split:    {other}"
    return whole
