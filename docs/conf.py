"""Sphinx configuration of the documentation site (``nox -s docs`` builds it).

The API reference documents the public names of h11 0.16 as ``h11.<name>``, from
this project's ``h11`` facade (packages/h11), whose objects are those of
h11_connection, h11_events and h11_parser.
"""

from __future__ import annotations

from importlib import metadata

import h11

# The reference documents this project's own facade: the docs session installs the `h11`
# distribution of packages/h11, whose names are exactly h11 0.16's plus ``hookimpl``.
if not h11.PRODUCT_ID.startswith("python-h11-connection/"):
    raise RuntimeError(f"import h11 gives {h11.__file__}, not this project's facade")

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


# --- h11-testkit figures (engineer D's block; used by docs/testkit.md only) ------------------
# The testkit page quotes the corpus sizes as {{ testkit_... }} substitutions computed here
# from the code, so the page never says a number the corpus no longer has.
def _testkit_figures() -> dict[str, str]:
    from h11_testkit import client_corpus, corpus

    return {
        "testkit_request_cases": str(len(corpus.REQUESTS)),
        "testkit_response_cases": str(len(corpus.RESPONSES)),
        "testkit_client_cases": str(len(client_corpus.CASES)),
    }


myst_enable_extensions = [*myst_enable_extensions, "substitution"]
myst_substitutions = {**globals().get("myst_substitutions", {}), **_testkit_figures()}
