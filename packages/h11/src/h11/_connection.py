"""Compatibility module: code written for h11 imports these from ``h11._connection``.

uvicorn, for one, does ``from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE``.
"""

from h11_connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE, Connection

__all__ = ["DEFAULT_MAX_INCOMPLETE_EVENT_SIZE", "Connection"]
