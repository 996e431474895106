"""Single source of the distribution version (read by hatch and at run time).

``0.16.0`` is the h11 API this facade provides, so every ``h11>=0.16`` / ``h11<1``
requirement accepts it; the local label is this facade's own release (``sansio.X.Y.Z``,
bumped alone with ``tools/release/bump.py h11 ...``), which works with any h11-connection
its range allows.
"""

__version__ = "0.16.0+sansio.0.1.0"
