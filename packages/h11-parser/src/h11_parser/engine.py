"""The engine a state machine drives: the incremental reader, the writers, the framing
facts of a head, and the plugin hook plumbing.

h11-connection's ``Connection`` is built from exactly these names; another state
machine (a proxy, a server framework) can be too. Each name *is* the implementation
the parsers and writers of this package run (no wrapper), and keeps its meaning within
a minor version (see the package README's compatibility policy).

Reading: a :class:`MessageReader` is fed bytes and yields events; its
``start_next_message`` begins the next message of a keep-alive connection.

Framing facts: :func:`head_facts` scans a head's ``(lowercased name, value)`` pairs once
into a :class:`HeadFacts`; :func:`body_framing` turns facts into one of the framings
``NO_BODY``, ``CONTENT_LENGTH``, ``CHUNKED``, ``UNTIL_CLOSE``, ``TUNNEL`` and a length;
:func:`ends_connection` says whether the message is the last on its connection;
:func:`proposed_switches` gives the protocol switches a request proposes
(``SWITCH_UPGRADE``, ``SWITCH_CONNECT``); ``REQUEST_TRAILER_REFUSED`` names the fields a
request's trailer section may not carry (a server refuses them).

Writing: :func:`write_request_head` / :func:`write_response_head` serialise heads;
:func:`body_writer` gives the :class:`BodyWriter` of a framing.

Plugins: :func:`resolve_hooks` turns a ``plugins`` argument (a pluggy manager, an
iterable of plugin objects, or None) into :class:`Hooks`, or None when no hook has an
implementation, so code without plugins pays nothing per event.
"""

from typing import TYPE_CHECKING

from ._framing import (
    CHUNKED,
    CONTENT_LENGTH,
    NO_BODY,
    REQUEST_TRAILER_REFUSED,
    SWITCH_CONNECT,
    SWITCH_UPGRADE,
    TUNNEL,
    UNTIL_CLOSE,
    HeadFacts,
    body_framing,
    check_sendable,
    ends_connection,
    head_facts,
    normalize_framing_fields,
    proposed_switches,
)
from ._message_reader import MessageReader
from ._message_writer import BodyWriter, body_writer, write_request_head, write_response_head
from ._plugins import HOOK_NAMES, Hooks, resolve_hooks

if TYPE_CHECKING:
    #: What a ``plugins=`` argument may be: a pluggy manager, plugin objects, or None.
    from ._plugins import Plugins as Plugins

__all__ = [
    "CHUNKED",
    "CONTENT_LENGTH",
    "HOOK_NAMES",
    "NO_BODY",
    "REQUEST_TRAILER_REFUSED",
    "SWITCH_CONNECT",
    "SWITCH_UPGRADE",
    "TUNNEL",
    "UNTIL_CLOSE",
    "BodyWriter",
    "HeadFacts",
    "Hooks",
    "MessageReader",
    "body_framing",
    "body_writer",
    "check_sendable",
    "ends_connection",
    "head_facts",
    "normalize_framing_fields",
    "proposed_switches",
    "resolve_hooks",
    "write_request_head",
    "write_response_head",
]
