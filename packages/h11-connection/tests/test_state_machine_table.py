"""The state-triggered rules are a table: one pass reaches a fixed point,
and the table means what the rules always meant, for every combination of states.

Internals of this project (``ours_only``), like the plugin tests.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from h11_connection._state_machine import (
    STATE_RULES,
    SWITCH_CONNECT,
    SWITCH_UPGRADE,
    ConnectionState,
    apply_state_rules,
)
from h11_connection._states import (
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
from h11_events import (
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    Request,
    Response,
)

pytestmark = pytest.mark.ours_only

STATES = [
    IDLE,
    SEND_BODY,
    SEND_RESPONSE,
    DONE,
    MUST_CLOSE,
    CLOSED,
    MIGHT_SWITCH_PROTOCOL,
    SWITCHED_PROTOCOL,
    ERROR,
]
PROPOSALS: list[set[str]] = [set(), {SWITCH_UPGRADE}, {SWITCH_CONNECT}]
COMBINATIONS = list(itertools.product(STATES, STATES, [True, False], range(len(PROPOSALS))))


def machine(client: Any, server: Any, keep_alive: bool, proposals: set[str]) -> ConnectionState:
    m = ConnectionState()
    m.client, m.server, m.keep_alive = client, server, keep_alive
    m.pending_switch_proposals = set(proposals)
    m.calm = False
    return m


def snapshot(m: ConnectionState) -> tuple[Any, ...]:
    return (m.client, m.server, m.keep_alive, frozenset(m.pending_switch_proposals))


def written_rules(m: ConnectionState) -> None:
    """The rules as plain branches, as they were written before the table (reference)."""
    if m.pending_switch_proposals and m.client is DONE:
        m.client = MIGHT_SWITCH_PROTOCOL
    if m.client is MIGHT_SWITCH_PROTOCOL:
        if m.server is SWITCHED_PROTOCOL:
            m.client = SWITCHED_PROTOCOL
        elif not m.pending_switch_proposals:
            m.client = DONE
    if not m.keep_alive:
        if m.client is DONE:
            m.client = MUST_CLOSE
        if m.server is DONE:
            m.server = MUST_CLOSE
    if m.client is DONE and (m.server is ERROR or m.server is CLOSED):
        m.client = MUST_CLOSE
    if m.server is DONE and (m.client is ERROR or m.client is CLOSED):
        m.server = MUST_CLOSE
    if m.client is IDLE and m.server is CLOSED:
        m.client = MUST_CLOSE
    if m.server is IDLE and m.client is CLOSED:
        m.server = MUST_CLOSE


@pytest.mark.parametrize(("client", "server", "keep_alive", "proposals"), COMBINATIONS)
def test_one_pass_of_the_rules_reaches_a_fixed_point(
    client: Any, server: Any, keep_alive: bool, proposals: int
) -> None:
    m = machine(client, server, keep_alive, PROPOSALS[proposals])
    apply_state_rules(m)
    once = snapshot(m)
    apply_state_rules(m)
    assert snapshot(m) == once


@pytest.mark.parametrize(("client", "server", "keep_alive", "proposals"), COMBINATIONS)
def test_the_table_means_what_the_written_rules_meant(
    client: Any, server: Any, keep_alive: bool, proposals: int
) -> None:
    table = machine(client, server, keep_alive, PROPOSALS[proposals])
    table._fire_rules()
    reference = machine(client, server, keep_alive, PROPOSALS[proposals])
    written_rules(reference)
    assert snapshot(table) == snapshot(reference)


def test_every_rule_fires_somewhere() -> None:
    """No dead row: each rule changes the state of some combination."""
    for role, state, applies, new_state in STATE_RULES:
        assert new_state is not state
        assert any(
            (c if role is CLIENT else s) is state and applies(machine(c, s, k, PROPOSALS[p]))
            for c, s, k, p in COMBINATIONS
        ), (role, state, new_state)
    assert {role for role, *_ in STATE_RULES} == {CLIENT, SERVER}


@pytest.mark.parametrize(("client", "server", "keep_alive", "proposals"), COMBINATIONS)
def test_remembered_outcomes_equal_the_table_walk(
    client: Any, server: Any, keep_alive: bool, proposals: int
) -> None:
    """_fire_rules looks outcomes up; twice (computed, then remembered) it equals the walk."""
    for _ in range(2):
        looked_up = machine(client, server, keep_alive, PROPOSALS[proposals])
        looked_up._fire_rules()
        walked = machine(client, server, keep_alive, PROPOSALS[proposals])
        apply_state_rules(walked)
        assert snapshot(looked_up) == snapshot(walked)


# ---- 100-continue: the state machine's one rule ------------------------------------------


def waiting_machine() -> ConnectionState:
    """A client whose Request said Expect: 100-continue, nothing else since."""
    m = ConnectionState()
    m.process_event(CLIENT, Request, None, True)
    return m


def test_a_request_with_expect_continue_starts_the_wait() -> None:
    m = ConnectionState()
    m.process_event(CLIENT, Request, None, True)
    assert m.client_waiting_for_100_continue
    plain = ConnectionState()
    plain.process_event(CLIENT, Request, None)
    assert not plain.client_waiting_for_100_continue


@pytest.mark.parametrize(
    ("role", "event_type", "switch"),
    [
        (CLIENT, Data, None),
        (CLIENT, EndOfMessage, None),
        (SERVER, InformationalResponse, None),
        (SERVER, Response, None),
        (SERVER, InformationalResponse, SWITCH_UPGRADE),
    ],
)
def test_any_next_event_of_either_role_ends_the_wait(
    role: Any, event_type: Any, switch: str | None
) -> None:
    m = waiting_machine()
    if switch is not None:
        m.process_client_switch_proposal(switch)
    m.process_event(role, event_type, switch)
    assert not m.client_waiting_for_100_continue


@pytest.mark.parametrize(("role", "event_type"), [(CLIENT, ConnectionClosed), (SERVER, Data)])
def test_an_illegal_event_leaves_the_wait_as_it_was(role: Any, event_type: Any) -> None:
    m = waiting_machine()
    with pytest.raises(LocalProtocolError):
        m.process_event(role, event_type, None)
    assert m.client_waiting_for_100_continue
