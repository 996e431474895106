"""``COMPILED`` says which build is installed: True only for the mypyc-compiled modules.

The pure build is the default and is expected unless ``H11_EXPECT_COMPILED=1`` says
the compiled one was installed (``nox -s tests-compiled`` sets it).
"""

from __future__ import annotations

import importlib.machinery
import os

import h11_connection
import h11_events
import h11_parser
import pytest
from h11_connection import _connection
from h11_events import _events
from h11_parser import _message_reader, _standalone_writers

pytestmark = pytest.mark.ours_only  # PyPI h11 has no COMPILED flag

EXTENSIONS = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def loaded_compiled(module: object) -> bool:
    return str(getattr(module, "__file__", "")).endswith(EXTENSIONS)


def test_each_package_flag_says_how_its_modules_were_loaded() -> None:
    assert h11_events.COMPILED is loaded_compiled(_events)
    parser_modules = (_message_reader, _standalone_writers)
    assert h11_parser.COMPILED is all(loaded_compiled(module) for module in parser_modules)
    assert h11_connection.COMPILED is (
        loaded_compiled(_connection) and h11_parser.COMPILED and h11_events.COMPILED
    )


def test_flags_match_the_build_the_session_installed() -> None:
    expected = os.environ.get("H11_EXPECT_COMPILED", "0") == "1"
    assert h11_events.COMPILED is expected
    assert h11_parser.COMPILED is expected
    assert h11_connection.COMPILED is expected


def test_plain_python_modules_stay_plain() -> None:
    # The sentinels' metaclass, the hook specs and the facade are never compiled.
    from h11_events import _sentinels
    from h11_parser import hookspecs

    assert not loaded_compiled(_sentinels)
    assert not loaded_compiled(hookspecs)
    assert not loaded_compiled(h11_parser)
