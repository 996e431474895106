"""Example plugins of the ``"h11"`` pluggy project, ready to use and to copy.

Pass instances (not the classes) to ``plugins=`` of a parser, writer or
``h11.Connection``:

>>> from h11_parser import RequestParser
>>> from h11_parser.example_plugins import MethodAllowList, RejectUnderscoreHeaders
>>> parser = RequestParser(plugins=[RejectUnderscoreHeaders(), MethodAllowList(["GET"])])

They keep no per-message state, so one instance may serve many connections.
A refusal on receive is a RemoteProtocolError (the status hint says what to
answer); on send a LocalProtocolError, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from h11_events import (
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    ProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)

from .hookspecs import Direction, hookimpl

__all__ = ["EventLogger", "HeaderLimits", "MethodAllowList", "RejectUnderscoreHeaders"]

_FIELD_EVENTS = (Request, Response, InformationalResponse, EndOfMessage)


def _error(direction: Direction, message: str, status: int) -> ProtocolError:
    """The error for a refusal: the peer's fault on receive, ours on send."""
    if direction == "receive":
        return RemoteProtocolError(message, status)
    return LocalProtocolError(message)


class RejectUnderscoreHeaders:
    """Refuses field names containing ``_`` (400 on receive).

    Gateways such as CGI map ``-`` and ``_`` to the same variable, so
    ``X-Auth_User`` can impersonate ``X-Auth-User`` past a proxy that strips only
    the latter: refusing both spellings closes that smuggling route. Takes no
    arguments.
    """

    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: Direction
    ) -> str | None:
        if b"_" in name:
            return f"field name {name.decode('ascii', 'replace')!r} contains an underscore"
        return None


class HeaderLimits:
    """Caps the number of fields and their total size per head or trailer section.

    Size is the sum of ``len(name) + len(value)`` over the fields (separators and
    line ends are not counted; ``max_incomplete_event_size`` bounds raw bytes).
    Exceeding a cap on receive raises RemoteProtocolError with hint 431 (Request
    Header Fields Too Large); on send, LocalProtocolError. On send it sees the
    event given to ``send()``, before a Connection adds its framing fields.

    :param max_count: the most fields a head or trailer section may have.
    :param max_total_bytes: the most bytes their names and values may add up to.
    """

    def __init__(self, max_count: int, max_total_bytes: int) -> None:
        if max_count < 0 or max_total_bytes < 0:
            raise ValueError("limits must be >= 0")
        self.max_count = max_count
        self.max_total_bytes = max_total_bytes

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: Direction, source: Any) -> str | None:
        # Checked per event, not per field, so no state is carried between messages.
        if not isinstance(event, _FIELD_EVENTS):
            return None
        section = "trailer" if type(event) is EndOfMessage else "header"
        fields = list(event.headers)
        if len(fields) > self.max_count:
            raise _error(
                direction,
                f"{len(fields)} {section} fields exceed the limit of {self.max_count}",
                431,
            )
        size = sum(len(name) + len(value) for name, value in fields)
        if size > self.max_total_bytes:
            raise _error(
                direction,
                f"{section} fields of {size} bytes exceed the limit of "
                f"{self.max_total_bytes} bytes",
                431,
            )
        return None


class MethodAllowList:
    """Accepts only requests whose method is listed (405 on receive).

    Methods are case-sensitive (RFC 9110 9.1). A server answering the 405 must
    send an ``Allow`` field (RFC 9110 15.5.6): :attr:`allow` is its value.

    :param methods: the methods to accept, ``bytes`` or ``str`` (at least one).
    """

    def __init__(self, methods: Iterable[bytes | str]) -> None:
        self.methods = tuple(m.encode("ascii") if isinstance(m, str) else bytes(m) for m in methods)
        if not self.methods:
            raise ValueError("allow at least one method")

    @property
    def allow(self) -> bytes:
        """The value for the ``Allow`` field of a 405 response."""
        return b", ".join(self.methods)

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: Direction, source: Any) -> str | None:
        if type(event) is Request and event.method not in self.methods:
            method = event.method.decode("ascii", "replace")
            raise _error(direction, f"method {method!r} is not allowed", 405)
        return None


class EventLogger:
    """Passes ``(direction, event)`` to ``log`` for every event; never refuses.

    ``EventLogger(records.append)`` keeps a transcript of a connection, both ways.

    :param log: called with one ``(direction, event)`` tuple per event.
    """

    def __init__(self, log: Callable[[tuple[Direction, Any]], object]) -> None:
        self.log = log

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: Direction, source: Any) -> str | None:
        self.log((direction, event))
        return None
