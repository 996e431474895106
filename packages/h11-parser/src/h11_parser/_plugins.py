"""Plugin registration and the zero-cost hook callers.

Which hooks have implementations is resolved once, when a parser, writer or
Connection is made: with no plugin nothing of pluggy runs per event, and
pluggy is not even imported until a plugin (or ``hookimpl``) is asked for.
Plugins registered on a manager after that are not seen by it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from h11_events import Event, LocalProtocolError, ProtocolError, RemoteProtocolError

if TYPE_CHECKING:
    import pluggy

    Plugins = pluggy.PluginManager | Iterable[object] | None

_ERROR_BY_DIRECTION: dict[str, type[ProtocolError]] = {
    "receive": RemoteProtocolError,
    "send": LocalProtocolError,
}


def make_plugin_manager(*plugins: object, entrypoints: bool = False) -> pluggy.PluginManager:
    """A manager with the h11 hook specs and ``plugins`` registered.

    With ``entrypoints=True`` it also loads the plugins advertised in the
    ``"h11"`` entry-point group (never loaded unless asked).
    """
    import pluggy

    from . import hookspecs

    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    for plugin in plugins:
        manager.register(plugin)
    if entrypoints:
        manager.load_setuptools_entrypoints(hookspecs.PROJECT_NAME)
    return manager


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
                reason = validate(
                    name=name, value=value, event_type=event_type, direction=direction
                )
                if reason is not None:
                    raise error(str(reason))

        return check

    def event_checker(self, direction: str) -> Callable[[Event], None] | None:
        """A callable vetting one event, or None when no plugin watches events."""
        dispatch = self._dispatch
        if dispatch is None:
            return None
        error = _ERROR_BY_DIRECTION[direction]
        source = self.source

        def check(event: Event) -> None:
            reason = dispatch(event=event, direction=direction, source=source)
            if reason is not None:
                raise error(str(reason))

        return check


def resolve_hooks(plugins: Plugins, source: object) -> Hooks | None:
    """Hooks for ``plugins`` (a manager or plugin objects), or None when there are none."""
    if plugins is None:
        return None
    import pluggy

    manager = (
        plugins if isinstance(plugins, pluggy.PluginManager) else make_plugin_manager(*plugins)
    )
    hooks = Hooks(manager, source)
    return hooks if hooks.active else None
