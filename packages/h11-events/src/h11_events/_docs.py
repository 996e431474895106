"""The compiled build's docstrings and signatures, restored from the shipped sources.

Plain Python in both builds, and imported only by a compiled build (the packages'
``__init__`` check ``COMPILED`` first), so pure Python never loads ``ast``/``inspect``.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from ._mypyc import is_compiled

__all__ = ["restore_docs"]

#: A class statement at the top level of a module.
_CLASS_RE = re.compile(r"^class (\w+)\b", re.MULTILINE)
#: Where a class's head ends: the next top-level line.
_TOP_LEVEL_RE = re.compile(r"^\S", re.MULTILINE)
#: What comes after the docstring, fields and ``__init__``: a decorator or another method.
_REST_OF_BODY_RE = re.compile(r"^    (?:@|def (?!__init__\b))", re.MULTILINE)
#: The signature of ``__init__`` (its body is not needed).
_INIT_RE = re.compile(r"^    def __init__\(.*?\)(?: -> [^\n]*)?:\n", re.MULTILINE | re.DOTALL)


def restore_docs(*modules: ModuleType) -> None:
    """Compiled build: give each public class of ``modules`` back what ``help()`` shows.

    mypyc drops class docstrings, and the classes it leaves as plain Python classes
    (the events, Headers) lose their constructor's signature. Both are read from the
    module's source, which the compiled wheel ships beside the extension, so the text
    has one owner. Methods and properties of compiled classes keep no docstring or
    annotations (their descriptors are read-only): the README says so. Does nothing
    for pure-Python modules.
    """
    for module in modules:
        if not is_compiled(module):
            continue
        path = Path(str(module.__file__))
        source = path.with_name(module.__name__.rpartition(".")[2] + ".py")
        if not source.is_file():
            continue  # a wheel without sources: help() stays as mypyc left it
        classes = _class_heads(source.read_text(encoding="utf-8"))
        for name, node in classes.items():
            cls = getattr(module, name, None)
            if name.startswith("_") or not isinstance(cls, type):
                continue
            doc = ast.get_docstring(node, clean=False)
            if doc is not None:
                cls.__doc__ = doc
            try:
                inspect.signature(cls)
            except ValueError:
                # The first class of the MRO that writes an __init__ in this module.
                for klass in cls.__mro__:
                    init = _init_of(classes.get(klass.__name__))
                    if klass.__module__ == module.__name__ and init is not None:
                        try:
                            signature = _signature(init)
                        except ValueError:  # a default that is no literal: left as is
                            break
                        cls.__signature__ = signature  # type: ignore[attr-defined]
                        break


def _class_heads(source: str) -> dict[str, ast.ClassDef]:
    """Each top-level class of ``source``, parsed up to its ``__init__`` signature: the
    docstring and the parameters are there, and parsing whole modules would add tens
    of milliseconds to every import of the compiled build."""
    classes = {}
    for match in _CLASS_RE.finditer(source):
        top = _TOP_LEVEL_RE.search(source, match.end())
        end = top.start() if top is not None else len(source)
        rest = _REST_OF_BODY_RE.search(source, match.end(), end)
        head = source[match.start() : rest.start() if rest is not None else end]
        init = _INIT_RE.search(head)
        if init is not None:
            head = head[: init.end()] + "        pass\n"
        try:
            node = ast.parse(head).body[0]
        except SyntaxError:  # a head of comments only: nothing to restore from it
            continue
        if isinstance(node, ast.ClassDef):
            classes[node.name] = node
    return classes


def _init_of(node: ast.ClassDef | None) -> ast.FunctionDef | None:
    if node is None:
        return None
    return next(
        (n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None
    )


def _signature(init: ast.FunctionDef) -> inspect.Signature:
    """The signature of ``init`` without ``self``, with annotations as strings (as
    ``from __future__ import annotations`` gives them) and literal defaults."""
    args = init.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    parameters = []
    kinds: list[inspect._ParameterKind] = [inspect.Parameter.POSITIONAL_ONLY] * len(
        args.posonlyargs
    )
    kinds += [inspect.Parameter.POSITIONAL_OR_KEYWORD] * len(args.args)
    for arg, kind, default in zip(positional, kinds, defaults, strict=True):
        parameters.append(_parameter(arg, kind, default))
    if args.vararg is not None:
        parameters.append(_parameter(args.vararg, inspect.Parameter.VAR_POSITIONAL, None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        parameters.append(_parameter(arg, inspect.Parameter.KEYWORD_ONLY, default))
    if args.kwarg is not None:
        parameters.append(_parameter(args.kwarg, inspect.Parameter.VAR_KEYWORD, None))
    return inspect.Signature(parameters[1:])  # without self


def _parameter(arg: ast.arg, kind: Any, default: ast.expr | None) -> inspect.Parameter:
    return inspect.Parameter(
        arg.arg,
        kind,
        default=inspect.Parameter.empty if default is None else ast.literal_eval(default),
        annotation=inspect.Parameter.empty
        if arg.annotation is None
        else ast.unparse(arg.annotation),
    )
