"""``h11_connection`` is the whole h11 0.16 API, and ``install_as_h11()`` lends it the name."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import h11_connection
import h11_events
import pytest

pytestmark = pytest.mark.ours_only  # PyPI h11 has no h11_connection namespace

#: ``[n for n in dir(h11) if not n.startswith("_")]`` observed on PyPI h11 0.16.0.
H11_PUBLIC_NAMES = {
    "CLIENT", "CLOSED", "Connection", "ConnectionClosed", "DONE", "Data", "ERROR",
    "EndOfMessage", "Event", "IDLE", "InformationalResponse", "LocalProtocolError",
    "MIGHT_SWITCH_PROTOCOL", "MUST_CLOSE", "NEED_DATA", "PAUSED", "PRODUCT_ID",
    "ProtocolError", "RemoteProtocolError", "Request", "Response", "SEND_BODY",
    "SEND_RESPONSE", "SERVER", "SWITCHED_PROTOCOL",
}  # fmt: skip
#: What h11_connection adds to h11's names (COMPILED: which build is installed).
ADDITIONS = {"COMPILED", "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE", "hookimpl", "install_as_h11"}
#: Public submodules: h11_api holds h11 0.16's name list, for the ``h11`` facade.
SUBMODULES = {"h11_api"}


def test_public_names_are_h11s_plus_the_additions() -> None:
    public = {name for name in dir(h11_connection) if not name.startswith("_")}
    assert public == H11_PUBLIC_NAMES | ADDITIONS | SUBMODULES
    assert set(h11_connection.__all__) == H11_PUBLIC_NAMES | ADDITIONS | {"__version__"}


@pytest.mark.parametrize("name", sorted(H11_PUBLIC_NAMES & set(h11_events.__all__)))
def test_event_vocabulary_is_h11_events_own(name: str) -> None:
    assert getattr(h11_connection, name) is getattr(h11_events, name)


def test_version_and_product_id_name_this_implementation() -> None:
    assert f"python-h11-connection/{h11_connection.__version__}" == h11_connection.PRODUCT_ID


def test_star_import_gives_every_name() -> None:
    namespace: dict[str, object] = {}
    exec("from h11_connection import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(h11_connection.__all__)


@pytest.fixture
def clean_h11_modules() -> Iterator[None]:
    """No ``h11`` in sys.modules during the test; the previous entries afterwards."""
    saved = {n: m for n, m in sys.modules.items() if n == "h11" or n.startswith("h11.")}
    for name in saved:
        del sys.modules[name]
    try:
        yield
    finally:
        for name in [n for n in sys.modules if n == "h11" or n.startswith("h11.")]:
            del sys.modules[name]
        sys.modules.update(saved)


@pytest.mark.usefixtures("clean_h11_modules")
def test_install_as_h11_makes_import_h11_ours() -> None:
    h11_connection.install_as_h11()
    h11 = importlib.import_module("h11")
    assert h11 is h11_connection
    compat = importlib.import_module("h11._connection")
    assert compat.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE == 16 * 1024
    assert compat.Connection is h11_connection.Connection
    # Submodules are the very same objects: nothing of ours is loaded twice.
    assert importlib.import_module("h11._states") is sys.modules["h11_connection._states"]
    # wsproto's ``from h11._headers import Headers`` (for its annotations).
    assert importlib.import_module("h11._headers").Headers is h11_events.Headers
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("h11._util")


@pytest.mark.usefixtures("clean_h11_modules")
def test_install_as_h11_twice_is_harmless() -> None:
    h11_connection.install_as_h11()
    h11_connection.install_as_h11()
    assert sys.modules["h11"] is h11_connection


@pytest.mark.usefixtures("clean_h11_modules")
def test_install_as_h11_accepts_our_own_facade_already_imported() -> None:
    facade = types.ModuleType("h11")
    facade.Connection = h11_connection.Connection  # type: ignore[attr-defined]
    sys.modules["h11"] = facade
    h11_connection.install_as_h11()
    assert sys.modules["h11"] is facade


@pytest.mark.usefixtures("clean_h11_modules")
def test_install_as_h11_refuses_after_another_h11_was_imported() -> None:
    other = types.ModuleType("h11")
    other.__file__ = "/site-packages/h11/__init__.py"
    other.PRODUCT_ID = "python-h11/0.16.0"  # type: ignore[attr-defined]
    other.Connection = type("Connection", (), {})  # type: ignore[attr-defined]
    sys.modules["h11"] = other
    with pytest.raises(RuntimeError, match=r"before anything imports h11") as info:
        h11_connection.install_as_h11()
    assert "python-h11/0.16.0" in str(info.value)
    assert "/site-packages/h11/__init__.py" in str(info.value)
    assert sys.modules["h11"] is other


def _run(code: str, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PYTHONPATH": str(path)},
    )
    return done.stdout.strip()


def test_install_as_h11_wins_over_an_installed_h11(tmp_path: Path) -> None:
    """Another ``h11`` on sys.path (PyPI's, say) is never imported once ours is installed."""
    fake = tmp_path / "h11"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit('the other h11 was imported')\n")
    out = _run(
        "import sys, h11_connection\n"
        "h11_connection.install_as_h11()\n"
        "import h11\n"
        "from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE\n"
        "print(h11.PRODUCT_ID, 'pluggy' in sys.modules)\n",
        tmp_path,
    )
    assert out == f"{h11_connection.PRODUCT_ID} False"
