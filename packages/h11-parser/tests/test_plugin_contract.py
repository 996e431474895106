"""The plugin contract (h11_parser.hookspecs), beyond what test_plugins.py covers.

Registration (markers, sequences, managers, entry points), firstresult and
hook wrappers, exceptions from plugins, and the promise that without plugins
nothing of pluggy runs per event.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pluggy
import pytest
from h11_events import (
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import (
    RequestParser,
    RequestWriter,
    ResponseParser,
    ResponseWriter,
    hookimpl,
    hookspecs,
    make_plugin_manager,
)
from hypothesis import given
from hypothesis import strategies as st
from parser_support import drain, request_head

POST = request_head(b"Transfer-Encoding: chunked", method=b"POST")
POST += b"3\r\nabc\r\n0\r\nX-Sum: 3\r\n\r\n"


class Veto:
    """Refuses every field whose name is ``name`` and every event of type ``kind``."""

    def __init__(self, name: bytes = b"", kind: type[Any] | None = None) -> None:
        self.name = name
        self.kind = kind
        self.seen: list[Any] = []

    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        self.seen.append(name)
        return f"no {name.decode()}" if name == self.name else None

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
        self.seen.append(type(event))
        return f"no {type(event).__name__}" if type(event) is self.kind else None


def parse_all(parser: RequestParser | ResponseParser, data: bytes) -> list[Any]:
    parser.feed(data)
    return drain(parser)


# ---- markers and registration ------------------------------------------------------------------


def test_a_plain_pluggy_marker_for_h11_works() -> None:
    mark = pluggy.HookimplMarker("h11")

    class Plain:
        @mark
        def h11_validate_header(
            self, name: bytes, value: bytes, event_type: type[Any], direction: str
        ) -> str | None:
            return "plain says no" if name == b"host" else None

    with pytest.raises(RemoteProtocolError, match="plain says no"):
        parse_all(RequestParser(plugins=[Plain()]), request_head())


def test_a_marker_of_another_project_is_refused() -> None:
    """Ignoring it would silently switch the check off."""
    mark = pluggy.HookimplMarker("not-h11")

    class Foreign:
        @mark
        def h11_validate_header(
            self, name: bytes, value: bytes, event_type: type[Any], direction: str
        ) -> str | None:
            return "foreign says no"

    with pytest.raises(pluggy.PluginValidationError, match="without the h11 hookimpl marker"):
        RequestParser(plugins=[Foreign()])


def test_plugins_may_be_a_tuple_or_a_generator() -> None:
    for plugins in ((Veto(b"host"),), (p for p in [Veto(b"host")])):
        with pytest.raises(RemoteProtocolError, match="no host"):
            parse_all(RequestParser(plugins=plugins), request_head())


def test_make_plugin_manager_registers_with_specs() -> None:
    plugin = Veto()
    manager = make_plugin_manager(plugin)
    assert manager.project_name == "h11"
    assert manager.is_registered(plugin)
    assert manager.hook.h11_validate_header.spec is not None
    assert manager.hook.h11_dispatch_event.spec is not None
    parse_all(RequestParser(plugins=manager), request_head())
    assert b"host" in plugin.seen


def test_both_hooks_are_firstresult() -> None:
    manager = make_plugin_manager()
    for caller in (manager.hook.h11_validate_header, manager.hook.h11_dispatch_event):
        assert caller.spec is not None
        assert caller.spec.opts["firstresult"] is True


def test_impl_with_a_wrong_argument_is_refused_at_registration() -> None:
    class Typo:
        @hookimpl
        def h11_dispatch_event(self, event: Any, directon: str) -> None:
            return None

    with pytest.raises(pluggy.PluginValidationError):
        make_plugin_manager(Typo())
    with pytest.raises(pluggy.PluginValidationError):
        RequestParser(plugins=[Typo()])


def test_hooks_are_resolved_when_the_parser_is_made() -> None:
    """Documented: a plugin registered on the manager afterwards is not seen."""
    manager = make_plugin_manager()
    parser = RequestParser(plugins=manager)
    manager.register(Veto(b"host"))
    assert [type(e) for e in parse_all(parser, request_head())][:2] == [Request, EndOfMessage]
    later = RequestParser(plugins=manager)
    with pytest.raises(RemoteProtocolError, match="no host"):
        parse_all(later, request_head())


# ---- firstresult -------------------------------------------------------------------------------


def test_a_veto_stops_the_later_dispatch_impls() -> None:
    # pluggy calls the most recently registered impl first.
    first_called, vetoing = Veto(), Veto(kind=Request)
    with pytest.raises(RemoteProtocolError, match="no Request"):
        parse_all(RequestParser(plugins=[first_called, vetoing]), request_head())
    assert vetoing.seen == [b"host", Request]
    assert first_called.seen == [b"host"]


def test_none_lets_every_impl_run() -> None:
    one, two = Veto(), Veto()
    parse_all(RequestParser(plugins=[one, two]), request_head())
    assert one.seen == two.seen == [b"host", Request, EndOfMessage]


def test_the_reason_is_the_whole_message() -> None:
    class Reason:
        @hookimpl
        def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
            return "exactly this"

    with pytest.raises(RemoteProtocolError) as info:
        parse_all(RequestParser(plugins=[Reason()]), request_head())
    assert str(info.value) == "exactly this"
    assert info.value.error_status_hint == 400
    with pytest.raises(LocalProtocolError) as sent:
        RequestWriter(plugins=[Reason()]).send(
            Request(method="GET", target="/", headers=[("Host", "a")])
        )
    assert str(sent.value) == "exactly this"


# ---- hook wrappers -----------------------------------------------------------------------------


class Observer:
    """A wrapper that records what the other impls decided and changes nothing."""

    def __init__(self) -> None:
        self.results: list[Any] = []

    @hookimpl(wrapper=True)
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> Generator[None, str | None, str | None]:
        result = yield
        self.results.append((name, result))
        return result


class Pardon:
    """A wrapper that overrides a veto of ``name`` (and only of it)."""

    def __init__(self, name: bytes) -> None:
        self.name = name

    @hookimpl(wrapper=True)
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> Generator[None, str | None, str | None]:
        result = yield
        return None if name == self.name else result


class Condemn:
    """A wrapper that vetoes ``kind`` although every impl accepted it."""

    def __init__(self, kind: type[Any]) -> None:
        self.kind = kind

    @hookimpl(wrapper=True)
    def h11_dispatch_event(
        self, event: Any, direction: str, source: Any
    ) -> Generator[None, str | None, str | None]:
        result = yield
        if result is None and type(event) is self.kind:
            return "the wrapper says no"
        return result


def test_wrapper_observes_the_veto_of_another_impl() -> None:
    observer = Observer()
    parser = RequestParser(plugins=[Veto(b"x-sum"), observer])
    with pytest.raises(RemoteProtocolError, match="no x-sum"):
        parse_all(parser, POST)
    assert observer.results == [
        (b"host", None),
        (b"transfer-encoding", None),
        (b"x-sum", "no x-sum"),
    ]


def test_wrapper_overriding_a_veto_lets_the_field_pass() -> None:
    parser = RequestParser(plugins=[Veto(b"x-sum"), Pardon(b"x-sum")])
    events = parse_all(parser, POST)
    assert events[-2] == EndOfMessage(headers=[(b"X-Sum", b"3")])


def test_wrapper_override_is_limited_to_what_it_chooses() -> None:
    parser = RequestParser(plugins=[Veto(b"host"), Pardon(b"x-sum")])
    with pytest.raises(RemoteProtocolError, match="no host"):
        parse_all(parser, POST)


def test_wrapper_alone_can_veto() -> None:
    parser = RequestParser(plugins=[Condemn(Data)])
    with pytest.raises(RemoteProtocolError, match="the wrapper says no"):
        parse_all(parser, POST)
    writer = ResponseWriter(plugins=[Condemn(EndOfMessage)])
    writer.send(Response(status_code=200, headers=[(b"Content-Length", b"0")]))
    with pytest.raises(LocalProtocolError, match="the wrapper says no"):
        writer.send(EndOfMessage())


def test_old_style_hookwrapper_observes_too() -> None:
    seen: list[Any] = []

    class Legacy:
        @hookimpl(hookwrapper=True)
        def h11_dispatch_event(
            self, event: Any, direction: str, source: Any
        ) -> Generator[None, pluggy.Result[str | None], None]:
            outcome = yield
            seen.append((type(event), outcome.get_result()))

    with pytest.raises(RemoteProtocolError):
        parse_all(RequestParser(plugins=[Veto(kind=EndOfMessage), Legacy()]), request_head())
    assert seen == [(Request, None), (EndOfMessage, "no EndOfMessage")]


# ---- exceptions from plugins -------------------------------------------------------------------


class Crash(Exception):
    """Not a ProtocolError: must come out of the library unchanged."""


class Crasher:
    def __init__(self, kind: type[Any] | None = None, name: bytes = b"") -> None:
        self.kind = kind
        self.name = name
        self.raised: list[Crash] = []

    def _crash(self) -> None:
        error = Crash("plugin bug")
        self.raised.append(error)
        raise error

    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        if name == self.name:
            self._crash()
        return None

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
        if type(event) is self.kind:
            self._crash()
        return None


@pytest.mark.parametrize(
    "crasher", [Crasher(kind=Request), Crasher(kind=Data), Crasher(name=b"x-sum")]
)
def test_other_exceptions_propagate_unchanged_from_parsers(crasher: Crasher) -> None:
    parser = RequestParser(plugins=[crasher])
    parser.feed(POST)
    with pytest.raises(Crash) as info:
        drain(parser)
    assert info.value is crasher.raised[0]


@pytest.mark.parametrize("crasher", [Crasher(kind=Request), Crasher(name=b"host")])
def test_parser_stays_failed_after_a_plugin_crash(crasher: Crasher) -> None:
    parser = RequestParser(plugins=[crasher])
    parser.feed(request_head())
    with pytest.raises(Crash):
        parser.next_event()
    crasher.kind, crasher.name = None, b""  # the plugin would not fail again
    with pytest.raises((Crash, RemoteProtocolError)):
        parser.next_event()


def test_other_exceptions_propagate_unchanged_from_writers() -> None:
    crasher = Crasher(name=b"server")
    writer = ResponseWriter(plugins=[crasher])
    with pytest.raises(Crash) as info:
        writer.send(Response(status_code=200, headers=[(b"Server", b"x")]))
    assert info.value is crasher.raised[0]


def test_protocol_error_raised_on_send_keeps_its_hint() -> None:
    class Chooser:
        @hookimpl
        def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
            raise LocalProtocolError("pick me", 418)

    with pytest.raises(LocalProtocolError) as info:
        RequestWriter(plugins=[Chooser()]).send(
            Request(method="GET", target="/", headers=[("Host", "a")])
        )
    assert info.value.error_status_hint == 418


# ---- what the hooks are shown ------------------------------------------------------------------

NAMES = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!#$%&'*+.^`|~",
    min_size=1,
    max_size=12,
)
VALUES = st.text("abcdefghijklmnopqrstuvwxyz0123456789 ;=/\t", max_size=20)


@given(st.lists(st.tuples(NAMES, VALUES), max_size=8))
def test_validate_sees_each_received_field_as_the_event_holds_it(
    fields: list[tuple[str, str]],
) -> None:
    fields = [
        (n, v)
        for n, v in fields
        if n.lower() not in ("host", "content-length", "transfer-encoding")
    ]
    lines = [f"{name}: {value}".encode() for name, value in fields]
    seen: list[tuple[bytes, bytes]] = []

    class Recorder:
        @hookimpl
        def h11_validate_header(
            self, name: bytes, value: bytes, event_type: type[Any], direction: str
        ) -> str | None:
            assert event_type is Request
            assert direction == "receive"
            seen.append((name, value))
            return None

    events = parse_all(RequestParser(plugins=[Recorder()]), request_head(*lines))
    assert type(events[0]) is Request
    assert seen == list(events[0].headers)
    assert all(name == name.lower() for name, _ in seen)


@given(st.lists(st.tuples(NAMES, VALUES), max_size=8))
def test_validate_sees_each_sent_field_as_the_event_holds_it(
    fields: list[tuple[str, str]],
) -> None:
    seen: list[tuple[bytes, bytes, type[Any]]] = []

    class Recorder:
        @hookimpl
        def h11_validate_header(
            self, name: bytes, value: bytes, event_type: type[Any], direction: str
        ) -> str | None:
            assert direction == "send"
            seen.append((name, value, event_type))
            return None

    event = InformationalResponse(status_code=103, headers=fields)
    ResponseWriter(plugins=[Recorder()]).send(event)
    assert seen == [(n, v, InformationalResponse) for n, v in event.headers]


# ---- entry points ------------------------------------------------------------------------------

PLUGIN_MODULE = """
from h11_parser import hookimpl

LOADED = []


@hookimpl
def h11_validate_header(name, value, event_type, direction):
    LOADED.append(name)
    return "refused by the installed plugin" if name == b"x-evil" else None
"""


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A real (importlib.metadata visible) distribution advertising one "h11" entry point.

    Its module name is unique per test, so whether it was imported is observable.
    """
    module = f"h9_epplugin_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{module}.py").write_text(PLUGIN_MODULE)
    info = tmp_path / "h9_epplugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: h9-epplugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        f"[h11]\nevil_guard = {module}\n\n[not_h11]\nother = {module}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)
    return module


def test_entrypoints_true_loads_the_advertised_plugin(installed_plugin: str) -> None:
    manager = make_plugin_manager(entrypoints=True)
    plugin = manager.get_plugin("evil_guard")
    assert plugin is sys.modules[installed_plugin]
    # Whatever else is installed, this plugin came from the test distribution.
    assert (plugin, "h9-epplugin") in [
        (loaded, dist.metadata["Name"]) for loaded, dist in manager.list_plugin_distinfo()
    ]
    assert manager.get_plugin("other") is None
    with pytest.raises(RemoteProtocolError, match="refused by the installed plugin"):
        parse_all(RequestParser(plugins=manager), request_head(b"X-Evil: 1"))
    assert plugin.LOADED == [b"host", b"x-evil"]


def test_entrypoints_and_explicit_plugins_combine(installed_plugin: str) -> None:
    mine = Veto()
    manager = make_plugin_manager(mine, entrypoints=True)
    assert manager.is_registered(mine)
    assert manager.get_plugin("evil_guard") is not None


def test_entry_points_are_not_loaded_unless_asked(installed_plugin: str) -> None:
    manager = make_plugin_manager(Veto())
    assert manager.get_plugin("evil_guard") is None
    for parser in (
        RequestParser(plugins=manager),
        RequestParser(plugins=[Veto()]),
        RequestParser(plugins=[]),
        RequestParser(),
    ):
        events = parse_all(parser, request_head(b"X-Evil: 1"))
        assert type(events[0]) is Request
    RequestWriter(plugins=[Veto()]).send(
        Request(method="GET", target="/", headers=[("Host", "a"), ("X-Evil", "1")])
    )
    assert installed_plugin not in sys.modules


# ---- no plugin, no pluggy ----------------------------------------------------------------------


@contextmanager
def no_h11_hook_calls() -> Iterator[list[str]]:
    """Make every call of an h11 hook fail (pytest's own hooks, also pluggy, still run)."""
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
    """A registered plugin without any h11 hook implementation."""

    def unrelated(self) -> None:
        return None


def full_exchange(plugins: Any) -> None:
    """Parse and write a request and a response with a body and trailers, both ways."""
    request = [
        Request(
            method="POST", target="/", headers=[("Host", "a"), ("Transfer-Encoding", "chunked")]
        ),
        Data(data=b"abc"),
        EndOfMessage(headers=[("X-Sum", "3")]),
    ]
    response = [
        InformationalResponse(status_code=100, headers=[]),
        Response(status_code=200, headers=[("Content-Length", "2")]),
        Data(data=b"ok"),
        EndOfMessage(),
    ]
    request_writer, response_writer = (
        RequestWriter(plugins=plugins),
        ResponseWriter(plugins=plugins),
    )
    wire_request = b"".join(request_writer.send(e) for e in request)
    wire_response = b"".join(response_writer.send(e) for e in response)
    got_request = parse_all(RequestParser(plugins=plugins), wire_request)
    got_response = parse_all(ResponseParser(plugins=plugins), wire_response)
    chunk = Data(data=b"abc", chunk_start=True, chunk_end=True)
    assert got_request[:-1] == [request[0], chunk, request[2]]
    assert got_response[:-1] == response


@pytest.mark.parametrize(
    "make",
    [
        lambda: None,
        list,
        lambda: (),
        make_plugin_manager,
        lambda: make_plugin_manager(NoHooks()),
        lambda: [NoHooks()],
    ],
    ids=["None", "list", "tuple", "manager", "manager-no-impls", "plugin-no-impls"],
)
def test_no_hook_impl_means_no_pluggy_call(make: Any) -> None:
    plugins = make()
    with no_h11_hook_calls() as called:
        full_exchange(plugins)
    assert called == []


def test_the_patched_hook_caller_would_notice_a_call() -> None:
    """The control for the test above: with an impl the patch does fire."""
    plugins = [Veto()]
    with no_h11_hook_calls() as called, pytest.raises(AssertionError, match="was called"):
        full_exchange(plugins)
    assert called


def test_hookspecs_module_is_the_spec_source() -> None:
    assert hookspecs.PROJECT_NAME == "h11"
    assert hookimpl is hookspecs.hookimpl


def test_parsing_without_plugins_never_imports_pluggy() -> None:
    import subprocess

    code = (
        "import sys, h11_parser\n"
        "p = h11_parser.RequestParser()\n"
        "p.feed(b'GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n')\n"
        "events = list(p)\n"
        "w = h11_parser.ResponseWriter()\n"
        "print(len(events), 'pluggy' in sys.modules, end=' ')\n"
        "h11_parser.hookimpl\n"
        "print('pluggy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["2", "False", "True"]


def test_unknown_attribute_of_h11_parser_is_attribute_error() -> None:
    import h11_parser

    with pytest.raises(AttributeError):
        h11_parser.no_such_name  # noqa: B018
