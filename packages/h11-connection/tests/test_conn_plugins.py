"""Pluggy plugins inside ``h11.Connection``: hooks, vetoes, states, examples.

PyPI h11 has no plugins: the whole module is ``ours_only``.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import h11_connection as h11
import pluggy
import pytest
from conn_support import next_events
from h11_parser import hookimpl, make_plugin_manager
from h11_parser.example_plugins import (
    EventLogger,
    HeaderLimits,
    MethodAllowList,
    RejectUnderscoreHeaders,
)

pytestmark = pytest.mark.ours_only

GET = b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"
CHUNKED_POST = (
    b"POST /up HTTP/1.1\r\nHost: example\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"3\r\nabc\r\n0\r\nX-Sum: 3\r\n\r\n"
)


def server(*plugins: object, data: bytes = b"") -> h11.Connection:
    conn = h11.Connection(h11.SERVER, plugins=list(plugins))
    if data:  # b"" would mean EOF
        conn.receive_data(data)
    return conn


def client(*plugins: object) -> h11.Connection:
    return h11.Connection(h11.CLIENT, plugins=list(plugins))


def get(*fields: tuple[str, str], method: str = "GET") -> h11.Request:
    return h11.Request(method=method, target="/", headers=[("Host", "example"), *fields])


def request_bytes(*lines: bytes, method: bytes = b"GET") -> bytes:
    return b"\r\n".join([method + b" / HTTP/1.1", b"Host: example", *lines]) + b"\r\n\r\n"


def states(conn: h11.Connection) -> tuple[Any, Any]:
    return conn.our_state, conn.their_state


def refused(conn: h11.Connection) -> h11.RemoteProtocolError:
    """Drain ``conn`` expecting a RemoteProtocolError, which must then stick."""
    with pytest.raises(h11.RemoteProtocolError) as info:
        next_events(conn)
    assert conn.their_state is h11.ERROR
    with pytest.raises(h11.RemoteProtocolError):
        conn.next_event()
    return info.value


def answer(conn: h11.Connection, status: int, *fields: tuple[str, str]) -> bytes:
    """What a server sends back after a refused request: a head and an empty body."""
    wire = conn.send(h11.Response(status_code=status, headers=list(fields)))
    wire += conn.send(h11.EndOfMessage())
    return wire


class Fields:
    """Records every h11_validate_header call."""

    def __init__(self) -> None:
        self.calls: list[tuple[bytes, bytes, type[Any], str]] = []

    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        self.calls.append((name, value, event_type, direction))
        return None


class Sources:
    """Records the source of every h11_dispatch_event call."""

    def __init__(self) -> None:
        self.sources: list[Any] = []

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
        self.sources.append(source)
        return None


class Crash(Exception):
    """A plugin bug: must reach the caller unchanged."""


class Crasher:
    def __init__(self, *, kind: type[Any] | None = None, name: bytes = b"") -> None:
        self.kind = kind
        self.name = name

    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        if name == self.name:
            raise Crash(name)
        return None

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
        if type(event) is self.kind:
            raise Crash(event)
        return None


# ---- registration ------------------------------------------------------------------------------


def test_h11_hookimpl_is_the_parser_marker() -> None:
    assert h11.hookimpl is hookimpl


def test_plugins_in_a_manager_are_used() -> None:
    conn = h11.Connection(h11.SERVER, plugins=make_plugin_manager(RejectUnderscoreHeaders()))
    conn.receive_data(request_bytes(b"A_B: 1"))
    assert refused(conn).error_status_hint == 400


def test_a_plain_pluggy_marker_works_on_a_connection() -> None:
    mark = pluggy.HookimplMarker("h11")

    class Plain:
        @mark
        def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
            return "plain" if type(event) is h11.Request else None

    with pytest.raises(h11.RemoteProtocolError, match="plain"):
        next_events(server(Plain(), data=GET))


def test_the_source_is_the_connection_both_ways() -> None:
    plugin = Sources()
    conn = server(plugin, data=GET)
    next_events(conn)
    answer(conn, 200, ("Content-Length", "0"))
    assert len(plugin.sources) == 4
    assert all(source is conn for source in plugin.sources)


def test_no_entry_points_are_scanned_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    def scanned() -> Any:
        raise AssertionError("entry points were scanned")

    monkeypatch.setattr(importlib.metadata, "distributions", scanned)
    for plugins in (None, [], [Fields()], make_plugin_manager(Fields())):
        conn = h11.Connection(h11.SERVER, plugins=plugins)
        conn.receive_data(GET)
        assert type(conn.next_event()) is h11.Request
    with pytest.raises(AssertionError, match="scanned"):
        make_plugin_manager(entrypoints=True)


# ---- what the hooks see ------------------------------------------------------------------------


def test_validate_sees_received_head_and_trailer_fields() -> None:
    plugin = Fields()
    next_events(server(plugin, data=CHUNKED_POST))
    assert plugin.calls == [
        (b"host", b"example", h11.Request, "receive"),
        (b"transfer-encoding", b"chunked", h11.Request, "receive"),
        (b"x-sum", b"3", h11.EndOfMessage, "receive"),
    ]


def test_validate_sees_the_fields_that_go_on_the_wire() -> None:
    """The completed head: framing and Connection fields the Connection adds included."""
    plugin = Fields()
    conn = server(plugin, data=b"GET / HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n")
    next_events(conn)
    plugin.calls.clear()
    head = conn.send(h11.Response(status_code=200, headers=[("Server", "x")]))
    wire_fields = [line.split(b": ", 1) for line in head.split(b"\r\n")[1:] if line]
    assert [(n.lower(), v) for n, v in wire_fields] == [(n, v) for n, v, _, _ in plugin.calls]
    assert {(t, d) for _, _, t, d in plugin.calls} == {(h11.Response, "send")}
    assert (b"transfer-encoding", b"chunked") in [(n, v) for n, v, _, _ in plugin.calls]


def test_validate_sees_sent_request_fields_and_trailers() -> None:
    plugin = Fields()
    conn = client(plugin)
    conn.send(get(("Transfer-Encoding", "chunked"), method="POST"))
    conn.send(h11.Data(data=b"abc"))
    conn.send(h11.EndOfMessage(headers=[("X-Sum", "3")]))
    assert plugin.calls == [
        (b"host", b"example", h11.Request, "send"),
        (b"transfer-encoding", b"chunked", h11.Request, "send"),
        (b"x-sum", b"3", h11.EndOfMessage, "send"),
    ]


def test_validate_sees_informational_responses_both_ways() -> None:
    sent, received = Fields(), Fields()
    srv = server(sent, data=request_bytes(b"Expect: 100-continue", b"Content-Length: 1"))
    next_events(srv)
    sent.calls.clear()
    wire = srv.send(h11.InformationalResponse(status_code=100, headers=[("X-Hint", "go")]))
    cli = client(received)
    cli.send(get(("Expect", "100-continue"), ("Content-Length", "1")))
    received.calls.clear()
    cli.receive_data(wire)
    assert type(cli.next_event()) is h11.InformationalResponse
    assert sent.calls == [(b"x-hint", b"go", h11.InformationalResponse, "send")]
    assert received.calls == [(b"x-hint", b"go", h11.InformationalResponse, "receive")]


def test_logger_sees_a_whole_exchange_on_both_connections() -> None:
    on_client: list[tuple[str, Any]] = []
    on_server: list[tuple[str, Any]] = []
    cli, srv = client(EventLogger(on_client.append)), server(EventLogger(on_server.append))
    request = [get(("Content-Length", "2"), method="PUT"), h11.Data(data=b"hi"), h11.EndOfMessage()]
    for event in request:
        wire = cli.send(event)
        if wire:  # b"" would mean EOF
            srv.receive_data(wire)
    got = next_events(srv)[:-1]
    response = [h11.Response(status_code=204, headers=[]), h11.EndOfMessage()]
    for event in response:
        wire = srv.send(event)
        if wire:
            cli.receive_data(wire)
    back = next_events(cli)[:-1]
    assert on_client == [("send", e) for e in request] + [("receive", e) for e in back]
    assert on_server == [("receive", e) for e in got] + [("send", e) for e in response]
    assert [type(e) for e in got] == [h11.Request, h11.Data, h11.EndOfMessage]
    assert [type(e) for e in back] == [h11.Response, h11.EndOfMessage]


def test_logger_sees_connection_closed_both_ways() -> None:
    records: list[tuple[str, Any]] = []
    conn = server(EventLogger(records.append), data=GET)
    next_events(conn)
    answer(conn, 200, ("Content-Length", "0"), ("Connection", "close"))
    conn.send(h11.ConnectionClosed())
    conn.receive_data(b"")
    assert type(conn.next_event()) is h11.ConnectionClosed
    assert [(d, type(e)) for d, e in records][-2:] == [
        ("send", h11.ConnectionClosed),
        ("receive", h11.ConnectionClosed),
    ]


# ---- RejectUnderscoreHeaders -------------------------------------------------------------------


def test_underscore_request_field_is_400_and_the_server_can_answer() -> None:
    conn = server(RejectUnderscoreHeaders(), data=request_bytes(b"X-Auth_User: admin"))
    error = refused(conn)
    assert error.error_status_hint == 400
    assert "x-auth_user" in str(error)
    assert states(conn) == (h11.IDLE, h11.ERROR)
    assert answer(conn, 400) == b"HTTP/1.1 400 \r\nConnection: close\r\n\r\n"
    assert states(conn) == (h11.MUST_CLOSE, h11.ERROR)


@pytest.mark.parametrize(
    ("plugins", "data"),
    [
        ([RejectUnderscoreHeaders()], request_bytes(b"X_A: 1")),
        ([], request_bytes(b"X\x01A: 1")),
    ],
    ids=["plugin-veto", "built-in-error"],
)
def test_a_veto_leaves_the_same_states_as_a_built_in_error(
    plugins: list[object], data: bytes
) -> None:
    conn = server(*plugins, data=data)
    refused(conn)
    assert states(conn) == (h11.IDLE, h11.ERROR)
    assert answer(conn, 400).startswith(b"HTTP/1.1 400 ")
    assert states(conn) == (h11.MUST_CLOSE, h11.ERROR)


def test_underscore_trailer_is_400_after_the_request_was_accepted() -> None:
    data = CHUNKED_POST.replace(b"X-Sum", b"X_Sum")
    conn = server(RejectUnderscoreHeaders(), data=data)
    assert type(conn.next_event()) is h11.Request
    assert type(conn.next_event()) is h11.Data
    with pytest.raises(h11.RemoteProtocolError, match="x_sum"):
        conn.next_event()
    assert states(conn) == (h11.SEND_RESPONSE, h11.ERROR)
    answer(conn, 400, ("Content-Length", "0"))
    assert states(conn) == (h11.MUST_CLOSE, h11.ERROR)


def test_underscore_in_a_received_response_puts_the_server_in_error() -> None:
    conn = client(RejectUnderscoreHeaders())
    conn.send(get())
    conn.send(h11.EndOfMessage())
    conn.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nSet_Cookie: a\r\n\r\n")
    assert refused(conn).error_status_hint == 400
    # As after any remote error: our finished side can't be reused.
    assert states(conn) == (h11.MUST_CLOSE, h11.ERROR)


def test_underscore_in_a_sent_request_is_local_error_and_our_error() -> None:
    conn = client(RejectUnderscoreHeaders())
    with pytest.raises(h11.LocalProtocolError, match="underscore"):
        conn.send(get(("X_Id", "1")))
    assert conn.our_state is h11.ERROR
    with pytest.raises(h11.LocalProtocolError):
        conn.send(get())


def test_underscore_in_a_sent_response_is_local_error_and_our_error() -> None:
    conn = server(RejectUnderscoreHeaders(), data=GET)
    next_events(conn)
    with pytest.raises(h11.LocalProtocolError):
        conn.send(h11.Response(status_code=200, headers=[("X_Id", "1")]))
    # The client's finished request can't be followed by another: MUST_CLOSE.
    assert states(conn) == (h11.ERROR, h11.MUST_CLOSE)


def test_underscore_in_sent_trailers_is_local_error() -> None:
    conn = client(RejectUnderscoreHeaders())
    conn.send(get(("Transfer-Encoding", "chunked"), method="POST"))
    with pytest.raises(h11.LocalProtocolError, match="x_sum"):
        conn.send(h11.EndOfMessage(headers=[("X_Sum", "1")]))
    assert conn.our_state is h11.ERROR


@pytest.mark.parametrize(
    "plugin",
    [Crasher(kind=h11.Request), MethodAllowList(["PUT"])],
    ids=["crash", "veto"],
)
def test_an_event_refused_on_send_leaves_the_peer_as_it_was(plugin: object) -> None:
    conn = client(plugin)
    with pytest.raises((Crash, h11.LocalProtocolError)):
        conn.send(get())
    assert states(conn) == (h11.ERROR, h11.IDLE)


@pytest.mark.parametrize(
    "plugin", [Crasher(name=b"x-id"), RejectUnderscoreHeaders()], ids=["crash", "veto"]
)
def test_a_field_refused_on_send_leaves_the_peer_as_it_was(plugin: object) -> None:
    conn = client(plugin)
    with pytest.raises((Crash, h11.LocalProtocolError)):
        conn.send(get(("X-Id", "1"), ("X_Id", "1")))
    assert states(conn) == (h11.ERROR, h11.IDLE)


# ---- HeaderLimits ------------------------------------------------------------------------------


def test_too_many_request_fields_are_431_and_the_server_can_answer() -> None:
    conn = server(HeaderLimits(2, 1000), data=request_bytes(b"A: 1", b"B: 2"))
    assert refused(conn).error_status_hint == 431
    assert states(conn) == (h11.IDLE, h11.ERROR)
    assert answer(conn, 431, ("Content-Length", "0")).startswith(b"HTTP/1.1 431 ")
    assert conn.our_state is h11.MUST_CLOSE


def test_oversized_request_fields_are_431() -> None:
    conn = server(HeaderLimits(10, 20), data=request_bytes(b"Cookie: " + b"c" * 20))
    error = refused(conn)
    assert error.error_status_hint == 431
    assert "bytes" in str(error)


def test_limits_within_bounds_keep_a_connection_alive() -> None:
    conn = server(HeaderLimits(2, 100), data=GET + GET)
    assert [type(e) for e in next_events(conn)[:-1]] == [h11.Request, h11.EndOfMessage]
    answer(conn, 200, ("Content-Length", "0"))
    conn.start_next_cycle()
    assert [type(e) for e in next_events(conn)[:-1]] == [h11.Request, h11.EndOfMessage]


def test_too_many_trailers_are_431() -> None:
    data = CHUNKED_POST.replace(b"X-Sum: 3\r\n", b"X-A: 1\r\nX-B: 2\r\nX-C: 3\r\n")
    conn = server(HeaderLimits(2, 1000), data=data)
    assert type(conn.next_event()) is h11.Request
    assert type(conn.next_event()) is h11.Data
    with pytest.raises(h11.RemoteProtocolError) as info:
        conn.next_event()
    assert info.value.error_status_hint == 431
    assert states(conn) == (h11.SEND_RESPONSE, h11.ERROR)


def test_limits_on_send_are_local_errors() -> None:
    conn = client(HeaderLimits(1, 1000))
    with pytest.raises(h11.LocalProtocolError, match="2 header fields"):
        conn.send(get(("Accept", "*/*")))
    assert conn.our_state is h11.ERROR


# ---- MethodAllowList ---------------------------------------------------------------------------


def test_method_off_the_list_is_405_with_allow() -> None:
    allow = MethodAllowList(["GET", "HEAD"])
    conn = server(allow, data=request_bytes(b"Content-Length: 0", method=b"DELETE"))
    error = refused(conn)
    assert error.error_status_hint == 405
    assert "DELETE" in str(error)
    assert states(conn) == (h11.IDLE, h11.ERROR)
    wire = answer(conn, 405, ("Allow", allow.allow.decode()), ("Content-Length", "0"))
    assert b"\r\nAllow: GET, HEAD\r\n" in wire
    assert conn.our_state is h11.MUST_CLOSE


def test_listed_method_passes() -> None:
    conn = server(MethodAllowList(["GET"]), data=GET)
    assert [type(e) for e in next_events(conn)[:-1]] == [h11.Request, h11.EndOfMessage]


def test_second_pipelined_request_is_checked_after_the_cycle() -> None:
    conn = server(MethodAllowList(["GET"]), data=GET + request_bytes(method=b"TRACE"))
    next_events(conn)
    answer(conn, 200, ("Content-Length", "0"))
    conn.start_next_cycle()
    assert refused(conn).error_status_hint == 405
    assert states(conn) == (h11.IDLE, h11.ERROR)


def test_client_sending_a_method_off_the_list_is_local_error() -> None:
    conn = client(MethodAllowList(["GET"]))
    with pytest.raises(h11.LocalProtocolError, match="POST"):
        conn.send(get(("Content-Length", "0"), method="POST"))
    assert conn.our_state is h11.ERROR


# ---- exceptions that are not ProtocolErrors ----------------------------------------------------


@pytest.mark.parametrize(
    "crasher", [Crasher(kind=h11.Request), Crasher(name=b"x-id")], ids=["event", "field"]
)
def test_a_crash_on_send_propagates_and_puts_us_in_error(crasher: Crasher) -> None:
    conn = client(crasher)
    with pytest.raises(Crash):
        conn.send(get(("X-Id", "1")))
    assert conn.our_state is h11.ERROR


@pytest.mark.parametrize(
    "crasher", [Crasher(kind=h11.Request), Crasher(name=b"x-id")], ids=["event", "field"]
)
def test_a_crash_on_receive_propagates_unchanged(crasher: Crasher) -> None:
    conn = server(crasher, data=request_bytes(b"X-Id: 1"))
    with pytest.raises(Crash):
        conn.next_event()


@pytest.mark.parametrize(
    "crasher", [Crasher(kind=h11.Request), Crasher(name=b"x-id")], ids=["event", "field"]
)
def test_a_crash_on_receive_puts_the_peer_in_error(crasher: Crasher) -> None:
    conn = server(crasher, data=request_bytes(b"X-Id: 1"))
    with pytest.raises(Crash):
        conn.next_event()
    assert states(conn) == (h11.IDLE, h11.ERROR)
    with pytest.raises(h11.RemoteProtocolError):
        conn.next_event()


# ---- no plugin, no pluggy ----------------------------------------------------------------------


@contextmanager
def no_h11_hook_calls() -> Iterator[list[str]]:
    """Make every call of an h11 hook fail; pytest's own pluggy hooks still run."""
    real = pluggy.HookCaller.__call__
    called: list[str] = []

    def guarded(self: pluggy.HookCaller, **kwargs: Any) -> Any:
        if self.name.startswith("h11_"):
            called.append(self.name)
            raise AssertionError(f"{self.name} was called")
        return real(self, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pluggy.HookCaller, "__call__", guarded)
        yield called


class NoHooks:
    """A plugin without h11 hook implementations."""


def full_cycle(plugins: Any) -> None:
    """Client and server, 100-continue, chunked body with trailers, then keep-alive reuse."""
    cli = h11.Connection(h11.CLIENT, plugins=plugins)
    srv = h11.Connection(h11.SERVER, plugins=plugins)
    for _ in range(2):
        srv.receive_data(
            cli.send(get(("Expect", "100-continue"), ("Transfer-Encoding", "chunked")))
        )
        assert type(srv.next_event()) is h11.Request
        cli.receive_data(srv.send(h11.InformationalResponse(status_code=100, headers=[])))
        assert type(cli.next_event()) is h11.InformationalResponse
        srv.receive_data(cli.send(h11.Data(data=b"abc")))
        srv.receive_data(cli.send(h11.EndOfMessage(headers=[("X-Sum", "3")])))
        assert [type(e) for e in next_events(srv)] == [
            h11.Data,
            h11.EndOfMessage,
            type(h11.NEED_DATA),
        ]
        cli.receive_data(srv.send(h11.Response(status_code=200, headers=[])))
        cli.receive_data(srv.send(h11.Data(data=b"ok")))
        cli.receive_data(srv.send(h11.EndOfMessage()))
        assert [type(e) for e in next_events(cli)][:-1] == [
            h11.Response,
            h11.Data,
            h11.EndOfMessage,
        ]
        cli.start_next_cycle()
        srv.start_next_cycle()


@pytest.mark.parametrize(
    "make",
    [lambda: None, list, make_plugin_manager, lambda: [NoHooks()]],
    ids=["None", "empty-list", "manager-without-impls", "plugin-without-impls"],
)
def test_no_hook_impl_means_no_pluggy_call(make: Any) -> None:
    plugins = make()
    with no_h11_hook_calls() as called:
        full_cycle(plugins)
    assert called == []


def test_the_guard_notices_a_hook_call() -> None:
    """Control for the test above: with an impl registered, the guard trips."""
    plugins = [Fields()]
    with no_h11_hook_calls() as called, pytest.raises(AssertionError, match="was called"):
        full_cycle(plugins)
    assert called == ["h11_validate_header"]


def _run_python(code: str) -> str:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def test_import_h11_and_a_plugin_free_conversation_never_load_pluggy() -> None:
    out = _run_python(
        "import sys, h11_connection as h11\n"
        "c = h11.Connection(h11.CLIENT)\n"
        "c.send(h11.Request(method='GET', target='/', headers=[('Host', 'a')]))\n"
        "print('pluggy' in sys.modules)\n"
    )
    assert out == "False"


def test_hookimpl_loads_pluggy_on_first_use() -> None:
    out = _run_python(
        "import sys, h11_connection as h11, h11_parser\n"
        "marker = h11.hookimpl\n"
        "print('pluggy' in sys.modules, marker is h11_parser.hookimpl)\n"
        "from h11_connection import *\n"
        "print(hookimpl is marker)\n"
    )
    assert out.split() == ["True", "True", "True"]
    assert isinstance(h11.hookimpl, pluggy.HookimplMarker)


def test_unknown_attribute_of_h11_is_attribute_error() -> None:
    with pytest.raises(AttributeError):
        h11.no_such_name  # type: ignore[attr-defined]  # noqa: B018
