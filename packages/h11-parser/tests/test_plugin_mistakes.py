"""Plugin wiring mistakes fail at once, naming the plugin and the fix.

Each of these would otherwise switch the plugin's check off without any error. Also:
what a plugin raises comes out as the error class of the direction.
"""

from __future__ import annotations

import inspect
import pydoc
import types
from typing import Any

import pluggy
import pytest
from h11_events import LocalProtocolError, RemoteProtocolError, Request, Response
from h11_parser import (
    RequestParser,
    RequestWriter,
    ResponseParser,
    ResponseWriter,
    example_plugins,
    hookimpl,
    hookspecs,
    make_plugin_manager,
)
from h11_parser.example_plugins import MethodAllowList, RejectUnderscoreHeaders
from parser_support import drain, request_head

MAKERS = {
    "RequestParser": lambda plugins: RequestParser(plugins=plugins),
    "ResponseParser": lambda plugins: ResponseParser(plugins=plugins),
    "RequestWriter": lambda plugins: RequestWriter(plugins=plugins),
    "ResponseWriter": lambda plugins: ResponseWriter(plugins=plugins),
}


@pytest.fixture(params=list(MAKERS))
def make(request: pytest.FixtureRequest) -> Any:
    return MAKERS[request.param]


class Unmarked:
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        return "never called"


class Misspelt:
    @hookimpl
    def h11_validate_headers(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        return "never called"


class MisspeltUnmarked:
    def h11_dispatch_events(self, event: Any, direction: str, source: Any) -> str | None:
        return "never called"


class Unknown:
    @hookimpl
    def h11_on_request(self, event: Any) -> None:
        return None


# ---- wiring mistakes ---------------------------------------------------------------------------


def test_a_hook_without_the_marker_is_refused(make: Any) -> None:
    with pytest.raises(pluggy.PluginValidationError) as info:
        make([Unmarked()])
    message = str(info.value)
    assert "test_plugin_mistakes.Unmarked object" in message
    assert "h11_validate_header without the h11 hookimpl marker" in message
    assert "@h11_parser.hookimpl" in message  # what a parser-only user has


def test_a_misspelt_hook_is_refused_with_the_right_name(make: Any) -> None:
    with pytest.raises(pluggy.PluginValidationError) as info:
        make([Misspelt()])
    message = str(info.value)
    assert "Misspelt object" in message
    assert "h11_validate_headers, which is not an h11 hook" in message
    assert "did you mean h11_validate_header?" in message


def test_a_misspelt_hook_without_marker_is_refused_too(make: Any) -> None:
    with pytest.raises(pluggy.PluginValidationError, match="did you mean h11_dispatch_event"):
        make([MisspeltUnmarked()])


def test_an_unknown_hook_lists_the_hooks(make: Any) -> None:
    with pytest.raises(
        pluggy.PluginValidationError,
        match="h11_on_request, which is not an h11 hook: the hooks are "
        "h11_validate_header, h11_dispatch_event",
    ):
        make([Unknown()])


def test_an_optional_unknown_hook_is_allowed() -> None:
    class Optional:
        @hookimpl(optionalhook=True)
        def h11_from_the_future(self) -> None:
            return None

    RequestParser(plugins=[Optional()])


def test_a_module_plugin_is_checked_by_name() -> None:
    module = types.ModuleType("my_h11_plugin")
    module.h11_dispatch_event = lambda event, direction, source: None  # type: ignore[attr-defined]
    with pytest.raises(pluggy.PluginValidationError, match="module my_h11_plugin defines"):
        RequestParser(plugins=[module])


def test_non_callable_h11_attributes_are_not_hooks() -> None:
    class Settings:
        h11_version = "1"

    RequestParser(plugins=[Settings()])


def test_a_plugin_class_instead_of_an_instance_is_refused(make: Any) -> None:
    with pytest.raises(pluggy.PluginValidationError) as info:
        make([RejectUnderscoreHeaders])
    message = str(info.value)
    assert "class h11_parser.example_plugins.RejectUnderscoreHeaders" in message
    assert "pass an instance, plugins=[RejectUnderscoreHeaders(...)]" in message


def test_a_class_of_static_hooks_may_be_the_plugin() -> None:
    class Static:
        @staticmethod
        @hookimpl
        def h11_validate_header(
            name: bytes, value: bytes, event_type: type[Any], direction: str
        ) -> str | None:
            return "static says no" if name == b"host" else None

    parser = RequestParser(plugins=[Static])
    parser.feed(request_head())
    with pytest.raises(RemoteProtocolError, match="static says no"):
        drain(parser)


def test_make_plugin_manager_checks_its_plugins() -> None:
    with pytest.raises(pluggy.PluginValidationError, match="Unmarked object"):
        make_plugin_manager(Unmarked())


def test_a_manager_inside_the_list_is_used_as_the_manager(make: Any) -> None:
    manager = make_plugin_manager(MethodAllowList([b"GET"]))
    parser = RequestParser(plugins=[manager])
    parser.feed(request_head(method=b"DELETE"))
    with pytest.raises(RemoteProtocolError, match="not allowed") as info:
        drain(parser)
    assert info.value.error_status_hint == 405
    make([manager])  # writers accept it too


def test_a_manager_beside_other_plugins_is_refused(make: Any) -> None:
    with pytest.raises(TypeError, match=r"register them on the manager .* plugins=manager"):
        make([make_plugin_manager(), MethodAllowList([b"GET"])])


def test_make_plugin_manager_refuses_a_manager() -> None:
    with pytest.raises(TypeError, match="takes plugins, not a manager"):
        make_plugin_manager(make_plugin_manager())


def test_a_single_plugin_outside_a_list_is_refused(make: Any) -> None:
    with pytest.raises(
        TypeError, match=r"not <h11_parser.example_plugins.MethodAllowList .*plugins=\[plugin\]"
    ):
        make(MethodAllowList([b"GET"]))


def test_a_string_is_not_a_list_of_plugins(make: Any) -> None:
    with pytest.raises(TypeError, match="takes a list of plugins or a plugin manager"):
        make("h11_parser.example_plugins")


def test_a_manager_of_another_project_is_refused(make: Any) -> None:
    with pytest.raises(ValueError, match=r"project 'pytest'.*make_plugin_manager"):
        make(pluggy.PluginManager("pytest"))


def test_a_manager_without_the_specs_is_refused(make: Any) -> None:
    with pytest.raises(ValueError, match=r"no spec for h11_validate_header.*add_hookspecs"):
        make(pluggy.PluginManager("h11"))


def test_a_plain_manager_with_the_specs_is_accepted_and_checked() -> None:
    manager = pluggy.PluginManager("h11")
    manager.add_hookspecs(hookspecs)
    RequestParser(plugins=manager)
    manager.register(Unmarked())  # pluggy itself does not mind
    with pytest.raises(pluggy.PluginValidationError, match="Unmarked object"):
        RequestParser(plugins=manager)


def test_a_plugin_registered_later_is_checked_by_the_next_parser() -> None:
    manager = make_plugin_manager()
    RequestParser(plugins=manager)
    manager.register(Misspelt())
    with pytest.raises(pluggy.PluginValidationError, match="did you mean"):
        RequestParser(plugins=manager)


def test_registration_after_construction_reaches_later_parsers_only() -> None:
    manager = make_plugin_manager()
    before = RequestParser(plugins=manager)
    manager.register(MethodAllowList([b"GET"]))
    after = RequestParser(plugins=manager)
    for parser in (before, after):
        parser.feed(request_head(method=b"DELETE"))
    assert type(drain(before)[0]) is Request
    with pytest.raises(RemoteProtocolError, match="not allowed"):
        drain(after)


# ---- hook results ------------------------------------------------------------------------------


class Returns:
    def __init__(self, result: object) -> None:
        self.result = result

    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> Any:
        return self.result


class DispatchReturns(Returns):
    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> Any:
        return None

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> Any:
        return self.result


@pytest.mark.parametrize("result", [True, False, 0, b"bytes reason", ["no"]])
@pytest.mark.parametrize("plugin_class", [Returns, DispatchReturns])
def test_a_result_neither_none_nor_str_is_a_type_error_on_receive(
    result: object, plugin_class: type[Returns]
) -> None:
    parser = RequestParser(plugins=[plugin_class(result)])
    parser.feed(request_head())
    with pytest.raises(TypeError) as info:
        drain(parser)
    message = str(info.value)
    assert f"returned {result!r}" in message
    assert f"test_plugin_mistakes.{plugin_class.__name__} object" in message
    assert "return None to accept, or a str giving the reason to refuse" in message


@pytest.mark.parametrize("plugin_class", [Returns, DispatchReturns])
def test_a_result_neither_none_nor_str_is_a_type_error_on_send(
    plugin_class: type[Returns],
) -> None:
    writer = ResponseWriter(plugins=[plugin_class(True)])
    with pytest.raises(TypeError, match="returned True"):
        writer.send(Response(status_code=200, headers=[(b"content-length", b"0")]))


def test_several_implementations_are_all_named_as_suspects() -> None:
    parser = RequestParser(plugins=[Returns(1), DispatchReturns(None)])
    parser.feed(request_head())
    with pytest.raises(TypeError, match=r"one of <.*Returns object>, <.*DispatchReturns object>"):
        drain(parser)


def test_a_str_subclass_is_a_reason() -> None:
    class Reason(str):
        pass

    parser = RequestParser(plugins=[Returns(Reason("special no"))])
    parser.feed(request_head())
    with pytest.raises(RemoteProtocolError, match="special no") as info:
        drain(parser)
    assert type(info.value.args[0]) is str


# ---- one error class per direction -------------------------------------------------------------


class Raises:
    def __init__(self, error: Exception, hook: str = "dispatch") -> None:
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
    (LocalProtocolError("local no", 403), 403),
    (RemoteProtocolError("remote no", 451), 451),
    (LocalProtocolError("default hint"), 400),
]


@pytest.mark.parametrize("hook", ["validate", "dispatch"])
@pytest.mark.parametrize(("error", "hint"), RAISED, ids=lambda x: repr(x))
def test_receive_raises_remote_protocol_error_with_the_hint(
    error: Exception, hint: int, hook: str
) -> None:
    for parser in (
        RequestParser(plugins=[Raises(error, hook)]),
        ResponseParser(plugins=[Raises(error, hook)]),
    ):
        if isinstance(parser, RequestParser):
            parser.feed(request_head())
        else:
            parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        with pytest.raises(RemoteProtocolError) as info:
            drain(parser)
        assert type(info.value) is RemoteProtocolError
        assert str(info.value) == str(error)
        assert info.value.error_status_hint == hint
        if type(error) is not RemoteProtocolError:
            assert info.value.__cause__ is error
        with pytest.raises(RemoteProtocolError):  # and the parser stays failed
            parser.next_event()


@pytest.mark.parametrize("hook", ["validate", "dispatch"])
@pytest.mark.parametrize(("error", "hint"), RAISED, ids=lambda x: repr(x))
def test_send_raises_local_protocol_error_with_the_hint(
    error: Exception, hint: int, hook: str
) -> None:
    writer = RequestWriter(plugins=[Raises(error, hook)])
    with pytest.raises(LocalProtocolError) as info:
        writer.send(Request(method="GET", target="/", headers=[("Host", "a")]))
    assert type(info.value) is LocalProtocolError
    assert str(info.value) == str(error)
    assert info.value.error_status_hint == hint
    if type(error) is not LocalProtocolError:
        assert info.value.__cause__ is error


def test_an_error_of_the_class_the_caller_gets_is_raised_as_it_is() -> None:
    """As the plugin guide says: no wrapping, so no ``__cause__``, when the class fits."""
    refused = RemoteProtocolError("no", 451)
    parser = RequestParser(plugins=[Raises(refused, "dispatch")])
    parser.feed(request_head())
    with pytest.raises(RemoteProtocolError) as received:
        drain(parser)
    assert received.value is refused
    assert received.value.__cause__ is None
    local = LocalProtocolError("no", 403)
    writer = RequestWriter(plugins=[Raises(local, "validate")])
    with pytest.raises(LocalProtocolError) as sent:
        writer.send(Request(method="GET", target="/", headers=[("Host", "a")]))
    assert sent.value is local
    assert sent.value.__cause__ is None


def test_a_plugin_bug_propagates_unchanged() -> None:
    bug = KeyError("plugin bug")
    parser = RequestParser(plugins=[Raises(bug)])
    parser.feed(request_head())
    with pytest.raises(KeyError) as info:
        drain(parser)
    assert info.value is bug


def test_an_h11_property_that_fails_is_not_taken_for_a_hook() -> None:
    class Lazy:
        @property
        def h11_settings(self) -> Any:
            raise RuntimeError("not configured")

    RequestParser(plugins=[Lazy()])


@pytest.mark.parametrize(
    "cls", [RequestParser, ResponseParser, RequestWriter, ResponseWriter], ids=lambda c: c.__name__
)
def test_help_names_every_parameter(cls: type) -> None:
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    for name in inspect.signature(cls).parameters:
        assert f":param {name}:" in text, name


def test_help_of_the_example_plugins_names_their_parameters() -> None:
    for name in example_plugins.__all__:
        cls = getattr(example_plugins, name)
        text = pydoc.render_doc(cls, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
        for parameter in inspect.signature(cls).parameters:
            assert f":param {parameter}:" in text, (name, parameter)


def test_an_instance_attribute_is_checked_even_when_its_class_passed() -> None:
    RequestParser(plugins=[MethodAllowList([b"GET"])])  # the class is now known good
    odd = MethodAllowList([b"GET"])
    odd.h11_validate_headers = lambda name: None  # type: ignore[attr-defined]
    with pytest.raises(pluggy.PluginValidationError, match="did you mean h11_validate_header"):
        RequestParser(plugins=[odd])
