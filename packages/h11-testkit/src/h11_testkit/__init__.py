"""Test tooling for HTTP/1.1 code: pytest fixtures, an attack corpus and hypothesis strategies."""

from h11_testkit._version import __version__

__all__ = ["__version__"]
