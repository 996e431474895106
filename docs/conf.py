"""Sphinx configuration of the documentation site (``nox -s docs`` builds it).

The API reference documents the public names of h11 0.16 as ``h11.<name>``, from
this project's ``h11`` facade (packages/h11), whose objects are those of
h11_connection, h11_events and h11_parser.

Every sample runs as pasted: each ``doctest`` block runs in a fresh namespace, with no
hidden setup, so it carries its own imports. The build fails when a public member of a documented
class is missing from the reference (``check_members``).

With ``H11_DOCS_PARSER_ONLY=1`` only ``PARSER_ONLY_PAGES`` are read: the ``docs`` session
runs their samples a second time in a venv holding only h11-events and h11-parser (and
Sphinx), as a user of the standalone parser has them.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

#: The pages for a user who installed only h11-events and h11-parser: their samples import
#: only h11_events and h11_parser, and run in such an environment.
PARSER_ONLY_PAGES = ["api/h11_parser", "plugins"]
PARSER_ONLY = os.environ.get("H11_DOCS_PARSER_ONLY") == "1"

#: The packages whose documented classes must list every public member.
OUR_PACKAGES = ("h11", "h11_events", "h11_parser", "h11_connection", "h11_testkit")
#: The documented modules whose ``__all__`` names must each be on the reference
#: (``__version__`` aside), as themselves or as the same object under another name.
MODULES_LISTED_IN_FULL = ("h11_events", "h11_parser", "h11_connection", "h11_parser.hookspecs")

if PARSER_ONLY:
    missing = [name for name in ("h11_events", "h11_parser") if not importlib.util.find_spec(name)]
    present = [name for name in ("h11", "h11_connection") if importlib.util.find_spec(name)]
    if missing or present:
        raise RuntimeError(
            f"the parser-only run needs h11_events and h11_parser and nothing else of the "
            f"stack; missing {missing}, present {present}"
        )
    release = metadata.version("h11-parser")
    _here = Path(__file__).parent
    _kept = {"index", *PARSER_ONLY_PAGES}
    exclude_patterns = [
        "_build",
        *(
            path.relative_to(_here).as_posix()
            for path in _here.rglob("*.md")
            if path.relative_to(_here).with_suffix("").as_posix() not in _kept
        ),
    ]
    # index's toctree names the pages left out.
    suppress_warnings = ["toc.excluded"]
else:
    import h11

    # The reference documents this project's own facade: the docs session installs the
    # `h11` distribution of packages/h11, whose names are exactly h11 0.16's plus ``hookimpl``.
    if not h11.PRODUCT_ID.startswith("python-h11-connection/"):
        raise RuntimeError(f"import h11 gives {h11.__file__}, not this project's facade")
    release = metadata.version("h11-connection")
    exclude_patterns = ["_build"]

project = "h11 sans-I/O"
author = "the h11 sans-I/O contributors"
copyright = "2026, the h11 sans-I/O contributors"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "h11 sans-I/O"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
autodoc_type_aliases = {"HeaderTypes": "HeaderTypes", "Plugins": "Plugins"}
autodoc_default_options = {"members": True, "undoc-members": False}

#: Every sample of the site runs in ``nox -s docs`` (sphinx-build -b doctest), with no
#: hidden setup (``doctest_global_setup`` stays empty).
doctest_test_doctest_blocks = "default"
html_static_path = ["_static"]
html_css_files = ["tables.css"]

logger = logging.getLogger(__name__)


def _is_sample(node: nodes.Node) -> bool:
    return isinstance(node, nodes.doctest_block) or (
        isinstance(node, nodes.Element) and node.get("testnodetype") == "doctest"
    )


def one_namespace_per_sample(app: Sphinx, doctree: nodes.document) -> None:
    """Each sample not in a named group runs alone, as when pasted into a fresh Python."""
    for number, node in enumerate(doctree.findall(_is_sample)):
        assert isinstance(node, nodes.Element)
        if node.get("groups", ["default"]) == ["default"]:
            node["groups"] = [f"sample-{number}"]


def _public_members(cls: type) -> dict[str, type]:
    """What users call on ``cls`` (public names and ``__iter__``), each with the class of
    ours that defines or annotates it."""
    names: dict[str, type] = {}
    for klass in reversed(inspect.getmro(cls)):
        if klass.__module__.split(".")[0] not in OUR_PACKAGES:
            continue
        for name in [*vars(klass), *vars(klass).get("__annotations__", {})]:
            if not name.startswith("_") or name == "__iter__":
                names[name] = klass
    return names


def _resolve(fullname: str) -> Any:
    """The object a documented name stands for, or None if it cannot be imported here."""
    module_name, _, name = fullname.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError, ValueError):
        return None


def _report(objects: Any, fullname: str, what: str, missing: list[str]) -> None:
    if missing:
        logger.warning(
            "%s: %s missing from the reference: %s",
            fullname,
            what,
            ", ".join(missing),
            location=objects[fullname].docname,
        )


def check_members(app: Sphinx, env: BuildEnvironment) -> None:
    """A documented class of ours whose page lacks one of its public members fails the build.

    A member counts as documented under the class or under a documented base class (as the
    error classes document ``error_status_hint`` once, on ProtocolError).
    """
    objects = env.get_domain("py").objects  # type: ignore[attr-defined]
    classes = {
        fullname: _resolve(fullname)
        for fullname, entry in objects.items()
        if entry.objtype in ("class", "exception")
        and not entry.aliased
        and fullname.split(".")[0] in OUR_PACKAGES
    }
    names_of: dict[Any, list[str]] = {}
    for fullname, cls in classes.items():
        names_of.setdefault(cls, []).append(fullname)
    for fullname, cls in sorted(classes.items()):
        if cls is None:
            continue
        documented_bases = [name for base in inspect.getmro(cls) for name in names_of.get(base, [])]
        missing = sorted(
            name
            for name in _public_members(cls)
            if not any(f"{base}.{name}" in objects for base in documented_bases)
        )
        _report(objects, fullname, "public members", missing)


def check_module_names(app: Sphinx, env: BuildEnvironment) -> None:
    """A name in the ``__all__`` of a module of ``MODULES_LISTED_IN_FULL`` that the reference
    lacks fails the build. Documented under another name counts (``h11_events.Request`` is
    ``h11.Request``) for objects with an identity, not for plain values such as ``COMPILED``
    (unless documented as ``h11.<the same name>``, as ``PRODUCT_ID`` is)."""
    objects = env.get_domain("py").objects  # type: ignore[attr-defined]
    documented_ids = {
        id(obj)
        for obj in map(_resolve, objects)
        if obj is not None and not isinstance(obj, (bool, int, str, bytes))
    }
    for module_name in MODULES_LISTED_IN_FULL:
        if module_name not in objects:
            continue
        module = importlib.import_module(module_name)
        missing = [
            name
            for name in getattr(module, "__all__", [])
            if name != "__version__"
            and f"{module_name}.{name}" not in objects
            and id(getattr(module, name)) not in documented_ids
            and not (f"h11.{name}" in objects and _resolve(f"h11.{name}") is getattr(module, name))
        ]
        _report(objects, module_name, "names of __all__", missing)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", one_namespace_per_sample)
    app.connect("env-check-consistency", check_members)
    app.connect("env-check-consistency", check_module_names)
    return {"parallel_read_safe": True}


# --- h11-testkit figures (used by docs/testkit.md only) ---------------------------------------
# The testkit page quotes the corpus sizes as {{ testkit_... }} substitutions computed here
# from the code, so the page never says a number the corpus no longer has. The parser-only
# build reads no testkit page and has no h11_testkit.
def _testkit_figures() -> dict[str, str]:
    if PARSER_ONLY:
        return {}
    from h11_testkit import client_corpus, corpus

    return {
        "testkit_request_cases": str(len(corpus.REQUESTS)),
        "testkit_response_cases": str(len(corpus.RESPONSES)),
        "testkit_client_cases": str(len(client_corpus.CASES)),
    }


myst_enable_extensions = [*myst_enable_extensions, "substitution"]
myst_substitutions = {**globals().get("myst_substitutions", {}), **_testkit_figures()}
