"""Sentinel values: singletons that are their own type, as h11 defines them.

``type(NEED_DATA) is NEED_DATA`` holds, so code written for h11 that compares
either the value or its type keeps working, and ``repr`` is just the name.
"""

from __future__ import annotations

from typing import Any


class Sentinel(type):
    """Metaclass of every sentinel; a sentinel is a class whose class is itself."""

    def __new__(
        cls: type[Sentinel],
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        **kwds: Any,
    ) -> Sentinel:
        if bases != (Sentinel,):
            raise TypeError("sentinels are made with make_sentinel()")
        made = super().__new__(cls, name, bases, namespace, **kwds)
        made.__class__ = made  # type: ignore[assignment]
        return made

    def __repr__(self) -> str:
        return self.__name__

    def __reduce__(self) -> str:
        # Pickle by name so a sentinel stays a singleton across pickling.
        return self.__name__


def make_sentinel(name: str, module: str) -> Sentinel:
    """Create the sentinel ``name`` that pickles as ``module.name``."""
    return Sentinel(name, (Sentinel,), {"__module__": module})


#: Returned by ``next_event()`` when more bytes are needed to make progress.
NEED_DATA = make_sentinel("NEED_DATA", "h11_events")
#: Returned by ``next_event()`` when no more events can come until the caller
#: acts (starts the next cycle, or takes over after a protocol switch).
PAUSED = make_sentinel("PAUSED", "h11_events")
