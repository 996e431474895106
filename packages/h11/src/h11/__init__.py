"""``h11``: the drop-in facade for the h11 0.16 API, backed by h11-connection.

``import h11`` code runs unchanged; ``h11.hookimpl`` and the ``plugins=`` keyword
of ``Connection`` are the additions. Every object here *is* h11_connection's
(same classes, same sentinels), so code mixing the two names mixes nothing.

The names are h11-connection's list of h11 0.16's (``h11_connection.h11_api``),
re-exported with a star import, which type checkers follow through ``__all__``.
"""

import typing as _typing

from h11_connection import h11_api as _h11_api
from h11_connection.h11_api import *  # noqa: F403 (h11 0.16's names, listed there once)
from h11_connection.h11_api import __all__ as __all__

from ._version import __version__ as __version__

__all__ += ("hookimpl",)

if _typing.TYPE_CHECKING:  # pragma: no cover  (for type checkers only)
    from h11_connection import hookimpl
else:
    # ``hookimpl`` on first use (PEP 562). Type checkers see the import above instead of
    # a ``__getattr__``, so a misspelt name is an error for them, as with PyPI h11.
    __getattr__, __dir__ = _h11_api.lazy_hookimpl(__name__, globals())
