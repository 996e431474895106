"""h11-connection: the HTTP/1.1 Connection state machine of the h11 stack.

``Connection`` drives h11-parser's readers and writers for one connection,
with h11 0.16's states, keep-alive, protocol switching and 100-continue. The
``h11`` package shipped alongside re-exports everything under h11's names.
"""

import h11_events
import h11_parser
from h11_events._compiler import is_compiled

from . import _connection
from ._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE, Connection
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

#: Sent as the product token by applications that want one (as h11's PRODUCT_ID).
PRODUCT_ID = f"python-h11-connection/{__version__}"

#: True when the Connection, the parser and the events all run compiled (the mypyc
#: build of h11-connection, h11-parser and h11-events); False when any is pure Python.
COMPILED = is_compiled(_connection) and h11_parser.COMPILED and h11_events.COMPILED

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
    "PRODUCT_ID",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "SWITCHED_PROTOCOL",
    "Connection",
    "__version__",
]
