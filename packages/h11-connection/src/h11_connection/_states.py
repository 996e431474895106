"""Roles and per-role states of an HTTP/1.1 connection, as h11 names them."""

from __future__ import annotations

from h11_events import make_sentinel

_MODULE = "h11_connection"

#: Roles.
CLIENT = make_sentinel("CLIENT", _MODULE)
SERVER = make_sentinel("SERVER", _MODULE)

#: States. SEND_RESPONSE is the server's only; the others both roles'.
IDLE = make_sentinel("IDLE", _MODULE)
SEND_RESPONSE = make_sentinel("SEND_RESPONSE", _MODULE)
SEND_BODY = make_sentinel("SEND_BODY", _MODULE)
DONE = make_sentinel("DONE", _MODULE)
MUST_CLOSE = make_sentinel("MUST_CLOSE", _MODULE)
CLOSED = make_sentinel("CLOSED", _MODULE)
ERROR = make_sentinel("ERROR", _MODULE)
MIGHT_SWITCH_PROTOCOL = make_sentinel("MIGHT_SWITCH_PROTOCOL", _MODULE)
SWITCHED_PROTOCOL = make_sentinel("SWITCHED_PROTOCOL", _MODULE)
