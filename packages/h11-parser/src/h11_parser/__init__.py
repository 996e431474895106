"""h11-parser: incremental HTTP/1.1 readers and writers, usable on their own.

``RequestParser``/``ResponseParser`` turn bytes into h11 events;
``RequestWriter``/``ResponseWriter`` turn events into bytes. Plugins (pluggy
project ``"h11"``) can observe or veto fields and events. h11-connection builds
its state machine on the same pieces.
"""

from typing import TYPE_CHECKING, Any

from h11_events.compilation import is_compiled as _is_compiled

from . import _message_reader, _standalone_parsers, _standalone_writers
from ._plugins import make_plugin_manager
from ._standalone_parsers import RequestParser, ResponseParser
from ._standalone_writers import RequestWriter, ResponseWriter
from ._version import __version__

#: True when this package's modules are the compiled (mypyc) build, False for pure Python.
COMPILED = _is_compiled(_message_reader, _standalone_writers)
if COMPILED:  # what help() shows, which mypyc drops
    from h11_events.compilation import restore_docs as _restore_docs

    _restore_docs(_standalone_parsers, _standalone_writers)

if TYPE_CHECKING:
    from .hookspecs import hookimpl

__all__ = [
    "COMPILED",
    "RequestParser",
    "RequestWriter",
    "ResponseParser",
    "ResponseWriter",
    "__version__",
    "hookimpl",
    "make_plugin_manager",
]


def __getattr__(name: str) -> Any:
    # pluggy is imported on first use of ``hookimpl``: code without plugins never loads it.
    if name == "hookimpl":
        from .hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
