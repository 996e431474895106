"""h11-connection: the HTTP/1.1 Connection state machine, and the whole h11 0.16 API.

``Connection`` drives h11-parser's readers and writers for one connection, with
h11 0.16's states, keep-alive, protocol switching and 100-continue. This module
is also a complete drop-in namespace: every public name of h11 0.16 (events,
states, roles, errors, sentinels, ``PRODUCT_ID``) is here, plus ``hookimpl`` and
``Connection(..., plugins=...)``. So ``import h11_connection as h11`` works in any
environment, also beside PyPI's h11, and ``install_as_h11()`` makes later
``import h11`` statements of other code return this module.
"""

import typing as _typing

from h11_events import COMPILED as _EVENTS_COMPILED
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
from h11_events._compiler import is_compiled as _is_compiled
from h11_parser import COMPILED as _PARSER_COMPILED

from . import _connection
from ._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE, Connection
from ._install import install_as_h11
from ._states import (
    CLIENT,
    CLOSED,
    DONE,
    ERROR,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    MUST_CLOSE,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
)
from ._version import __version__

if _typing.TYPE_CHECKING:  # pragma: no cover  (for type checkers only)
    from h11_parser import hookimpl

#: Sent as the product token by applications that want one (as h11's PRODUCT_ID).
PRODUCT_ID = f"python-h11-connection/{__version__}"

#: True when the Connection, the parser and the events all run compiled (the mypyc
#: build of h11-connection, h11-parser and h11-events); False when any is pure Python.
COMPILED = _is_compiled(_connection) and _PARSER_COMPILED and _EVENTS_COMPILED
if COMPILED:  # what help() shows, which mypyc drops
    from h11_events._docs import restore_docs as _restore_docs

    _restore_docs(_connection)

__all__ = [
    "CLIENT",
    "COMPILED",
    "CLOSED",
    "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE",
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
    "__version__",
    "hookimpl",
    "install_as_h11",
]


def __getattr__(name: str) -> _typing.Any:
    # ``hookimpl`` imports pluggy, which code without plugins never needs.
    if name == "hookimpl":
        import h11_parser

        return h11_parser.hookimpl
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # ``hookimpl`` is resolved lazily but is a public name like the others.
    return sorted({*globals(), "hookimpl"})
