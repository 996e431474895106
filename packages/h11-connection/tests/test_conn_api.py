"""The public surface of ``h11``: every name h11 0.16 exports, and their basic nature."""

from __future__ import annotations

import ast
import pathlib
import pickle
import types
import typing
from typing import Any

import h11_connection as h11
import pytest

#: ``[n for n in dir(h11) if not n.startswith("_")]`` observed on PyPI h11 0.16.0.
H11_PUBLIC_NAMES = [
    "CLIENT",
    "CLOSED",
    "Connection",
    "ConnectionClosed",
    "DONE",
    "Data",
    "ERROR",
    "EndOfMessage",
    "Event",
    "IDLE",
    "InformationalResponse",
    "LocalProtocolError",
    "MIGHT_SWITCH_PROTOCOL",
    "MUST_CLOSE",
    "NEED_DATA",
    "PAUSED",
    "PRODUCT_ID",
    "ProtocolError",
    "RemoteProtocolError",
    "Request",
    "Response",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "SWITCHED_PROTOCOL",
]

SENTINEL_NAMES = [
    "CLIENT",
    "SERVER",
    "IDLE",
    "SEND_BODY",
    "SEND_RESPONSE",
    "DONE",
    "MUST_CLOSE",
    "CLOSED",
    "ERROR",
    "MIGHT_SWITCH_PROTOCOL",
    "SWITCHED_PROTOCOL",
    "NEED_DATA",
    "PAUSED",
]


@pytest.mark.parametrize("name", H11_PUBLIC_NAMES)
def test_public_name_exists(name: str) -> None:
    assert hasattr(h11, name)


def test_dunder_version_is_a_string() -> None:
    assert isinstance(h11.__version__, str)
    assert h11.__version__


def test_product_id_is_a_token_slash_version_string() -> None:
    name, _, version = h11.PRODUCT_ID.partition("/")
    assert name
    assert version


@pytest.mark.parametrize("name", SENTINEL_NAMES)
def test_sentinels_are_their_own_type_with_name_repr(name: str) -> None:
    sentinel = getattr(h11, name)
    assert type(sentinel) is sentinel
    assert repr(sentinel) == name


def test_sentinels_are_distinct() -> None:
    values = [getattr(h11, name) for name in SENTINEL_NAMES]
    assert len({id(v) for v in values}) == len(values)


@pytest.mark.parametrize("name", ["NEED_DATA", "PAUSED", "IDLE", "CLIENT"])
def test_sentinels_survive_pickling(name: str) -> None:
    sentinel = getattr(h11, name)
    assert pickle.loads(pickle.dumps(sentinel)) is sentinel


def test_error_classes() -> None:
    assert issubclass(h11.LocalProtocolError, h11.ProtocolError)
    assert issubclass(h11.RemoteProtocolError, h11.ProtocolError)
    with pytest.raises(TypeError):
        h11.ProtocolError("x")
    assert h11.LocalProtocolError("x").error_status_hint == 400
    assert h11.RemoteProtocolError("x", 431).error_status_hint == 431


@pytest.mark.parametrize(
    "name", ["Request", "InformationalResponse", "Response", "Data", "EndOfMessage"]
)
def test_event_classes_subclass_event(name: str) -> None:
    assert issubclass(getattr(h11, name), h11.Event)


def test_connection_roles() -> None:
    client = h11.Connection(h11.CLIENT)
    server = h11.Connection(h11.SERVER)
    assert (client.our_role, client.their_role) == (h11.CLIENT, h11.SERVER)
    assert (server.our_role, server.their_role) == (h11.SERVER, h11.CLIENT)


def test_connection_rejects_other_roles() -> None:
    with pytest.raises(ValueError):
        h11.Connection("CLIENT")  # type: ignore[arg-type]


def test_new_connection_is_idle_idle() -> None:
    for role in (h11.CLIENT, h11.SERVER):
        conn = h11.Connection(role)
        assert (conn.our_state, conn.their_state) == (h11.IDLE, h11.IDLE)
        assert conn.states == {h11.CLIENT: h11.IDLE, h11.SERVER: h11.IDLE}
        assert conn.their_http_version is None
        assert conn.trailing_data == (b"", False)
        assert conn.client_is_waiting_for_100_continue is False
        assert conn.they_are_waiting_for_100_continue is False


def test_default_max_incomplete_event_size_accepts_a_large_head() -> None:
    conn = h11.Connection(h11.SERVER)
    head = b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"v" * 10000 + b"\r\n\r\n"
    conn.receive_data(head)
    assert type(conn.next_event()) is h11.Request


def test_max_incomplete_event_size_is_keyword_or_positional() -> None:
    h11.Connection(h11.SERVER, 100)
    h11.Connection(h11.SERVER, max_incomplete_event_size=100)


@pytest.mark.ours_only
def test_hookimpl_marker_exported() -> None:
    assert callable(h11.hookimpl)


@pytest.mark.ours_only
def test_connection_accepts_plugins_keyword() -> None:
    conn = h11.Connection(h11.SERVER, plugins=None)
    assert conn.our_state is h11.IDLE
    conn = h11.Connection(h11.SERVER, 16384, plugins=[])
    assert conn.our_state is h11.IDLE


def _admitted(hint: Any) -> set[Any]:
    """The classes an annotation admits, with ``type[X]`` (or ``Type[X]``) read as X."""
    args = (
        typing.get_args(hint)
        if typing.get_origin(hint) in (typing.Union, types.UnionType)
        else (hint,)
    )
    return {typing.get_args(arg)[0] if typing.get_origin(arg) is type else arg for arg in args}


def _source_hint(method: str) -> Any:
    """The return annotation of ``Connection.<method>`` as written in the shipped
    ``_connection.py``, the file type checkers read (wheels of both builds ship it),
    evaluated in that module's namespace."""
    from h11_connection import _connection

    path = pathlib.Path(_connection.__file__).with_name("_connection.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Connection"]
    (function,) = [n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == method]
    assert function.returns is not None
    return eval(ast.unparse(function.returns), vars(_connection))


def _hints(method: str) -> list[Any]:
    """The return annotation as type checkers see it and, in the pure build, as tools
    reading annotations at run time see it. Compiled methods carry no annotations at
    run time (the README's compiled-build section says so): checked here too."""
    function = getattr(h11.Connection, method)
    function = function.fget if isinstance(function, property) else function
    if h11.COMPILED:
        assert not getattr(function, "__annotations__", {})
        return [_source_hint(method)]
    return [_source_hint(method), typing.get_type_hints(function)["return"]]


@pytest.mark.ours_only  # reads the shipped _connection.py; h11.COMPILED
def test_next_event_is_annotated_as_event_or_a_sentinel_type() -> None:
    """Type checkers (and tools reading annotations at run time) see h11's return type."""
    for hint in _hints("next_event"):
        assert _admitted(hint) == {h11.Event, h11.NEED_DATA, h11.PAUSED}


@pytest.mark.ours_only
@pytest.mark.parametrize("name", ["our_state", "their_state"])
def test_states_are_annotated_as_sentinel_classes(name: str) -> None:
    for hint in _hints(name):
        assert typing.get_origin(hint) is type
        (base,) = typing.get_args(hint)
        for sentinel in SENTINEL_NAMES:
            if sentinel not in ("NEED_DATA", "PAUSED"):  # every role and state
                assert issubclass(getattr(h11, sentinel), base), sentinel
