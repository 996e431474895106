"""Protocol errors and the NEED_DATA / PAUSED sentinels."""

from __future__ import annotations

import copy
import pickle

import pytest
from h11_events import (
    NEED_DATA,
    PAUSED,
    LocalProtocolError,
    ProtocolError,
    RemoteProtocolError,
    Sentinel,
    make_sentinel,
)


def test_protocol_error_cannot_be_instantiated_directly() -> None:
    with pytest.raises(TypeError):
        ProtocolError("nope")


@pytest.mark.parametrize("cls", [LocalProtocolError, RemoteProtocolError])
def test_error_status_hint_defaults_to_400(cls: type[ProtocolError]) -> None:
    err = cls("bad")
    assert err.error_status_hint == 400
    assert str(err) == "bad"
    assert err.args == ("bad",)


@pytest.mark.parametrize("cls", [LocalProtocolError, RemoteProtocolError])
def test_error_status_hint_can_be_given(cls: type[ProtocolError]) -> None:
    assert cls("too big", 431).error_status_hint == 431
    assert cls("x", error_status_hint=505).error_status_hint == 505


def test_error_hierarchy() -> None:
    assert issubclass(LocalProtocolError, ProtocolError)
    assert issubclass(RemoteProtocolError, ProtocolError)
    assert issubclass(ProtocolError, Exception)
    assert not issubclass(LocalProtocolError, RemoteProtocolError)
    assert not issubclass(RemoteProtocolError, LocalProtocolError)


def test_protocol_error_catchable_as_base() -> None:
    with pytest.raises(ProtocolError):
        raise RemoteProtocolError("x")


@pytest.mark.parametrize(("sentinel", "name"), [(NEED_DATA, "NEED_DATA"), (PAUSED, "PAUSED")])
def test_sentinel_is_its_own_type(sentinel: type[Sentinel], name: str) -> None:
    assert type(sentinel) is sentinel
    assert isinstance(sentinel, sentinel)
    assert isinstance(sentinel, Sentinel)
    assert repr(sentinel) == name


@pytest.mark.parametrize("sentinel", [NEED_DATA, PAUSED])
def test_sentinel_identity_survives_pickle_and_copy(sentinel: type[Sentinel]) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(sentinel, protocol)) is sentinel
    assert copy.copy(sentinel) is sentinel
    assert copy.deepcopy(sentinel) is sentinel


def test_sentinels_are_distinct() -> None:
    assert NEED_DATA is not PAUSED
    assert NEED_DATA != PAUSED
    assert type(NEED_DATA) is not type(PAUSED)


def test_make_sentinel_creates_named_singleton_type() -> None:
    made: object = make_sentinel("EXAMPLE", __name__)
    assert type(made) is made
    assert repr(made) == "EXAMPLE"
    assert made.__module__ == __name__


def test_sentinel_cannot_be_subclassed_freely() -> None:
    with pytest.raises(TypeError):
        type("Other", (NEED_DATA,), {})
