"""``h11_events.rules``, ``.grammar`` and ``.compilation``: the shared rules, public.

Parsers and connections (of this repository or not) apply a rule through these names;
each is the object the events themselves use, so the layers cannot disagree.
"""

from __future__ import annotations

import h11_events
import pytest
from h11_events import (
    LocalProtocolError,
    RemoteProtocolError,
    _grammar,
    _headers,
    _mypyc,
    _rules,
    compilation,
    grammar,
    parsed,
    rules,
)


@pytest.mark.parametrize("name", rules.__all__)
def test_rules_are_the_implementation(name: str) -> None:
    home = _headers if hasattr(_headers, name) else _rules
    assert getattr(rules, name) is getattr(home, name)


@pytest.mark.parametrize("name", grammar.__all__)
def test_grammar_is_the_implementation(name: str) -> None:
    assert getattr(grammar, name) is getattr(_grammar, name)


@pytest.mark.parametrize("name", ["is_compiled", "function_is_compiled"])
def test_compilation_checks_are_the_implementation(name: str) -> None:
    assert getattr(compilation, name) is getattr(_mypyc, name)


def test_restore_docs_leaves_pure_python_modules_alone() -> None:
    before = h11_events.Request.__doc__
    compilation.restore_docs(h11_events._events)
    assert h11_events.Request.__doc__ == before


def test_compilation_agrees_with_compiled_flag() -> None:
    assert compilation.is_compiled(h11_events._events) is h11_events.COMPILED


@pytest.mark.parametrize("error", [LocalProtocolError, RemoteProtocolError])
def test_rules_raise_the_callers_error_type(error: type[Exception]) -> None:
    with pytest.raises(error, match="multiple Host"):
        rules.check_hosts([(b"host", b"a"), (b"host", b"a")], b"1.1", error)  # type: ignore[arg-type]
    with pytest.raises(error, match="not host"):
        rules.check_hosts([(b"host", b"a,b")], b"1.1", error, check_values=True)  # type: ignore[arg-type]


def test_grammar_patterns_match_what_the_rfc_allows() -> None:
    assert grammar.token_re.fullmatch(b"Content-Length")
    assert not grammar.token_re.fullmatch(b"Content Length")
    assert rules.list_members(b" Close, ,keep-alive") == [b"close", b"keep-alive"]


@pytest.mark.parametrize(
    ("name", "implementation"),
    [
        ("request", h11_events.Request._from_parser),
        ("response", h11_events.Response._from_parser),
        ("informational_response", h11_events.InformationalResponse._from_parser),
        ("data", h11_events.Data._from_parser),
        ("end_of_message", h11_events.EndOfMessage._from_parser),
        ("headers", h11_events.Headers._from_parsed),
    ],
)
def test_parsed_builders_are_the_implementation(name: str, implementation: object) -> None:
    assert getattr(parsed, name) == implementation


def test_parsed_builders_take_the_parts_as_they_are() -> None:
    items = [(b"content-length", b"0")]
    raw = [(b"Content-Length", b"0")]
    response = parsed.response(200, items, raw, b"OK", b"1.1")
    assert response == h11_events.Response(status_code=200, headers=raw, reason=b"OK")
    assert parsed.field_pairs(response.headers) is items
    assert parsed.raw_field_pairs(response.headers) is raw
    assert parsed.data(b"x", True, False).chunk_start is True
    assert parsed.end_of_message(parsed.headers([], [])) == h11_events.EndOfMessage()
    request = parsed.request(b"GET", [(b"host", b"a")], [(b"Host", b"a")], b"/", b"1.1")
    assert request.headers.raw_items() == [(b"Host", b"a")]
