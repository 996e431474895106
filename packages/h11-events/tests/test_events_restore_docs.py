"""``restore_docs``: what a compiled build gives back to ``help()``, tested in both builds.

The compiled build's own classes are checked by the help() tests of each package; here
a module that looks compiled (its ``__file__`` is an extension beside its source) and
whose classes lost their docstrings and constructor signature, as mypyc leaves them,
gets them back from its source, in the pure build too.
"""

from __future__ import annotations

import inspect
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from h11_events._docs import restore_docs

SOURCE = '''
class Base:
    """The base.

    :param size: how many.
    """

    def __init__(self, *, size: int = 1, name: bytes = b"x") -> None:
        pass


class Child(Base):
    """A child, with its parent's constructor."""


class Positional:
    """Positional parameters."""

    def __init__(self, data: bytes, /, end: bool = False, *rest: Any, **kw: Any) -> None:
        pass


class _Private:
    """Not public: left alone."""


class NameDefault:
    """A default that is a name, not a literal."""

    def __init__(self, size: int = LIMIT) -> None:
        pass


class OnlyMethods:
    def method(self) -> None:
        """Its class has no docstring: its head is nothing but the class line."""
'''


class NoSignature:
    """Stands in for a compiled ``__init__``: inspect finds no signature for it."""

    @property
    def __signature__(self) -> Any:
        raise ValueError("no signature found for builtin")

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        pass


def looks_compiled(tmp_path: Path, *, with_source: bool = True) -> ModuleType:
    """A module whose file is an extension; its classes have mypyc's filler docstring."""
    if with_source:
        (tmp_path / "fake.py").write_text(SOURCE, encoding="utf-8")
    module = ModuleType("pkg.fake")
    module.__file__ = str(tmp_path / f"fake{EXTENSION_SUFFIXES[0]}")
    base = type("Base", (), {"__doc__": "mypyc filler docstring", "__init__": NoSignature()})
    child = type("Child", (base,), {"__doc__": "mypyc filler docstring"})
    positional = type("Positional", (), {"__doc__": None, "__init__": NoSignature()})
    private = type("_Private", (), {"__doc__": "filler"})
    methods = type("OnlyMethods", (), {"__doc__": "filler"})
    named = type("NameDefault", (), {"__doc__": "filler", "__init__": NoSignature()})
    for cls in (base, child, positional, private, methods, named):
        cls.__module__ = module.__name__
        setattr(module, cls.__name__, cls)
    return module


def test_docstrings_come_back_from_the_source(tmp_path: Path) -> None:
    module = looks_compiled(tmp_path)
    restore_docs(module)
    assert inspect.getdoc(module.Base) == "The base.\n\n:param size: how many."
    assert module.Child.__doc__ == "A child, with its parent's constructor."
    assert module._Private.__doc__ == "filler"
    assert module.OnlyMethods.__doc__ == "filler"


def test_signatures_come_back_from_the_init_in_the_mro(tmp_path: Path) -> None:
    module = looks_compiled(tmp_path)
    restore_docs(module)
    expected = "(*, size: 'int' = 1, name: 'bytes' = b'x')"
    assert str(inspect.signature(module.Base)) == expected
    assert str(inspect.signature(module.Child)) == expected
    assert str(inspect.signature(module.Positional)) == (
        "(data: 'bytes', /, end: 'bool' = False, *rest: 'Any', **kw: 'Any')"
    )


def test_a_default_that_is_no_literal_leaves_the_signature_alone(tmp_path: Path) -> None:
    module = looks_compiled(tmp_path)
    restore_docs(module)
    assert module.NameDefault.__doc__ == "A default that is a name, not a literal."
    with pytest.raises(ValueError, match="no signature"):
        inspect.signature(module.NameDefault)


def test_without_the_source_nothing_changes(tmp_path: Path) -> None:
    module = looks_compiled(tmp_path, with_source=False)
    restore_docs(module)
    assert module.Base.__doc__ == "mypyc filler docstring"
    with pytest.raises(ValueError, match="no signature"):
        inspect.signature(module.Base)


def test_pure_python_modules_are_left_alone() -> None:
    module = sys.modules[__name__]
    before = NoSignature.__doc__
    restore_docs(module)
    assert NoSignature.__doc__ == before
