"""Single source of the distribution version (read by hatch and at run time).

``0.16.0`` is the h11 API this facade provides, so every ``h11>=0.16`` / ``h11<1``
requirement accepts it; the local label names this implementation and the exact
h11-connection release it is pinned to.
"""

__version__ = "0.16.0+sansio.0.1.0"
