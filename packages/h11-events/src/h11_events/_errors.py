"""Protocol errors, each carrying the HTTP status a server should answer with."""

from __future__ import annotations


class ProtocolError(Exception):
    """Base class of the protocol errors; never raised or made directly.

    ``error_status_hint`` is the status code a server would use to report the
    problem to its peer (400 unless a more precise one applies: 431, 501, 505...).

    :param msg: what went wrong, for people (``str(error)`` gives it back).
    :param error_status_hint: the status to answer with; 400 by default.
    """

    error_status_hint: int

    def __init__(self, msg: str, error_status_hint: int = 400) -> None:
        if type(self) is ProtocolError:
            raise TypeError("tried to directly instantiate ProtocolError")
        Exception.__init__(self, msg)
        self.error_status_hint = error_status_hint


class LocalProtocolError(ProtocolError):
    """Our side misused the API or tried to send something HTTP/1.1 forbids.

    Also what a plugin's refusal on send becomes, whatever the plugin raised.

    :param msg: what went wrong.
    :param error_status_hint: 400 by default (the status a server would answer).
    """


class RemoteProtocolError(ProtocolError):
    """The peer sent bytes that are not valid HTTP/1.1, or broke the protocol.

    Also what a plugin's refusal on receive becomes, whatever the plugin raised.

    :param msg: what went wrong.
    :param error_status_hint: the status a server should answer with; 400 by default.
    """
