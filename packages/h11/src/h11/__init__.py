"""``h11``: the drop-in facade for the h11 0.16 API, backed by h11-connection.

``import h11`` code runs unchanged; ``h11.hookimpl`` and the ``plugins=`` keyword
of ``Connection`` are the additions. Every object here *is* h11_connection's
(same classes, same sentinels), so code mixing the two names mixes nothing.
"""

import typing as _typing

from h11_connection import (
    CLIENT,
    CLOSED,
    DONE,
    ERROR,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    MUST_CLOSE,
    NEED_DATA,
    PAUSED,
    PRODUCT_ID,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
    Connection,
    ConnectionClosed,
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    LocalProtocolError,
    ProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)

from ._version import __version__ as __version__

if _typing.TYPE_CHECKING:  # pragma: no cover  (for type checkers only)
    from h11_connection import hookimpl

__all__ = (
    "CLIENT",
    "CLOSED",
    "DONE",
    "ERROR",
    "IDLE",
    "MIGHT_SWITCH_PROTOCOL",
    "MUST_CLOSE",
    "NEED_DATA",
    "PAUSED",
    "PRODUCT_ID",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "SWITCHED_PROTOCOL",
    "Connection",
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "InformationalResponse",
    "LocalProtocolError",
    "ProtocolError",
    "RemoteProtocolError",
    "Request",
    "Response",
    "hookimpl",
)


def __getattr__(name: str) -> _typing.Any:
    # ``hookimpl`` imports pluggy, which code without plugins never needs.
    if name == "hookimpl":
        import h11_connection

        return h11_connection.hookimpl
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # ``hookimpl`` is resolved lazily but is a public name like the others.
    return sorted({*globals(), "hookimpl"})
