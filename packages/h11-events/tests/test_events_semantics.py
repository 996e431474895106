"""Dataclass semantics shared with h11: immutability, equality, repr, hashing."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from h11_events import (
    ConnectionClosed,
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    Request,
    Response,
)


def all_events() -> list[Event]:
    """One instance of each event class."""
    return [
        Request(method="GET", target="/", headers=[("Host", "a")]),
        InformationalResponse(status_code=100, headers=[]),
        Response(status_code=200, headers=[("Content-Length", "1")]),
        Data(data=b"x"),
        EndOfMessage(),
        ConnectionClosed(),
    ]


@pytest.mark.parametrize("event", all_events(), ids=lambda e: type(e).__name__)
def test_events_are_event_subclasses(event: Event) -> None:
    assert isinstance(event, Event)


@pytest.mark.parametrize("event", all_events(), ids=lambda e: type(e).__name__)
def test_events_are_unhashable(event: Event) -> None:
    with pytest.raises(TypeError):
        hash(event)


@pytest.mark.parametrize("event", all_events(), ids=lambda e: type(e).__name__)
def test_events_are_frozen(event: Event) -> None:
    for field in dataclasses.fields(event):  # type: ignore[arg-type]
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(event, field.name, getattr(event, field.name))
    with pytest.raises((dataclasses.FrozenInstanceError, AttributeError, TypeError)):
        event.new_attribute = 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("event", all_events(), ids=lambda e: type(e).__name__)
def test_events_equal_their_copies_and_pickles(event: Event) -> None:
    assert copy.copy(event) == event
    assert copy.deepcopy(event) == event
    assert pickle.loads(pickle.dumps(event)) == event


def test_field_names_and_order_match_h11() -> None:
    def names(cls: type) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    assert names(Request) == ["method", "headers", "target", "http_version"]
    assert names(InformationalResponse) == ["headers", "http_version", "reason", "status_code"]
    assert names(Response) == ["headers", "http_version", "reason", "status_code"]
    assert names(Data) == ["data", "chunk_start", "chunk_end"]
    assert names(EndOfMessage) == ["headers"]
    assert names(ConnectionClosed) == []


def test_request_repr_like_h11() -> None:
    req = Request(method="GET", target="/", headers=[("Host", "a")])
    assert repr(req) == (
        "Request(method=b'GET', headers=<Headers([(b'host', b'a')])>, target=b'/', "
        "http_version=b'1.1')"
    )


def test_response_reprs_like_h11() -> None:
    assert repr(Response(status_code=200, headers=[])) == (
        "Response(headers=<Headers([])>, http_version=b'1.1', reason=b'', status_code=200)"
    )
    assert repr(InformationalResponse(status_code=101, headers=[], reason="x")) == (
        "InformationalResponse(headers=<Headers([])>, http_version=b'1.1', reason=b'x', "
        "status_code=101)"
    )


def test_small_event_reprs_like_h11() -> None:
    assert repr(Data(data=b"x")) == "Data(data=b'x', chunk_start=False, chunk_end=False)"
    assert repr(EndOfMessage()) == "EndOfMessage(headers=<Headers([])>)"
    assert repr(ConnectionClosed()) == "ConnectionClosed()"


def test_equality_compares_every_field() -> None:
    assert Data(data=b"x") == Data(data=b"x")
    assert Data(data=b"x") != Data(data=b"y")
    assert Data(data=b"x") != Data(data=b"x", chunk_start=True)
    assert Data(data=b"x") != Data(data=b"x", chunk_end=True)
    assert Response(status_code=200, headers=[]) != Response(status_code=201, headers=[])
    assert Response(status_code=200, headers=[]) != Response(
        status_code=200, headers=[], reason="OK"
    )
    assert EndOfMessage() == EndOfMessage(headers=[])
    assert EndOfMessage() != EndOfMessage(headers=[("X", "y")])
    assert ConnectionClosed() == ConnectionClosed()


def test_equality_requires_same_class() -> None:
    assert Response(status_code=200, headers=[]) != InformationalResponse(
        status_code=100, headers=[]
    )
    assert EndOfMessage() != ConnectionClosed()
    assert Data(data=b"x") != b"x"


def test_requests_differing_only_in_header_case_are_equal() -> None:
    one = Request(method="GET", target="/", headers=[("HOST", "a")])
    two = Request(method="GET", target="/", headers=[("host", "a")])
    assert one == two


def test_data_positional_and_defaults() -> None:
    data = Data(b"abc")
    assert data == Data(data=b"abc", chunk_start=False, chunk_end=False)


def test_data_keeps_bytes_like_payload_object() -> None:
    payload = bytearray(b"abc")
    assert Data(data=payload).data is payload  # type: ignore[arg-type]


def test_end_of_message_defaults_to_no_trailers() -> None:
    assert EndOfMessage().headers == []
    assert EndOfMessage(headers=None).headers == []


def test_events_have_no_instance_dict() -> None:
    assert not hasattr(Data(data=b"x"), "__dict__")
    assert not hasattr(Request(method="GET", target="/", headers=[("Host", "a")]), "__dict__")
