"""Hook specifications of the ``"h11"`` pluggy project.

Plugins observe or veto what a parser or Connection receives and sends. Both
hooks are ``firstresult``: the first implementation that returns a string
vetoes with that string as the reason; ``None`` lets the field or event pass.
Any other result (``True``, ``False``, bytes...) is a TypeError naming the plugin.

A hook may also raise a ProtocolError itself to choose the status hint. Either
class will do: on receive the caller gets a RemoteProtocolError, on send a
LocalProtocolError, with the raised message and hint (an error of that class is
raised as it is; one of the other class is the new error's ``__cause__``). Other
exceptions are plugin bugs and propagate unchanged.

Implementations must be marked with :data:`hookimpl`; a method named ``h11_*``
that is unmarked or is not one of these hooks is refused when the parser,
writer or Connection is made.
"""

from __future__ import annotations

import inspect
from typing import Literal

import pluggy
from h11_events import EndOfMessage, Event, InformationalResponse, Request, Response

PROJECT_NAME = "h11"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Marks a plugin's hook implementations (``@hookimpl def h11_dispatch_event(...)``).
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class _PluginManager(pluggy.PluginManager):
    """The manager of ``make_plugin_manager``: hook discovery never runs a plugin's properties.

    pluggy reads each attribute of a plugin to find its hooks; with this class every pluggy
    the package supports (``pluggy>=1.3``) behaves as 1.7 does: an attribute that is not a
    function or method (a property, any other descriptor) is not a hook and is never
    evaluated, so a plugin with a lazy property registers. Plain Python (this module is
    not compiled), as a subclass of pluggy's class must be.
    """

    def parse_hookimpl_opts(self, plugin: object, name: str) -> pluggy.HookimplOpts | None:
        found = inspect.getattr_static(plugin, name, None)
        if not (isinstance(found, (staticmethod, classmethod)) or inspect.isroutine(found)):
            return None
        return super().parse_hookimpl_opts(plugin, name)


Direction = Literal["receive", "send"]
#: The events whose fields ``h11_validate_header`` sees (EndOfMessage: trailers).
FieldEventType = type[Request] | type[Response] | type[InformationalResponse] | type[EndOfMessage]


@hookspec(firstresult=True)
def h11_validate_header(
    name: bytes, value: bytes, event_type: FieldEventType, direction: Direction
) -> str | None:
    """Check one header or trailer field after the built-in checks passed.

    On send, a Connection shows the fields as it will write them, after completing
    them as h11 does (Host moved first; ``Transfer-Encoding: chunked`` or
    ``Connection: close`` added, a Content-Length dropped for a chunked response);
    the standalone writers show the fields as given, since they write them as given.

    :param name: the field name, lowercased.
    :param value: the field value, surrounding whitespace removed.
    :param event_type: the event the field belongs to: ``Request``, ``Response``,
        ``InformationalResponse``, or ``EndOfMessage`` for trailers.
    :param direction: ``"receive"`` for bytes from the peer, ``"send"`` for ours.
    :return: ``None`` to accept the field, or a ``str``: the reason for refusing it.
        A refused received field is a RemoteProtocolError (400); a refused sent
        one a LocalProtocolError, and nothing is sent.
    """


@hookspec(firstresult=True)
def h11_dispatch_event(event: Event, direction: Direction, source: object) -> str | None:
    """See every event before it is returned to the caller or serialised.

    :param event: the event (``Request``, ``Data``, ``EndOfMessage``, ...).
    :param direction: ``"receive"`` before ``next_event()`` or parser iteration
        returns it; ``"send"`` before ``send()`` writes it.
    :param source: the ``RequestParser``/``ResponseParser``, ``RequestWriter``/
        ``ResponseWriter`` or ``h11.Connection`` doing the dispatch.
    :return: ``None`` to let the event pass, or a ``str``: the reason for refusing
        it (RemoteProtocolError, 400, on receive; LocalProtocolError on send).
    """
