"""``install_as_h11()``: make later ``import h11`` statements return ``h11_connection``.

For environments that must keep PyPI's h11 installed (a locked dependency set,
a platform image): the convention of PyMySQL's ``install_as_MySQLdb()``. The
module is registered in ``sys.modules`` under ``h11``, together with its loaded
submodules under ``h11.<name>`` (so ``from h11._connection import
DEFAULT_MAX_INCOMPLETE_EVENT_SIZE`` finds ours and no module is loaded twice), and
the other private modules of h11 that released h11 users import.
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["install_as_h11"]

_OURS = "h11_connection"
#: Private h11 modules imported by h11 users that are not h11_connection's own submodules,
#: and the module of ours that stands in (the h11 facade distribution has them as files):
#: wsproto annotates with ``from h11._headers import Headers``.
_STAND_INS = {"h11._headers": "h11_events._headers"}


def install_as_h11() -> None:
    """Make every later ``import h11`` in this process return ``h11_connection``.

    Call it before anything imports h11 (e.g. first thing in ``conftest.py`` or
    in your program's entry point). Calling it again is harmless. Raises
    ``RuntimeError`` if another ``h11`` was already imported: modules holding
    that one's classes would otherwise meet ours, two implementations half-mixed.
    """
    ours = sys.modules[_OURS]
    already = sys.modules.get("h11")
    if already is not None:
        if getattr(already, "Connection", None) is ours.Connection:
            return  # ours already (installed before, or the h11 facade distribution)
        where = getattr(already, "__file__", None) or repr(already)
        product = getattr(already, "PRODUCT_ID", "unknown")
        raise RuntimeError(
            "h11_connection.install_as_h11() must run before anything imports h11, but "
            f"another h11 ({product}) was already imported from {where}; call it earlier, "
            "e.g. at the top of conftest.py or of your program's entry point"
        )
    prefix = _OURS + "."
    for name, module in list(sys.modules.items()):
        if name.startswith(prefix):
            sys.modules["h11." + name[len(prefix) :]] = module
    for name, stand_in in _STAND_INS.items():
        sys.modules[name] = importlib.import_module(stand_in)
    sys.modules["h11"] = ours
