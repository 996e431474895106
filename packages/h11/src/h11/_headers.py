"""Compatibility module: code written for h11 imports ``Headers`` from ``h11._headers``.

wsproto, for one, annotates with it (``from h11._headers import Headers`` under
``TYPE_CHECKING``); it is h11-events' ``Headers``, the type of every event's ``headers``.
"""

from h11_events import Headers

__all__ = ["Headers"]
