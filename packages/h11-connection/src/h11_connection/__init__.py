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
from h11_events.compilation import is_compiled as _is_compiled
from h11_parser import COMPILED as _PARSER_COMPILED

from . import _connection, h11_api
from ._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from ._install import install_as_h11
from ._version import __version__
from .h11_api import *  # noqa: F403 (every name of h11 0.16, listed once in h11_api)
from .h11_api import __all__ as __all__

#: True when the Connection, the parser and the events all run compiled (the mypyc
#: build of h11-connection, h11-parser and h11-events); False when any is pure Python.
COMPILED = _is_compiled(_connection) and _PARSER_COMPILED and _EVENTS_COMPILED
if COMPILED:  # what help() shows, which mypyc drops
    from h11_events.compilation import restore_docs as _restore_docs

    _restore_docs(_connection)

#: h11 0.16's names (imported from ``h11_api`` above) and this package's additions.
__all__ += (
    "COMPILED",
    "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE",
    "__version__",
    "hookimpl",
    "install_as_h11",
)

if _typing.TYPE_CHECKING:  # pragma: no cover  (for type checkers only)
    from h11_parser import hookimpl
else:
    # ``hookimpl`` on first use (PEP 562). Type checkers see the import above instead of
    # a ``__getattr__``, so a misspelt name is an error for them, as with PyPI h11.
    __getattr__, __dir__ = h11_api.lazy_hookimpl(__name__, globals())
