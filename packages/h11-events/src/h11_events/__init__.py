"""h11-events: the vocabulary of the h11 sans-I/O HTTP/1.1 stack.

Events, header lists, protocol errors and sentinels. Parsers and connections
build on these; on their own they validate what an application wants to send.
"""

from . import _events, _headers
from ._errors import LocalProtocolError, ProtocolError, RemoteProtocolError
from ._events import (
    ConnectionClosed,
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    Request,
    Response,
)
from ._headers import Headers, normalize_headers
from ._mypyc import is_compiled as _is_compiled
from ._sentinels import NEED_DATA, PAUSED, Sentinel, make_sentinel
from ._version import __version__

#: True when this package's modules are the compiled (mypyc) build, False for pure Python.
COMPILED = _is_compiled(_events)
if COMPILED:  # what help() shows, which mypyc drops
    from ._docs import restore_docs as _restore_docs

    _restore_docs(_events, _headers)

__all__ = [
    "COMPILED",
    "NEED_DATA",
    "PAUSED",
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "Headers",
    "InformationalResponse",
    "LocalProtocolError",
    "ProtocolError",
    "RemoteProtocolError",
    "Request",
    "Response",
    "Sentinel",
    "__version__",
    "make_sentinel",
    "normalize_headers",
]
