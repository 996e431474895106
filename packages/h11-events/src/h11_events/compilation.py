"""How a package of this stack tells whether it runs as its compiled (mypyc) build.

Shared by h11-events, h11-parser and h11-connection, which each set ``COMPILED`` and
choose their compiled-only fast paths with these at import time.
"""

from __future__ import annotations

from types import ModuleType

from ._mypyc import function_is_compiled, is_compiled

__all__ = ["function_is_compiled", "is_compiled", "restore_docs"]


def restore_docs(*modules: ModuleType) -> None:
    """Compiled build: give the public classes of ``modules`` the docstrings and
    constructor signatures ``help()`` shows, read from the shipped sources.

    Call it only when the package is compiled: it loads ``ast`` and ``inspect``,
    which a pure-Python import never needs. Does nothing for pure-Python modules.
    """
    from ._docs import restore_docs as restore

    restore(*modules)
