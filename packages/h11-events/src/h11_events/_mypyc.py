"""What the optional compiled build (mypyc) reads from the source; plain Python always.

``mypyc_attr`` marks classes for the compiler; at run time it is mypy_extensions' own
when that is installed (it changes nothing in pure Python) and a no-op otherwise, so
h11-events needs no dependency for it.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from types import FunctionType, ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_extensions import mypyc_attr
else:

    def mypyc_attr(*attrs: Any, **kwattrs: Any) -> Any:
        return lambda cls: cls


def is_compiled(*modules: ModuleType) -> bool:
    """Whether each of ``modules`` was loaded from a compiled extension, not from source."""
    return all(str(getattr(m, "__file__", "")).endswith(tuple(EXTENSION_SUFFIXES)) for m in modules)


def function_is_compiled(function: object) -> bool:
    """Whether ``function`` was compiled: mypyc turns a module's functions into builtins,
    so a module can tell at import time which of its own fast paths to take."""
    return not isinstance(function, FunctionType)


__all__ = ["function_is_compiled", "is_compiled", "mypyc_attr"]
