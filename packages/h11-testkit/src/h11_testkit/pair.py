"""An in-memory client/server pair of `h11.Connection`s, so suites need no sockets."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import h11_connection as h11

from h11_testkit.event_lists import drain, merge_data

__all__ = ["H11Pair", "Splitter", "bytewise", "drain", "merge_data", "random_split", "whole"]

#: Cuts a byte string into the pieces that are delivered one `receive_data` call each.
Splitter = Callable[[bytes], Iterable[bytes]]


def whole(data: bytes) -> list[bytes]:
    """Deliver everything in one read (the common case for small messages)."""
    return [data] if data else []


def bytewise(data: bytes) -> list[bytes]:
    """Deliver one byte per read: the harshest test of incremental parsing."""
    return [data[i : i + 1] for i in range(len(data))]


def random_split(seed: int | None = None, *, max_piece: int = 16) -> Splitter:
    """A splitter cutting at random points; pass a seed to make failures reproducible."""
    rng = random.Random(seed)

    def split(data: bytes) -> list[bytes]:
        pieces = []
        i = 0
        while i < len(data):
            n = rng.randint(1, max_piece)
            pieces.append(data[i : i + n])
            i += n
        return pieces

    return split


class H11Pair:
    """A client and a server Connection wired back to back.

    `send` serialises events on one side and feeds the bytes to the other, so a test
    exercises both the writer and the parser of the implementation under test.

    :param max_incomplete_event_size: passed to both Connections: the most bytes an
        unfinished head or trailer section may take (16384 by default, as in h11).

    ``client`` and ``server`` are the two ``h11_connection.Connection`` objects, there to
    inspect (``pair.server.their_state``) or to drive directly.
    """

    def __init__(self, max_incomplete_event_size: int = 16384) -> None:
        self.client = h11.Connection(
            h11.CLIENT, max_incomplete_event_size=max_incomplete_event_size
        )
        self.server = h11.Connection(
            h11.SERVER, max_incomplete_event_size=max_incomplete_event_size
        )

    def _sides(self, role: object) -> tuple[h11.Connection, h11.Connection]:
        if role is h11.CLIENT:
            return self.client, self.server
        if role is h11.SERVER:
            return self.server, self.client
        raise ValueError(f"role must be h11.CLIENT or h11.SERVER, not {role!r}")

    def send(
        self,
        role: object,
        *events: Any,
        split: Splitter = whole,
    ) -> list[Any]:
        """Send `events` from `role`'s side; return what the other side parsed.

        ConnectionClosed is delivered as EOF. The bytes arrive in the pieces `split`
        makes, so the same call with `bytewise` checks split invariance.

        :param role: ``h11.CLIENT`` or ``h11.SERVER``: the side that sends.
        :param events: the events to send, in order (each goes through ``send()``).
        :param split: how the bytes reach the peer: `whole` (one read, the default),
            `bytewise` or ``random_split(seed)``, or any function from bytes to pieces.
        :returns: the events the peer's ``next_event()`` gave, without the final
            ``NEED_DATA``/``PAUSED``.
        :raises h11.LocalProtocolError: the sender refused an event.
        :raises h11.RemoteProtocolError: the peer refused the bytes.
        """
        sender, _ = self._sides(role)
        data = bytearray()
        eof = False
        for event in events:
            out = sender.send(event)
            if isinstance(event, h11.ConnectionClosed):
                eof = True
            elif out is not None:
                data += out
        return self.deliver(role, bytes(data), split=split, eof=eof)

    def deliver(
        self,
        role: object,
        data: bytes,
        *,
        split: Splitter = whole,
        eof: bool = False,
    ) -> list[Any]:
        """Feed raw `data` as if `role` had written it; return what the peer parsed.

        Lets a test inject bytes no well-behaved Connection would produce.

        :param role: ``h11.CLIENT`` or ``h11.SERVER``: the side the bytes come from.
        :param data: the bytes, delivered as they are.
        :param split: how the bytes reach the peer (as in `send`).
        :param eof: keyword only: after the bytes, tell the peer the connection closed.
        :returns: the events the peer parsed, without the final ``NEED_DATA``/``PAUSED``.
        :raises h11.RemoteProtocolError: the peer refused the bytes.
        """
        _, receiver = self._sides(role)
        events: list[Any] = []
        for piece in split(data):
            receiver.receive_data(piece)
            events += drain(receiver, keep_sentinel=False)
        if eof:
            receiver.receive_data(b"")
            events += drain(receiver, keep_sentinel=False)
        return events

    def send_both_ways(
        self, request: Sequence[Any], response: Sequence[Any], *, split: Splitter = whole
    ) -> tuple[list[Any], list[Any]]:
        """One request/response exchange; returns (server's events, client's events).

        :param request: the client's events (a Request, Data, EndOfMessage...).
        :param response: the server's events, sent after the request was delivered.
        :param split: how the bytes reach each peer (as in `send`).
        """
        got_request = self.send(h11.CLIENT, *request, split=split)
        got_response = self.send(h11.SERVER, *response, split=split)
        return got_request, got_response

    def start_next_cycle(self) -> None:
        """Reset both sides for the next keep-alive exchange."""
        self.client.start_next_cycle()
        self.server.start_next_cycle()
