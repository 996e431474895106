"""Sphinx configuration of the documentation site (``nox -s docs`` builds it).

The API reference documents the public names of h11 0.16 as ``h11.<name>``,
but takes every object from the packages that define it (h11_connection,
h11_events, h11_parser), never from an installed ``h11``: whichever
distribution provides ``import h11`` (this project's facade, or PyPI h11 in an
environment that keeps it), the reference shows this project's objects.
"""

from __future__ import annotations

import sys
import types
from importlib import metadata

import h11_connection
import h11_events
import h11_parser

#: The public names of h11 0.16, plus ``hookimpl``, and where each one lives.
H11_NAMES = {
    h11_connection: [
        "CLIENT",
        "CLOSED",
        "DONE",
        "ERROR",
        "IDLE",
        "MIGHT_SWITCH_PROTOCOL",
        "MUST_CLOSE",
        "PRODUCT_ID",
        "SEND_BODY",
        "SEND_RESPONSE",
        "SERVER",
        "SWITCHED_PROTOCOL",
        "Connection",
    ],
    h11_events: [
        "NEED_DATA",
        "PAUSED",
        "ConnectionClosed",
        "Data",
        "EndOfMessage",
        "Event",
        "InformationalResponse",
        "LocalProtocolError",
        "ProtocolError",
        "RemoteProtocolError",
        "Request",
        "Response",
    ],
    h11_parser: ["hookimpl"],
}


def _h11_namespace() -> types.ModuleType:
    """A module ``h11`` holding exactly the objects above, for autodoc and the samples."""
    namespace = types.ModuleType("h11", "The h11 0.16 API, as this project provides it.")
    for module, names in H11_NAMES.items():
        for name in names:
            setattr(namespace, name, getattr(module, name))
    namespace.__version__ = h11_connection.__version__  # type: ignore[attr-defined]
    namespace.__all__ = [n for names in H11_NAMES.values() for n in names]  # type: ignore[attr-defined]
    return namespace


sys.modules["h11"] = _h11_namespace()

project = "h11 sans-I/O"
author = "the h11 sans-I/O contributors"
copyright = "2026, the h11 sans-I/O contributors"
release = metadata.version("h11-connection")

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "h11 sans-I/O"

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
autodoc_type_aliases = {"HeaderTypes": "HeaderTypes", "Plugins": "Plugins"}
autodoc_default_options = {"members": True, "undoc-members": False}

#: Every sample of the site runs in ``nox -s docs`` (sphinx-build -b doctest).
doctest_test_doctest_blocks = "default"
doctest_global_setup = "import h11"
html_static_path = ["_static"]
html_css_files = ["tables.css"]
