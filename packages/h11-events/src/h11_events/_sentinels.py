"""Sentinel values: singletons that are their own type, as h11 defines them.

``type(NEED_DATA) is NEED_DATA`` holds, so code written for h11 that compares
either the value or its type keeps working, and ``repr`` is just the name.

Each sentinel is written as a ``class`` statement (not a call), so that type
checkers see a class: ``type[NEED_DATA]`` is the type of the value
``NEED_DATA``, and annotations such as httpcore's
``Union[h11.Event, Type[h11.PAUSED]]`` check against this package.
"""

from __future__ import annotations

from typing import Any


class Sentinel(type):
    """Metaclass of every sentinel; a sentinel is a class whose class is itself.

    Define one as ``class NAME(Sentinel, metaclass=Sentinel)`` with the
    ``__module__`` it is importable from (pickling looks it up there).
    """

    def __new__(
        cls: type[Sentinel],
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        **kwds: Any,
    ) -> Sentinel:
        if bases != (Sentinel,):
            raise TypeError("a sentinel is defined as `class NAME(Sentinel, metaclass=Sentinel)`")
        made = super().__new__(cls, name, bases, namespace, **kwds)
        made.__class__ = made  # type: ignore[assignment]
        return made

    def __repr__(self) -> str:
        return self.__name__

    def __reduce__(self) -> str:
        # Pickle by name so a sentinel stays a singleton across pickling.
        return self.__name__


def make_sentinel(name: str, module: str) -> Sentinel:
    """Create the sentinel ``name`` that pickles as ``module.name``.

    For sentinels made at run time; type checkers only know those written as
    ``class`` statements (as NEED_DATA and PAUSED are).
    """
    return Sentinel(name, (Sentinel,), {"__module__": module})


class NEED_DATA(Sentinel, metaclass=Sentinel):
    """Returned by ``next_event()`` when more bytes are needed to make progress."""

    __module__ = "h11_events"


class PAUSED(Sentinel, metaclass=Sentinel):
    """Returned by ``next_event()`` when no more events can come until the caller
    acts (starts the next cycle, or takes over after a protocol switch)."""

    __module__ = "h11_events"
