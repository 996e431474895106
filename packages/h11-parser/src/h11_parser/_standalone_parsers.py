"""Standalone parsers: HTTP/1.1 messages from bytes without a Connection.

``RequestParser`` is a server's receiving side, ``ResponseParser`` a client's.
They parse pipelined messages back to back and stop (``PAUSED``) where the
bytes that follow are no longer HTTP/1.1: after an Upgrade or CONNECT request,
a 101 response, or a 2xx answer to CONNECT (whose head ends its message, as in
a Connection). The HTTP/2 preface is a Request of version 2.0, as h11 reports
it; its rest is in ``trailing_data``. After a
message that ends the connection (``must_close``) only EOF may follow, exactly
as in a Connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from h11_events import NEED_DATA, PAUSED, ConnectionClosed, Event, Request, Response

from ._framing import ends_connection, proposed_switches
from ._message_reader import MessageReader
from ._plugins import resolve_hooks

if TYPE_CHECKING:
    from ._plugins import Plugins

__all__ = ["RequestParser", "ResponseParser"]

DEFAULT_MAX_HEAD_SIZE: Final = 16 * 1024


class _Parser:
    """What RequestParser and ResponseParser share (the reference lists it on each)."""

    #: True once a message that ends the connection was read (``Connection:
    #: close``, HTTP/1.0, or both Transfer-Encoding and Content-Length): the
    #: caller must close after it, and the parser reads nothing more but EOF.
    must_close: bool

    def __init__(self, *, parse_requests: bool, max_head_size: int, plugins: Plugins) -> None:
        self._reader = MessageReader(parse_requests=parse_requests, max_head_size=max_head_size)
        self._error: BaseException | None = None
        self._paused = False
        self.must_close = False
        self._dispatch = None
        hooks = resolve_hooks(plugins, self)
        if hooks is not None:
            self._reader.field_hook = hooks.field_checker("receive")
            self._dispatch = hooks.event_checker("receive")

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Add bytes received from the peer; ``b""`` means the peer closed (EOF).

        Takes what h11's ``receive_data`` takes: bytes-like data (anything else is a
        TypeError), and nothing after EOF (a RuntimeError).
        """
        self._reader.feed(data)

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """The bytes not parsed yet, and whether EOF was fed."""
        return self._reader.buffered, self._reader.eof

    def next_event(self) -> Event | type[NEED_DATA] | type[PAUSED]:
        """The next event, ``NEED_DATA`` or ``PAUSED``; RemoteProtocolError on bad input."""
        if self._error is not None:
            raise self._error
        reader = self._reader
        step = reader.next_event
        if reader.at_boundary:
            if self._paused or self._stops_here():
                self._paused = True
                return PAUSED
            if self.must_close:
                step = reader.read_eof
            else:
                reader.start_next_message()
                step = reader.next_event
        try:
            event = step()
            kind = type(event)
            if (kind is Request or kind is Response) and ends_connection(
                reader.facts, reader.http_version
            ):
                self.must_close = True
            if self._dispatch is not None and event is not NEED_DATA:
                self._dispatch(event)
        except BaseException as exc:
            # Bad input, or a plugin's own exception: either way the parser stays failed.
            self._error = exc
            raise
        # The reader's steps are typed Any (they are swapped per call); here it is an Event.
        return event  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Event]:
        """Every event available now; stops at ``NEED_DATA``, ``PAUSED`` or after
        ``ConnectionClosed`` (which ``next_event`` keeps returning)."""
        while True:
            event = self.next_event()
            if event is NEED_DATA or event is PAUSED:
                return
            yield event  # type: ignore[misc]  # mypy does not narrow type[...] by ``is``
            if type(event) is ConnectionClosed:
                return

    def resume(self) -> None:
        """Parse on as HTTP/1.1 after a pause whose protocol switch did not happen."""
        self._paused = False
        self._reader.switched = False

    def _stops_here(self) -> bool:
        return self._reader.switched


class RequestParser(_Parser):
    """Parses the requests a client sends (the server's receiving side).

    :param max_head_size: the most bytes an unfinished head or trailer section may
        take (16384 by default); more is a RemoteProtocolError with hint 431.
    :param plugins: keyword only: a list of plugins of the ``"h11"`` pluggy project,
        or a manager from :func:`make_plugin_manager`; taken when the parser is made.
    """

    def __init__(self, max_head_size: int = DEFAULT_MAX_HEAD_SIZE, *, plugins: Plugins = None):
        super().__init__(parse_requests=True, max_head_size=max_head_size, plugins=plugins)

    def next_event(self) -> Event | type[NEED_DATA] | type[PAUSED]:
        """The next event, ``NEED_DATA`` or ``PAUSED``; RemoteProtocolError on bad input."""
        event = super().next_event()
        if type(event) is Request and proposed_switches(self._reader.facts, event.method):
            self._reader.switched = True
        return event


class ResponseParser(_Parser):
    """Parses the responses a server sends (the client's receiving side).

    Framing depends on the request: set ``request_method`` before each
    response's head arrives (HEAD and CONNECT change it).

    :param request_method: the method of the request the first response answers
        (``b"GET"`` by default).
    :param max_head_size: as for :class:`RequestParser`.
    :param plugins: as for :class:`RequestParser`.
    """

    def __init__(
        self,
        request_method: bytes | str = b"GET",
        max_head_size: int = DEFAULT_MAX_HEAD_SIZE,
        *,
        plugins: Plugins = None,
    ) -> None:
        super().__init__(parse_requests=False, max_head_size=max_head_size, plugins=plugins)
        self.request_method = request_method

    @property
    def request_method(self) -> bytes:
        """The method of the request the next response answers."""
        return self._reader.request_method

    @request_method.setter
    def request_method(self, method: bytes | str) -> None:
        self._reader.request_method = method.encode("ascii") if isinstance(method, str) else method
