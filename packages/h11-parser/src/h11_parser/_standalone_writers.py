"""Standalone writers: HTTP/1.1 bytes from events without a Connection.

They frame bodies exactly as the head's fields say and add nothing: completing
framing headers (chunked for HTTP/1.1 peers, ``Connection: close``...) is the
Connection's job, which needs to know the peer. Body framing is decided by the
same rules the parsers use (h11_parser._framing). After a message that ends the
connection (``Connection: close``, or a body delimited by close) ``must_close``
is True and another message head is refused, as a Connection refuses it; after
a 101 or a 2xx answer to CONNECT (``switched``) nothing more is HTTP/1.1, so
every event is refused (the 2xx head ends its message: no EndOfMessage).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from h11_events import (
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    LocalProtocolError,
    Request,
    Response,
)

from ._framing import (
    TUNNEL,
    UNTIL_CLOSE,
    body_framing,
    check_sendable,
    ends_connection,
    head_facts,
)
from ._message_writer import BodyWriter, body_writer, write_request_head, write_response_head
from ._plugins import resolve_hooks

if TYPE_CHECKING:
    from ._plugins import Plugins

__all__ = ["RequestWriter", "ResponseWriter"]


class _Writer:
    """What RequestWriter and ResponseWriter share (the reference lists it on each)."""

    #: True once a message that ends the connection was started: nothing may follow it.
    must_close: bool
    #: True after a 101 or a 2xx answer to CONNECT: the bytes that follow are not
    #: HTTP/1.1, so no event may follow (as in a Connection).
    switched: bool

    def __init__(self, plugins: Plugins) -> None:
        self._body: BodyWriter | None = None
        self.must_close = False
        self.switched = False
        self._check_fields = None
        self._dispatch = None
        hooks = resolve_hooks(plugins, self)
        if hooks is not None:
            self._check_fields = hooks.field_checker("send")
            self._dispatch = hooks.event_checker("send")

    def send(self, event: Event) -> bytes:
        """The bytes for ``event``."""
        return b"".join(self.send_with_data_passthrough(event))

    def send_with_data_passthrough(self, event: Event) -> list[Any]:
        """Like :meth:`send`, as a list in which Data payloads are the same objects."""
        if self._dispatch is not None:
            self._dispatch(event)
        kind = type(event)
        if self.switched:
            raise LocalProtocolError(
                f"can't send {kind.__name__}: the connection switched to another protocol"
            )
        if kind is Data or kind is EndOfMessage:
            body = self._body
            if body is None:
                raise LocalProtocolError(f"can't send {kind.__name__} before a message head")
            if kind is Data:
                return body.write(event)
            if self._check_fields is not None:
                self._check_fields(event.headers, EndOfMessage)  # type: ignore[attr-defined]
            self._body = None
            return body.finish(event)  # type: ignore[arg-type]
        if self._body is not None:
            raise LocalProtocolError(f"can't send {kind.__name__}: the body of a message is open")
        if self.must_close:
            raise LocalProtocolError(
                f"can't send {kind.__name__}: the previous message ended the connection"
            )
        return [self._head(event)]

    def _head(self, event: Event) -> bytes:
        raise LocalProtocolError(f"can't send {type(event).__name__} with this writer")

    def _check(self, event: Any) -> None:
        if self._check_fields is not None:
            self._check_fields(event.headers, type(event))


class RequestWriter(_Writer):
    """Serialises requests: a Request head, its Data, its EndOfMessage, repeat.

    :param plugins: keyword only: a list of plugins of the ``"h11"`` pluggy project,
        or a manager from :func:`make_plugin_manager`; taken when the writer is made.
    """

    def __init__(self, *, plugins: Plugins = None) -> None:
        super().__init__(plugins)

    def _head(self, event: Event) -> bytes:
        if type(event) is not Request:
            return super()._head(event)
        facts = head_facts(event.headers, LocalProtocolError)
        check_sendable(facts)
        framing, length = body_framing(facts, LocalProtocolError, False)
        self._check(event)
        head = write_request_head(event)
        self._body = body_writer(framing, length)
        self.must_close = ends_connection(facts, event.http_version)
        return head


class ResponseWriter(_Writer):
    """Serialises responses: any 1xx heads, the final head, its body, repeat.

    :param request_method: the method of the request being answered (``b"GET"`` by
        default; a response to HEAD has no body). Settable as ``request_method``.
    :param plugins: as for :class:`RequestWriter`.
    """

    #: The method of the request being answered, as bytes (a str given is encoded).
    request_method: bytes

    def __init__(self, request_method: bytes | str = b"GET", *, plugins: Plugins = None) -> None:
        super().__init__(plugins)
        self.request_method = (
            request_method.encode("ascii") if isinstance(request_method, str) else request_method
        )

    def _head(self, event: Event) -> bytes:
        if type(event) is InformationalResponse:
            self._check(event)
            head = write_response_head(event)
            self.switched = event.status_code == 101
            return head
        if type(event) is not Response:
            return super()._head(event)
        facts = head_facts(event.headers, LocalProtocolError)
        check_sendable(facts)
        framing, length = body_framing(
            facts, LocalProtocolError, False, self.request_method, event.status_code
        )
        self._check(event)
        head = write_response_head(event)
        self.must_close = framing == UNTIL_CLOSE or ends_connection(facts, event.http_version)
        if framing == TUNNEL:
            self.switched = True  # a tunnel from here on: the message ends with its head
        else:
            self._body = body_writer(framing, length)
        return head
