"""The two-role state machine of one HTTP/1.1 connection (h11 semantics).

Both halves are data. Each role has a state; every event sent or received moves
its sender along ``_TRANSITIONS`` (and a client's Request moves the server along
``_SERVER_MOVES_ON_CLIENT_EVENT``); then the state-triggered rules of
``STATE_RULES`` run, in order, once: keep-alive off turns DONE into MUST_CLOSE,
a peer that closed or failed makes a done or idle role MUST_CLOSE, and protocol
switch proposals are accepted (SWITCHED_PROTOCOL) or refused (back to DONE).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from h11_events import (
    ConnectionClosed,
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    LocalProtocolError,
    Request,
    Response,
    Sentinel,
)

# The pseudo event types for a server accepting a proposed switch (h11-parser names the
# switches a request proposes).
from h11_parser.engine import SWITCH_CONNECT as SWITCH_CONNECT
from h11_parser.engine import SWITCH_UPGRADE as SWITCH_UPGRADE

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

#: A role (CLIENT, SERVER) or a state (IDLE, SEND_BODY...): sentinel classes.
Role: TypeAlias = type[Sentinel]
State: TypeAlias = type[Sentinel]
#: What moves a role: an event class, or a server's switch (SWITCH_UPGRADE, SWITCH_CONNECT).
EventType: TypeAlias = "type[Event] | str"

_TRANSITIONS: dict[Role, dict[State, dict[EventType, State]]] = {
    CLIENT: {
        IDLE: {Request: SEND_BODY, ConnectionClosed: CLOSED},
        SEND_BODY: {Data: SEND_BODY, EndOfMessage: DONE},
        DONE: {ConnectionClosed: CLOSED},
        MUST_CLOSE: {ConnectionClosed: CLOSED},
        CLOSED: {ConnectionClosed: CLOSED},
        MIGHT_SWITCH_PROTOCOL: {},
        SWITCHED_PROTOCOL: {},
        ERROR: {},
    },
    SERVER: {
        IDLE: {ConnectionClosed: CLOSED, Response: SEND_BODY},
        SEND_RESPONSE: {
            InformationalResponse: SEND_RESPONSE,
            Response: SEND_BODY,
            SWITCH_UPGRADE: SWITCHED_PROTOCOL,
            SWITCH_CONNECT: SWITCHED_PROTOCOL,
        },
        SEND_BODY: {Data: SEND_BODY, EndOfMessage: DONE},
        DONE: {ConnectionClosed: CLOSED},
        MUST_CLOSE: {ConnectionClosed: CLOSED},
        CLOSED: {ConnectionClosed: CLOSED},
        SWITCHED_PROTOCOL: {},
        ERROR: {},
    },
}


#: What a client's event does to the server's state: (the server's state it needs, the
#: server's new state). A Request gives an idle server something to answer; in any other
#: server state (after a response nobody asked for, such as a 408) it is refused.
_SERVER_MOVES_ON_CLIENT_EVENT: dict[EventType, tuple[State, State]] = {
    Request: (IDLE, SEND_RESPONSE),
}

_CLIENT_TRANSITIONS = _TRANSITIONS[CLIENT]
_SERVER_TRANSITIONS = _TRANSITIONS[SERVER]


def _illegal(role: Role, state: State, event_type: EventType) -> LocalProtocolError:
    return LocalProtocolError(
        f"can't handle event type {getattr(event_type, '__name__', event_type)} "
        f"when role={role} and state={state}"
    )


class ConnectionState:
    """Both roles' states plus the facts that move them (keep-alive, proposals)."""

    __slots__ = (
        "calm",
        "client",
        "client_waiting_for_100_continue",
        "keep_alive",
        "pending_switch_proposals",
        "server",
    )

    def __init__(self) -> None:
        self.client: type[Sentinel] = IDLE
        self.server: type[Sentinel] = IDLE
        self.keep_alive = True
        self.pending_switch_proposals: set[str] = set()
        #: Keep-alive on, no proposal, nobody closed or failed: no rule can
        #: apply, so plain transitions skip them (the common cycle).
        self.calm = True
        #: The client sent ``Expect: 100-continue`` and nobody has sent anything since.
        self.client_waiting_for_100_continue = False

    def states(self) -> dict[type[Sentinel], type[Sentinel]]:
        return {CLIENT: self.client, SERVER: self.server}

    def process_error(self, role: Role) -> None:
        self.calm = False
        if role is CLIENT:
            self.client = ERROR
        else:
            self.server = ERROR
        self._fire_rules()

    def process_keep_alive_disabled(self) -> None:
        self.keep_alive = False
        self.calm = False
        self._fire_rules()

    def process_client_switch_proposal(self, switch_event: str) -> None:
        self.pending_switch_proposals.add(switch_event)
        self.calm = False
        self._fire_rules()

    def process_event(
        self,
        role: Role,
        event_type: EventType,
        server_switch_event: str | None,
        expect_continue: bool = False,
    ) -> None:
        """Move ``role`` along for an event of ``event_type``; LocalProtocolError if illegal.

        ``expect_continue``: a Request's ``Expect: 100-continue`` (HTTP/1.1): the client
        waits for the server's answer; any other event, of either role, ends the wait.
        Body Data skips this method for speed while no client waits (the Connection
        checks ``client_waiting_for_100_continue``), since it could only end the wait.
        """
        if server_switch_event is not None:
            if server_switch_event not in self.pending_switch_proposals:
                raise LocalProtocolError(
                    f"Received server {server_switch_event} event without a pending proposal"
                )
            event_type = server_switch_event
        if role is CLIENT:
            state = self.client
            new_state = _CLIENT_TRANSITIONS[state].get(event_type)
            if new_state is None:
                raise _illegal(role, state, event_type)
            server_move = _SERVER_MOVES_ON_CLIENT_EVENT.get(event_type)
            if server_move is not None:
                if self.server is not server_move[0]:
                    raise LocalProtocolError(
                        f"can't send {getattr(event_type, '__name__', event_type)} when the "
                        f"server is in state {self.server}"
                    )
                self.server = server_move[1]
            self.client = new_state
            self.client_waiting_for_100_continue = expect_continue
        else:
            state = self.server
            new_state = _SERVER_TRANSITIONS[state].get(event_type)
            if new_state is None:
                raise _illegal(role, state, event_type)
            self.server = new_state
            self.client_waiting_for_100_continue = False
            if event_type is Response and self.pending_switch_proposals:
                # A final response that does not accept refuses the proposals.
                self.pending_switch_proposals.clear()
        if self.calm and event_type is not ConnectionClosed:
            return
        self.calm = False
        self._fire_rules()

    def _fire_rules(self) -> None:
        """Apply ``STATE_RULES`` (see :func:`apply_state_rules`).

        The rules read only both states, keep-alive and whether a switch is
        pending, so each combination's outcome is computed once from the table
        and remembered (at most 9 x 9 x 2 x 2 entries): a lookup, not a walk.
        """
        key = (self.client, self.server, self.keep_alive, bool(self.pending_switch_proposals))
        try:
            self.client, self.server = _RULE_OUTCOMES[key]
        except KeyError:
            apply_state_rules(self)
            _RULE_OUTCOMES[key] = (self.client, self.server)

    def illegal(self, role: Role, event_type: EventType) -> LocalProtocolError:
        """The error for ``role`` sending an event its state does not allow."""
        return _illegal(role, self.client if role is CLIENT else self.server, event_type)

    def start_next_cycle(self) -> None:
        if self.client is not DONE or self.server is not DONE:
            raise LocalProtocolError(
                f"not in a reusable state: client is {self.client}, server is {self.server}"
            )
        self.client = IDLE
        self.server = IDLE
        if self.pending_switch_proposals:
            self.pending_switch_proposals.clear()
        self.calm = True  # both were DONE: keep-alive on, nobody closed or failed
        # client_waiting_for_100_continue is already False: the client's EndOfMessage ended it.


#: The state-triggered rules: (role, its state, condition on the whole machine, new
#: state). They run in this order, once, after every change that can trigger one.
#: The order is chosen so that one pass reaches a fixed point (a second pass changes
#: nothing, for every combination of states, keep-alive and pending proposals; a test
#: checks it): a rule that may put a role in DONE (a refused switch) comes before
#: the rules that move DONE on (keep-alive off, a closed or failed peer).
STATE_RULES: tuple[tuple[Role, State, Callable[[ConnectionState], bool], State], ...] = (
    # A client done with a request that proposed a switch waits for the answer...
    (CLIENT, DONE, lambda m: bool(m.pending_switch_proposals), MIGHT_SWITCH_PROTOCOL),
    # ... and follows the server into the new protocol, or back to DONE if refused.
    (CLIENT, MIGHT_SWITCH_PROTOCOL, lambda m: m.server is SWITCHED_PROTOCOL, SWITCHED_PROTOCOL),
    (CLIENT, MIGHT_SWITCH_PROTOCOL, lambda m: not m.pending_switch_proposals, DONE),
    # Keep-alive off: a role done with its message can only close.
    (CLIENT, DONE, lambda m: not m.keep_alive, MUST_CLOSE),
    (SERVER, DONE, lambda m: not m.keep_alive, MUST_CLOSE),
    # A peer that closed or failed starts no new cycle: a done role can only close...
    (CLIENT, DONE, lambda m: m.server is ERROR or m.server is CLOSED, MUST_CLOSE),
    (SERVER, DONE, lambda m: m.client is ERROR or m.client is CLOSED, MUST_CLOSE),
    # ... and so can an idle one facing a peer that closed.
    (CLIENT, IDLE, lambda m: m.server is CLOSED, MUST_CLOSE),
    (SERVER, IDLE, lambda m: m.client is CLOSED, MUST_CLOSE),
)


def apply_state_rules(machine: ConnectionState) -> None:
    """Walk ``STATE_RULES`` in order, once (one pass reaches a fixed point)."""
    for role, state, applies, new_state in STATE_RULES:
        if role is CLIENT:
            if machine.client is state and applies(machine):
                machine.client = new_state
        elif machine.server is state and applies(machine):
            machine.server = new_state


#: (client, server, keep_alive, switch pending) -> (client, server) after the rules.
_RULE_OUTCOMES: dict[tuple[State, State, bool, bool], tuple[State, State]] = {}
