"""``from h11 import *`` gives type checkers every name of h11 0.16 (and ``hookimpl``).

Never run, only type-checked (``nox -s typecheck``, with ``mypy --strict``), like
downstream_annotations.py, and a second time with ``from h11_connection import *``. The
facade and h11_connection take their names from ``h11_connection.h11_api`` with a star
import and that module's ``__all__``: a form a type checker could fail to follow, which
would leave every name below undefined for it.
"""

from __future__ import annotations

from h11 import *  # noqa: F403

#: Every public name of h11 0.16, plus hookimpl: each must be defined for mypy.
NAMES: tuple[object, ...] = (
    CLIENT,  # noqa: F405
    CLOSED,  # noqa: F405
    DONE,  # noqa: F405
    ERROR,  # noqa: F405
    IDLE,  # noqa: F405
    MIGHT_SWITCH_PROTOCOL,  # noqa: F405
    MUST_CLOSE,  # noqa: F405
    NEED_DATA,  # noqa: F405
    PAUSED,  # noqa: F405
    PRODUCT_ID,  # noqa: F405
    SEND_BODY,  # noqa: F405
    SEND_RESPONSE,  # noqa: F405
    SERVER,  # noqa: F405
    SWITCHED_PROTOCOL,  # noqa: F405
    Connection,  # noqa: F405
    ConnectionClosed,  # noqa: F405
    Data,  # noqa: F405
    EndOfMessage,  # noqa: F405
    Event,  # noqa: F405
    InformationalResponse,  # noqa: F405
    LocalProtocolError,  # noqa: F405
    ProtocolError,  # noqa: F405
    RemoteProtocolError,  # noqa: F405
    Request,  # noqa: F405
    Response,  # noqa: F405
    hookimpl,  # noqa: F405
)


def next_event(conn: Connection) -> Event | type[NEED_DATA] | type[PAUSED]:  # noqa: F405
    """The names are the real types, not ``Any``: this return type must match."""
    return conn.next_event()
