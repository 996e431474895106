"""Constructors take h11 0.16's arguments, and help() documents each of them.

Required and optional keywords were observed on PyPI h11 0.16 by calling its
constructors: code written against this library must run on h11.
"""

from __future__ import annotations

import inspect
import pydoc
from typing import Any

import pytest
from h11_events import (
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    ProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)

HOST = [(b"host", b"a")]

#: event class -> (every argument it accepts, with a valid value; the required ones)
SIGNATURES: dict[type, tuple[dict[str, Any], set[str]]] = {
    Request: (
        {"method": b"GET", "headers": HOST, "target": b"/", "http_version": b"1.1"},
        {"method", "headers", "target"},
    ),
    Response: (
        {"status_code": 200, "headers": [], "reason": b"OK", "http_version": b"1.1"},
        {"status_code", "headers"},
    ),
    InformationalResponse: (
        {"status_code": 100, "headers": [], "reason": b"", "http_version": b"1.1"},
        {"status_code", "headers"},
    ),
    Data: ({"data": b"x", "chunk_start": False, "chunk_end": False}, {"data"}),
    EndOfMessage: ({"headers": []}, set()),
    ConnectionClosed: ({}, set()),
}


@pytest.mark.parametrize("cls", list(SIGNATURES), ids=lambda c: c.__name__)
def test_each_required_argument_is_required(cls: type) -> None:
    arguments, required = SIGNATURES[cls]
    cls(**arguments)
    for name in arguments:
        partial = {k: v for k, v in arguments.items() if k != name}
        if name in required:
            with pytest.raises(TypeError, match=name):
                cls(**partial)
        else:
            cls(**partial)


@pytest.mark.parametrize("cls", [Response, InformationalResponse], ids=lambda c: c.__name__)
def test_responses_need_headers_as_on_h11(cls: type) -> None:
    status = 200 if cls is Response else 100
    with pytest.raises(TypeError, match="headers"):
        cls(status_code=status)
    assert list(cls(status_code=status, headers=[]).headers) == []


@pytest.mark.parametrize(
    "cls", [Request, Response, InformationalResponse, EndOfMessage], ids=lambda c: c.__name__
)
def test_head_events_take_keywords_only(cls: type) -> None:
    arguments, _ = SIGNATURES[cls]
    with pytest.raises(TypeError):
        cls(*arguments.values())


def test_data_takes_its_payload_positionally() -> None:
    assert Data(b"x") == Data(data=b"x")


@pytest.mark.parametrize("cls", list(SIGNATURES), ids=lambda c: c.__name__)
def test_help_names_every_parameter(cls: type) -> None:
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    # The class's own part of the page (Response and InformationalResponse define no
    # methods of their own: theirs are listed as inherited from the shared base).
    own = text.split("Methods defined here")[0].split("Methods inherited from")[0]
    assert "Initialize self" not in own
    for name in inspect.signature(cls).parameters:
        assert f":param {name}:" in text, name


@pytest.mark.parametrize("cls", [LocalProtocolError, RemoteProtocolError, ProtocolError])
def test_errors_document_their_parameters(cls: type) -> None:
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    assert ":param msg:" in text
    assert ":param error_status_hint:" in text


def test_headers_documents_its_parameter() -> None:
    from h11_events import Headers

    text = pydoc.render_doc(Headers, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    assert ":param items:" in text
