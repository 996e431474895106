"""Plugin mistakes and plugin errors inside ``h11.Connection``.

Wiring mistakes fail when the Connection is made; whatever ProtocolError a
plugin raises comes out as RemoteProtocolError on receive and LocalProtocolError
on send, with its status hint, exactly as from the standalone parser and writer.
"""

from __future__ import annotations

import inspect
import pydoc
from typing import Any

import h11_connection as h11
import pluggy
import pytest
from conn_support import next_events
from h11_parser import RequestParser, hookimpl, make_plugin_manager
from h11_parser.example_plugins import MethodAllowList

pytestmark = pytest.mark.ours_only  # PyPI h11 has no plugins

GET = b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"


class Raises:
    """Raises ``error`` from one hook (``"validate"`` or ``"dispatch"``)."""

    def __init__(self, error: Exception, hook: str) -> None:
        self.error = error
        self.hook = hook

    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        if self.hook == "validate":
            raise self.error
        return None

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
        if self.hook == "dispatch":
            raise self.error
        return None


RAISED = [
    (h11.LocalProtocolError("local no", 403), 403),
    (h11.RemoteProtocolError("remote no", 451), 451),
    (h11.LocalProtocolError("default hint"), 400),
]


@pytest.mark.parametrize("hook", ["validate", "dispatch"])
@pytest.mark.parametrize(("error", "hint"), RAISED, ids=repr)
def test_receive_gives_remote_protocol_error_like_the_parser(
    error: Exception, hint: int, hook: str
) -> None:
    conn = h11.Connection(h11.SERVER, plugins=[Raises(error, hook)])
    conn.receive_data(GET)
    with pytest.raises(h11.RemoteProtocolError) as from_connection:
        next_events(conn)
    assert conn.their_state is h11.ERROR
    parser = RequestParser(plugins=[Raises(error, hook)])
    parser.feed(GET)
    with pytest.raises(h11.RemoteProtocolError) as from_parser:
        list(parser)
    for got in (from_connection.value, from_parser.value):
        assert type(got) is h11.RemoteProtocolError
        assert str(got) == str(error)
        assert got.error_status_hint == hint


@pytest.mark.parametrize("hook", ["validate", "dispatch"])
@pytest.mark.parametrize(("error", "hint"), RAISED, ids=repr)
def test_send_gives_local_protocol_error(error: Exception, hint: int, hook: str) -> None:
    conn = h11.Connection(h11.CLIENT, plugins=[Raises(error, hook)])
    with pytest.raises(h11.LocalProtocolError) as info:
        conn.send(h11.Request(method="GET", target="/", headers=[("Host", "example")]))
    assert type(info.value) is h11.LocalProtocolError
    assert str(info.value) == str(error)
    assert info.value.error_status_hint == hint
    assert conn.our_state is h11.ERROR


class RefusesResponses:
    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
        if type(event) is h11.Response:
            raise h11.LocalProtocolError("no thanks", 502)
        return None


def test_a_refusal_on_a_response_received_by_a_client() -> None:
    conn = h11.Connection(h11.CLIENT, plugins=[RefusesResponses()])
    conn.send(h11.Request(method="GET", target="/", headers=[("Host", "example")]))
    conn.send(h11.EndOfMessage())
    conn.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError, match="no thanks") as info:
        conn.next_event()
    assert info.value.error_status_hint == 502
    assert conn.their_state is h11.ERROR


class Unmarked:
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
        return "never called"


class Misspelt:
    @hookimpl
    def h11_validate_headers(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        return "never called"


class ReturnsTrue:
    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> Any:
        return True


@pytest.mark.parametrize("role", [h11.CLIENT, h11.SERVER])
def test_wiring_mistakes_fail_when_the_connection_is_made(role: Any) -> None:
    with pytest.raises(pluggy.PluginValidationError, match=r"Unmarked object.*without the h11"):
        h11.Connection(role, plugins=[Unmarked()])
    with pytest.raises(pluggy.PluginValidationError, match="did you mean h11_validate_header"):
        h11.Connection(role, plugins=[Misspelt()])
    with pytest.raises(pluggy.PluginValidationError, match="pass an instance"):
        h11.Connection(role, plugins=[MethodAllowList])
    with pytest.raises(TypeError, match="register them on the manager"):
        h11.Connection(role, plugins=[make_plugin_manager(), MethodAllowList([b"GET"])])
    with pytest.raises(TypeError, match=r"plugins=\[plugin\]"):
        h11.Connection(role, plugins=MethodAllowList([b"GET"]))  # type: ignore[arg-type]


def test_a_manager_in_the_list_is_the_manager() -> None:
    manager = make_plugin_manager(MethodAllowList([b"GET"]))
    conn = h11.Connection(h11.SERVER, plugins=[manager])
    conn.receive_data(b"DELETE / HTTP/1.1\r\nHost: example\r\n\r\n")
    with pytest.raises(h11.RemoteProtocolError) as info:
        conn.next_event()
    assert info.value.error_status_hint == 405


def test_a_hook_returning_true_is_a_type_error_naming_the_plugin() -> None:
    conn = h11.Connection(h11.SERVER, plugins=[ReturnsTrue()])
    conn.receive_data(GET)
    with pytest.raises(TypeError, match=r"ReturnsTrue object> returned True \(bool\)"):
        conn.next_event()
    assert conn.their_state is h11.ERROR
    client = h11.Connection(h11.CLIENT, plugins=[ReturnsTrue()])
    with pytest.raises(TypeError, match="returned True"):
        client.send(h11.Request(method="GET", target="/", headers=[("Host", "example")]))
    assert client.our_state is h11.ERROR


def test_registration_after_construction_reaches_later_connections_only() -> None:
    manager = make_plugin_manager()
    before = h11.Connection(h11.SERVER, plugins=manager)
    manager.register(MethodAllowList([b"GET"]))
    after = h11.Connection(h11.SERVER, plugins=manager)
    delete = b"DELETE / HTTP/1.1\r\nHost: example\r\n\r\n"
    before.receive_data(delete)
    after.receive_data(delete)
    assert type(before.next_event()) is h11.Request
    with pytest.raises(h11.RemoteProtocolError, match="not allowed"):
        after.next_event()


def test_help_of_connection_names_every_parameter() -> None:
    text = pydoc.render_doc(h11.Connection, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    for name in inspect.signature(h11.Connection).parameters:
        assert f":param {name}:" in text, name
