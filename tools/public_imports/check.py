"""Fail when a package imports a private module or name of a sibling package.

    python tools/public_imports/check.py [ROOT]

Each distribution under ``packages/*/src`` may use only the public names of the others
(modules and names without a leading underscore): that is what lets each be released
alone within a version range. Every finding names ``file:line``, what was imported, and
the public name that is the same object when one exists (read from the public modules'
re-exports), else who must export one. Exit status 1 when anything is found.

Private attributes are reported too: of an imported name (``Request._from_parser``), and
any read of an attribute that another distribution's classes declare in ``__slots__``
(``headers._items``), whatever the object is called where it is read.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def is_private(name: str) -> bool:
    """A leading underscore, not a dunder (``__version__``, ``__all__`` are public)."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    imported: str
    advice: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.imported}: {self.advice}"


@dataclass
class Tree:
    """The packages under one root: which module belongs to which distribution."""

    root: Path
    #: top-level module -> distribution folder name
    distributions: dict[str, str]
    #: (private dotted module, name) -> the public ``module.name`` that re-exports it
    public_names: dict[tuple[str, str], str]
    #: distribution folder name -> the private attribute names its classes' __slots__ declare
    private_slots: dict[str, set[str]]

    @classmethod
    def read(cls, root: Path) -> Tree:
        distributions: dict[str, str] = {}
        public_names: dict[tuple[str, str], str] = {}
        private_slots: dict[str, set[str]] = {}
        for src in sorted(root.glob("packages/*/src")):
            slots = private_slots.setdefault(src.parent.name, set())
            for top in sorted(p for p in src.iterdir() if (p / "__init__.py").is_file()):
                distributions[top.name] = src.parent.name
                for path in sorted(top.rglob("*.py")):
                    module = _module_name(src, path)
                    if not any(is_private(part) for part in module.split(".")):
                        _note_reexports(module, path, public_names)
                    slots.update(_private_slots(path))
        return cls(root, distributions, public_names, private_slots)

    def public_name_for(self, module: str, name: str) -> str | None:
        """The public name that re-exports ``module.name``, if any."""
        return self.public_names.get((module, name))

    def finding(self, relative: Path, line: int, statement: str, module: str, name: str) -> Finding:
        """``statement`` reaches the private ``module.name``: say what to use instead."""
        distribution = self.distributions[_top(module)]
        public = self.public_name_for(module, name)
        if public is not None:
            advice = f"private to {distribution}; use {public} (the same object)"
        else:
            advice = f"private to {distribution}, which has no public name for it: export one first"
        return Finding(relative, line, statement, advice)


def _module_name(src: Path, path: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The module an ``ImportFrom`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    drop = node.level - 1 if is_package else node.level
    base = base[: len(base) - drop] if drop else base
    return ".".join([*base, *([node.module] if node.module else [])])


def _note_reexports(module: str, path: Path, public_names: dict[tuple[str, str], str]) -> None:
    tree = ast.parse(path.read_text(), str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, is_package)
            for alias in node.names:
                public = alias.asname or alias.name
                if (
                    alias.name != "*"
                    and not alias.name.startswith("__")
                    and not is_private(public)
                    and _top(source) == _top(module)
                ):
                    public_names.setdefault((source, alias.name), f"{module}.{public}")


def _private_slots(path: Path) -> set[str]:
    """The private names in the ``__slots__`` of the classes of ``path``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets)
            and isinstance(node.value, (ast.Tuple, ast.List))
        ):
            found.update(
                item.value
                for item in node.value.elts
                if isinstance(item, ast.Constant)
                and isinstance(item.value, str)
                and is_private(item.value)
            )
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def _src_of(path: Path) -> Path:
    return next(parent for parent in path.parents if parent.name == "src")


def check_file(tree: Tree, path: Path) -> Iterator[Finding]:
    """Private names of other distributions that ``path`` imports or reads."""
    relative = path.relative_to(tree.root)
    own = tree.distributions.get(_top(_module_name(_src_of(path), path)))
    syntax = ast.parse(path.read_text(), str(path))
    foreign: dict[str, str] = {}  # local name -> the other package's object it is bound to
    for node in ast.walk(syntax):
        if isinstance(node, ast.Import):
            for alias in node.names:
                private = _private_part(alias.name)
                if _is_foreign(tree, alias.name, own) and private is not None:
                    module, name = private
                    yield tree.finding(relative, node.lineno, f"import {alias.name}", module, name)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            source = node.module or ""
            if not _is_foreign(tree, source, own):
                continue
            private = _private_part(source)
            for alias in node.names:
                foreign[alias.asname or alias.name] = f"{source}.{alias.name}"
                statement = f"from {source} import {alias.name}"
                if private is None and is_private(alias.name):
                    yield tree.finding(relative, node.lineno, statement, source, alias.name)
                elif private is not None:
                    # The same object's public home, else the private module's.
                    if tree.public_name_for(source, alias.name) is not None:
                        yield tree.finding(relative, node.lineno, statement, source, alias.name)
                    else:
                        yield tree.finding(relative, node.lineno, statement, *private)
    others = {
        name: distribution
        for distribution, names in tree.private_slots.items()
        if distribution != own
        for name in names
        if own is None or name not in tree.private_slots.get(own, set())
    }
    for node in ast.walk(syntax):
        if not isinstance(node, ast.Attribute) or not is_private(node.attr):
            continue
        if isinstance(node.value, ast.Name) and node.value.id in foreign:
            owner = tree.distributions[_top(foreign[node.value.id])]
            yield Finding(
                relative,
                node.lineno,
                f"{node.value.id}.{node.attr}",
                f"private attribute of {foreign[node.value.id]}; {owner} must give it a "
                "public name first",
            )
        elif node.attr in others:
            yield Finding(
                relative,
                node.lineno,
                f".{node.attr}",
                f"private attribute declared by {others[node.attr]}'s classes; use a public "
                "name of theirs (or ask for one)",
            )


def _is_foreign(tree: Tree, module: str, own: str | None) -> bool:
    distribution = tree.distributions.get(_top(module))
    return distribution is not None and distribution != own


def _private_part(module: str) -> tuple[str, str] | None:
    """(parent, first private component) of a dotted module name, or None if all public."""
    parts = module.split(".")
    for depth in range(1, len(parts)):
        if is_private(parts[depth]):
            return ".".join(parts[:depth]), parts[depth]
    return None


def check_tree(root: Path) -> list[Finding]:
    tree = Tree.read(root)
    findings: list[Finding] = []
    for src in sorted(root.glob("packages/*/src")):
        for path in sorted(src.rglob("*.py")):
            findings.extend(check_file(tree, path))
    return findings


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[2]
    findings = check_tree(root)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} use(s) of another package's private names", file=sys.stderr)
        return 1
    print("no package uses a private name of another package")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
