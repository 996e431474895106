"""Rewrite h11 0.16's own test modules to import only the public ``h11`` namespace.

h11's tests import its private modules (``from .._connection import Connection, _keep_alive``).
A drop-in must pass the tests that use public names, so each import of a private module
becomes ``from h11 import <the public names>``; the private names are dropped, and every
module-level definition that needs one at run time (directly, or through another definition
or a helper module) is left out and reported. Annotations are not evaluated
(``from __future__ import annotations`` is added), so a private name used only in an
annotation does not remove a test.

Mechanical on purpose: the rule is "public means a name ``dir(h11)`` of PyPI h11 shows
without a leading underscore", read from the reference venv, never a hand-kept list.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

#: Helper modules of h11's test package that other test modules import from (``.helpers``):
#: rewritten first, so that a helper left out taints the tests that import it.
HELPER_MODULES = ("helpers",)


@dataclass
class Rewritten:
    """One rewritten module: its new source and what was left out."""

    source: str
    #: Left-out module-level definitions (tests and helpers) -> the private names they need.
    left_out: dict[str, list[str]] = field(default_factory=dict)
    #: Left-out test functions and test classes' methods, as ``name`` or ``Class::name``.
    left_out_tests: list[str] = field(default_factory=list)
    #: The tests that stay.
    tests: list[str] = field(default_factory=list)


def _runtime_names(node: ast.AST) -> set[str]:
    """Names a module-level statement loads when it runs (annotations excluded)."""
    names: set[str] = set()
    skip: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.arg) and sub.annotation is not None:
            skip.update(id(n) for n in ast.walk(sub.annotation))
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and sub.returns is not None:
            skip.update(id(n) for n in ast.walk(sub.returns))
        elif isinstance(sub, ast.AnnAssign):
            skip.update(id(n) for n in ast.walk(sub.annotation))
    for sub in ast.walk(node):
        if id(sub) in skip:
            continue
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            names.add(sub.id)
        elif isinstance(sub, ast.Attribute) and _is_private_attribute(sub.attr):
            names.add(f".{sub.attr}")
    return names


def _is_private_attribute(attr: str) -> bool:
    """``obj._name`` reaches into an implementation (dunders are Python's, not h11's)."""
    return attr.startswith("_") and not (attr.startswith("__") and attr.endswith("__"))


def _defined_names(node: ast.stmt) -> set[str]:
    """Module-level names a statement binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _tests_in(node: ast.stmt) -> list[str]:
    """The pytest-collected tests a module-level statement defines."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
        return [node.name]
    if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
        return [
            f"{node.name}::{item.name}"
            for item in node.body
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            and item.name.startswith("test")
        ]
    return []


def _is_private_import(node: ast.stmt) -> bool:
    """``from .._x import ...`` or ``from h11._x import ...``: an implementation module."""
    if not isinstance(node, ast.ImportFrom):
        return False
    module = node.module or ""
    if node.level >= 2:
        return True
    return node.level == 0 and module.startswith("h11._")


def rewrite(source: str, public: set[str], tainted_helpers: set[str] | None = None) -> Rewritten:
    """Rewrite one test module; ``tainted_helpers`` are names of ``.helpers`` left out."""
    tree = ast.parse(source)
    tainted_helpers = tainted_helpers or set()
    private: set[str] = set()
    body: list[ast.stmt] = []
    for node in tree.body:
        if _is_private_import(node):
            assert isinstance(node, ast.ImportFrom)
            keep = [a for a in node.names if a.name in public]
            private.update((a.asname or a.name) for a in node.names if a.name not in public)
            if keep:
                body.append(ast.ImportFrom(module="h11", names=keep, level=0))
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            private.update((a.asname or a.name) for a in node.names if a.name in tainted_helpers)
            kept = [a for a in node.names if a.name not in tainted_helpers]
            if kept:
                body.append(ast.ImportFrom(module=node.module, names=kept, level=1))
            continue
        body.append(node)

    # Fixpoint: a statement that loads a tainted name is tainted, and so is what it binds;
    # each tainted name remembers the private names it comes from.
    # ``obj._name`` counts as a private name wherever it appears.
    private |= {n for node in body for n in _runtime_names(node) if n.startswith(".")}
    roots: dict[str, set[str]] = {name: {name} for name in private}
    needs: dict[int, set[str]] = {}
    changed = True
    while changed:
        changed = False
        for node in body:
            if id(node) in needs:
                continue
            hit = _runtime_names(node) & set(roots)
            if hit:
                needs[id(node)] = set().union(*(roots[name] for name in hit))
                for name in _defined_names(node):
                    roots[name] = needs[id(node)]
                changed = True

    result = Rewritten(source="")
    kept_body: list[ast.stmt] = [
        ast.ImportFrom(module="__future__", names=[ast.alias("annotations")], level=0)
    ]
    for node in body:
        if id(node) in needs:
            label = ", ".join(sorted(_defined_names(node))) or ast.unparse(node)[:60]
            result.left_out[label] = sorted(needs[id(node)])
            result.left_out_tests.extend(_tests_in(node))
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        result.tests.extend(_tests_in(node))
        kept_body.append(node)
    tree.body = kept_body
    result.source = ast.unparse(ast.fix_missing_locations(tree)) + "\n"
    return result


def rewrite_package(modules: dict[str, str], public: set[str]) -> dict[str, Rewritten]:
    """Rewrite every module (name -> source) of h11's test package, helpers first."""
    out: dict[str, Rewritten] = {}
    tainted: set[str] = set()
    for name in HELPER_MODULES:
        if name in modules:
            out[name] = rewrite(modules[name], public)
            tainted |= {n for label in out[name].left_out for n in label.split(", ")}
    for name, source in sorted(modules.items()):
        if name not in out:
            out[name] = rewrite(source, public, tainted)
    return out
