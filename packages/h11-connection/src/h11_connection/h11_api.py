"""The h11 0.16 API: its public names, listed once, and the lazy ``hookimpl``.

Public so that the ``h11`` facade (another distribution) takes the names from here.
Two namespaces re-export this module: ``h11_connection`` (which adds its own names) and
the ``h11`` facade distribution. Each does ``from h11_connection.h11_api import *`` and
``from h11_connection.h11_api import __all__ as __all__``, then ``__all__ += (...)`` for
its additions: forms that type checkers follow (mypy reads the imported ``__all__`` as this module's
public names), so ``h11.Connection`` and ``from h11 import *`` type-check as before.
``__all__`` is a tuple, so ``+=`` makes the importer a new one and never changes this.

``hookimpl`` is not in ``__all__``: a star import reads every listed name, and
``hookimpl`` imports pluggy, which code without plugins never needs. Each namespace
lists it itself and resolves it on first use with :func:`lazy_hookimpl`.
"""

from __future__ import annotations

import typing

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

from ._connection import Connection
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

#: Every public name of h11 0.16 (``dir(h11)`` on PyPI h11 0.16.0, less the modules); a
#: tuple, as h11's own ``__all__``.
__all__: tuple[str, ...] = (
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
)


def lazy_hookimpl(
    module_name: str, namespace: dict[str, typing.Any]
) -> tuple[typing.Callable[[str], typing.Any], typing.Callable[[], list[str]]]:
    """A module's ``__getattr__`` and ``__dir__`` (PEP 562) that add ``hookimpl`` lazily.

    ``hookimpl`` is h11-parser's pluggy marker; importing it imports pluggy, so it is
    looked up on first use. ``namespace`` is the module's ``globals()``, for ``dir()``.
    """

    def __getattr__(name: str) -> typing.Any:
        if name == "hookimpl":
            import h11_parser

            return h11_parser.hookimpl
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        # ``hookimpl`` is resolved lazily but is a public name like the others.
        return sorted({*namespace, "hookimpl"})

    return __getattr__, __dir__
