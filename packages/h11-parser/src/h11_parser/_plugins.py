"""Plugin registration, its checks, and the zero-cost hook callers.

Which hooks have implementations is resolved once, when a parser, writer or
Connection is made: with no plugin nothing of pluggy runs per event, and
pluggy is not even imported until a plugin (or ``hookimpl``) is asked for.
A plugin registered on (or unregistered from) a manager afterwards changes the
parsers, writers and Connections made after that, never those already made.

Wiring mistakes fail when the parser, writer or Connection is made, naming the
plugin and the fix, instead of silently switching a check off: a misspelt
``h11_*`` hook, a hook method without ``@hookimpl``, a plugin class given
instead of an instance, a manager inside the ``plugins`` list beside other
plugins, a manager of another project or without the h11 hook specs. A hook
result that is neither None nor a ``str`` is a TypeError when it is returned.

A ProtocolError a plugin raises comes out as the error of the direction
(RemoteProtocolError on receive, LocalProtocolError on send) with the same
message and status hint, the plugin's error as its ``__cause__``. Any other
exception is a bug of the plugin and propagates unchanged.
"""

from __future__ import annotations

import difflib
import inspect
import types
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from h11_events import Event, LocalProtocolError, ProtocolError, RemoteProtocolError

if TYPE_CHECKING:
    import pluggy

    Plugins = pluggy.PluginManager | Iterable[object] | None

_ERROR_BY_DIRECTION: dict[str, type[ProtocolError]] = {
    "receive": RemoteProtocolError,
    "send": LocalProtocolError,
}
#: The hooks of the ``"h11"`` project (hookspecs.py defines them).
HOOK_NAMES = ("h11_validate_header", "h11_dispatch_event")
_MARKER_FIX = (
    "decorate it with @h11_parser.hookimpl (the same marker as h11.hookimpl, or "
    "pluggy.HookimplMarker('h11')); a marker of another project does not count"
)
#: Managers whose registered plugins were already checked, and which plugins those were.
_checked_managers: weakref.WeakKeyDictionary[Any, frozenset[int]] = weakref.WeakKeyDictionary()


def describe_plugin(plugin: object) -> str:
    """How messages name a plugin: its module, class or class of instance."""
    if isinstance(plugin, types.ModuleType):
        return f"module {plugin.__name__}"
    if isinstance(plugin, type):
        return f"class {plugin.__module__}.{plugin.__qualname__}"
    cls = type(plugin)
    if cls.__module__ in ("builtins", "__main__"):
        return f"<{cls.__qualname__} object>"
    return f"<{cls.__module__}.{cls.__qualname__} object>"


#: Classes whose instances passed :func:`check_plugin` (when they hold no ``h11_*`` of their own).
_checked_classes: weakref.WeakSet[type] = weakref.WeakSet()


def check_plugin(manager: pluggy.PluginManager, plugin: object) -> None:
    """Raise PluginValidationError if ``plugin`` would not do what its author meant.

    Every method whose name starts with ``h11_`` must be one of the h11 hooks
    and be marked with the h11 ``hookimpl``; a class must be given as an
    instance when its hooks are plain methods.
    """
    cls = type(plugin)
    own = getattr(plugin, "__dict__", None)
    plain_instance = not isinstance(plugin, (type, types.ModuleType)) and (
        own is None or not any(name.startswith("h11_") for name in own)
    )
    if plain_instance and cls in _checked_classes:
        return  # what is checked comes from the class alone, already checked
    _check_names(manager, plugin)
    if plain_instance:
        _checked_classes.add(cls)


def _check_names(manager: pluggy.PluginManager, plugin: object) -> None:
    import pluggy

    who = describe_plugin(plugin)
    for name in dir(plugin):
        if not name.startswith("h11_"):
            continue
        try:
            attribute = getattr(plugin, name)
        except Exception:  # a property that fails is not a hook
            continue
        if not callable(attribute):
            continue
        options = manager.parse_hookimpl_opts(plugin, name)
        if name not in HOOK_NAMES:
            if options is not None and options.get("optionalhook"):
                continue
            close = difflib.get_close_matches(name, HOOK_NAMES, n=1)
            fix = f"did you mean {close[0]}?" if close else f"the hooks are {', '.join(HOOK_NAMES)}"
            raise pluggy.PluginValidationError(
                plugin,
                f"{who} defines {name}, which is not an h11 hook: {fix}",
            )
        if options is None:
            raise pluggy.PluginValidationError(
                plugin,
                f"{who} defines {name} without the h11 hookimpl marker, so it would never "
                f"be called: {_MARKER_FIX}",
            )
        if isinstance(plugin, type) and inspect.isfunction(inspect.getattr_static(plugin, name)):
            raise pluggy.PluginValidationError(
                plugin,
                f"{who} is a class whose {name} is a method: pass an instance, "
                f"plugins=[{plugin.__qualname__}(...)]",
            )


def make_plugin_manager(*plugins: object, entrypoints: bool = False) -> pluggy.PluginManager:
    """A manager with the h11 hook specs and ``plugins`` registered.

    Each plugin is checked as it is registered (see :func:`check_plugin`); a
    plugin registered later is checked when the manager is next given to a
    parser, writer or Connection. With ``entrypoints=True`` it also loads the
    plugins advertised in the ``"h11"`` entry-point group (never loaded unless
    asked).
    """
    import pluggy

    from . import hookspecs

    manager = hookspecs._PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    for plugin in plugins:
        if isinstance(plugin, pluggy.PluginManager):
            raise TypeError(
                "make_plugin_manager() takes plugins, not a manager: pass the manager "
                "itself as plugins=, or register these plugins on it"
            )
        check_plugin(manager, plugin)
        manager.register(plugin)
    if entrypoints:
        manager.load_setuptools_entrypoints(hookspecs.PROJECT_NAME)
    return manager


def _check_manager(manager: pluggy.PluginManager) -> None:
    """Check a manager given as ``plugins=``: its project, its specs, its plugins."""
    from . import hookspecs

    if manager.project_name != hookspecs.PROJECT_NAME:
        raise ValueError(
            f"plugins= got a plugin manager of project {manager.project_name!r}: h11 "
            "plugins need one of project 'h11', made by h11_parser.make_plugin_manager()"
        )
    for name in HOOK_NAMES:
        caller = getattr(manager.hook, name, None)
        if caller is None or caller.spec is None:
            raise ValueError(
                f"the plugin manager given as plugins= has no spec for {name}: make it with "
                "h11_parser.make_plugin_manager(), or call "
                "manager.add_hookspecs(h11_parser.hookspecs)"
            )
    registered = [plugin for plugin in manager.get_plugins() if plugin is not None]
    key = frozenset(map(id, registered))
    if _checked_managers.get(manager) == key:
        return
    for plugin in registered:
        check_plugin(manager, plugin)
    _checked_managers[manager] = key


def _manager_for(plugins: object) -> pluggy.PluginManager:
    """The manager ``plugins=`` stands for, or TypeError saying how to pass plugins."""
    import pluggy

    if isinstance(plugins, pluggy.PluginManager):
        _check_manager(plugins)
        return plugins
    if isinstance(plugins, (str, bytes)) or not isinstance(plugins, Iterable):
        raise TypeError(
            f"plugins= takes a list of plugins or a plugin manager, not "
            f"{describe_plugin(plugins)}: write plugins=[plugin]"
        )
    listed = list(plugins)
    managers = [p for p in listed if isinstance(p, pluggy.PluginManager)]
    if managers:
        if len(listed) == 1:
            _check_manager(managers[0])
            return managers[0]
        raise TypeError(
            "plugins= got a plugin manager inside a list of other plugins: register "
            "them on the manager (manager.register(plugin)) and pass plugins=manager"
        )
    return make_plugin_manager(*listed)


def _bad_result(caller: Any, result: object) -> TypeError:
    """The error for a hook result that is neither None nor a reason string."""
    impls = [impl for impl in caller.get_hookimpls() if not (impl.wrapper or impl.hookwrapper)]
    names = [describe_plugin(impl.plugin) for impl in impls] or ["a hook wrapper"]
    who = names[0] if len(names) == 1 else "one of " + ", ".join(names)
    return TypeError(
        f"{caller.name} of {who} returned {result!r} ({type(result).__name__}): return None "
        "to accept, or a str giving the reason to refuse (or raise a ProtocolError to "
        "choose the status)"
    )


def _redirected(error: type[ProtocolError], raised: ProtocolError) -> ProtocolError:
    """``raised`` as the direction's error class, with its message and status hint."""
    converted = error(str(raised), raised.error_status_hint)
    converted.__cause__ = raised
    return converted


def _ask(caller: Any, error: type[ProtocolError], **arguments: object) -> None:
    """Call one hook; a reason it returns or a ProtocolError it raises becomes ``error``
    (the direction's error class), and any other result is a TypeError naming the plugin."""
    try:
        reason = caller(**arguments)
    except ProtocolError as raised:
        if isinstance(raised, error):
            raise
        raise _redirected(error, raised) from raised
    if reason is not None:
        if not isinstance(reason, str):
            raise _bad_result(caller, reason)
        raise error(str(reason))


class Hooks:
    """The hook callers one parser, writer or Connection uses."""

    __slots__ = ("_dispatch", "_validate", "source")

    def __init__(self, manager: pluggy.PluginManager, source: object) -> None:
        self.source = source
        hook = manager.hook
        self._validate = (
            hook.h11_validate_header if hook.h11_validate_header.get_hookimpls() else None
        )
        self._dispatch = (
            hook.h11_dispatch_event if hook.h11_dispatch_event.get_hookimpls() else None
        )

    @property
    def active(self) -> bool:
        return self._validate is not None or self._dispatch is not None

    def field_checker(
        self, direction: str
    ) -> Callable[[Iterable[tuple[bytes, bytes]], type[Event]], None] | None:
        """A callable checking a field list, or None when no plugin validates fields."""
        validate = self._validate
        if validate is None:
            return None
        error = _ERROR_BY_DIRECTION[direction]

        def check(fields: Iterable[tuple[bytes, bytes]], event_type: type[Event]) -> None:
            for name, value in fields:
                _ask(
                    validate,
                    error,
                    name=name,
                    value=value,
                    event_type=event_type,
                    direction=direction,
                )

        return check

    def event_checker(self, direction: str) -> Callable[[Event], None] | None:
        """A callable vetting one event, or None when no plugin watches events."""
        dispatch = self._dispatch
        if dispatch is None:
            return None
        error = _ERROR_BY_DIRECTION[direction]
        source = self.source

        def check(event: Event) -> None:
            _ask(dispatch, error, event=event, direction=direction, source=source)

        return check


def resolve_hooks(plugins: Plugins, source: object) -> Hooks | None:
    """Hooks for ``plugins`` (a manager or plugin objects), or None when there are none."""
    if plugins is None:
        return None
    hooks = Hooks(_manager_for(plugins), source)
    return hooks if hooks.active else None
