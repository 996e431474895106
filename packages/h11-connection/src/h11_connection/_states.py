"""Roles and per-role states of an HTTP/1.1 connection, as h11 names them.

Each is a sentinel class (``type(IDLE) is IDLE``, ``repr(IDLE) == "IDLE"``),
written as a ``class`` statement so type checkers see ``type[IDLE]``. A role or
a state is annotated ``type[Sentinel]``, as in h11 (the same type for both).
"""

from __future__ import annotations

from h11_events import Sentinel

# Pickled by name from the package that exports them all.
_MODULE = "h11_connection"

# -- roles -------------------------------------------------------------------


class CLIENT(Sentinel, metaclass=Sentinel):
    """The role that sends requests."""

    __module__ = _MODULE


class SERVER(Sentinel, metaclass=Sentinel):
    """The role that sends responses."""

    __module__ = _MODULE


# -- states (SEND_RESPONSE is the server's only; the others both roles') -----


class IDLE(Sentinel, metaclass=Sentinel):
    """Between messages: nothing sent (or received) yet in this cycle."""

    __module__ = _MODULE


class SEND_RESPONSE(Sentinel, metaclass=Sentinel):
    """The server has a request to answer and has not sent the final response head."""

    __module__ = _MODULE


class SEND_BODY(Sentinel, metaclass=Sentinel):
    """Inside a message: the head is out, Data and EndOfMessage may follow."""

    __module__ = _MODULE


class DONE(Sentinel, metaclass=Sentinel):
    """This role's message of the cycle is complete."""

    __module__ = _MODULE


class MUST_CLOSE(Sentinel, metaclass=Sentinel):
    """Done, and the connection cannot be reused: only closing is left."""

    __module__ = _MODULE


class CLOSED(Sentinel, metaclass=Sentinel):
    """This role closed its side of the connection."""

    __module__ = _MODULE


class ERROR(Sentinel, metaclass=Sentinel):
    """A protocol error happened on this side; the connection is unusable."""

    __module__ = _MODULE


class MIGHT_SWITCH_PROTOCOL(Sentinel, metaclass=Sentinel):
    """The client proposed a protocol switch and waits for the server's answer."""

    __module__ = _MODULE


class SWITCHED_PROTOCOL(Sentinel, metaclass=Sentinel):
    """The switch was accepted: the bytes that follow are not HTTP/1.1."""

    __module__ = _MODULE
