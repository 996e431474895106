"""``h11``: a drop-in for the h11 0.16 API, built on h11-events, h11-parser and
h11-connection. ``import h11`` code runs unchanged; ``h11.hookimpl`` and the
``plugins=`` keyword of ``Connection`` are the additions.
"""

from typing import TYPE_CHECKING, Any

from h11_connection import (
    CLIENT,
    CLOSED,
    DONE,
    ERROR,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    MUST_CLOSE,
    PRODUCT_ID,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
    Connection,
)
from h11_connection import __version__ as __version__
from h11_events import (
    NEED_DATA,
    PAUSED,
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

if TYPE_CHECKING:
    from h11_parser import hookimpl

__all__ = (
    "Connection",
    "NEED_DATA",
    "PAUSED",
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "InformationalResponse",
    "Request",
    "Response",
    "CLIENT",
    "CLOSED",
    "DONE",
    "ERROR",
    "IDLE",
    "MIGHT_SWITCH_PROTOCOL",
    "MUST_CLOSE",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "SWITCHED_PROTOCOL",
    "ProtocolError",
    "LocalProtocolError",
    "RemoteProtocolError",
    "PRODUCT_ID",
    "hookimpl",
)


def __getattr__(name: str) -> Any:
    # ``hookimpl`` imports pluggy, which code without plugins never needs.
    if name == "hookimpl":
        import h11_parser

        return h11_parser.hookimpl
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
