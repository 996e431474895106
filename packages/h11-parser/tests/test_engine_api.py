"""``h11_parser.engine`` is the public engine API: the implementation itself, documented.

A state machine built on these names (h11-connection is) runs the same objects as the
standalone parsers and writers: no wrapper sits between them, so nothing is slower, and
a rule changed in the implementation changes for every driver at once.
"""

from __future__ import annotations

import ast
import traceback
from pathlib import Path

import h11_parser
import pytest
from h11_events import EndOfMessage, LocalProtocolError, RemoteProtocolError
from h11_parser import _framing, _message_reader, _message_writer, _plugins, engine

#: Where each public engine name lives (the private modules may move; the names stay).
IMPLEMENTATIONS = {
    "MessageReader": _message_reader.MessageReader,
    "BodyWriter": _message_writer.BodyWriter,
    "body_writer": _message_writer.body_writer,
    "write_request_head": _message_writer.write_request_head,
    "write_response_head": _message_writer.write_response_head,
    "HeadFacts": _framing.HeadFacts,
    "head_facts": _framing.head_facts,
    "body_framing": _framing.body_framing,
    "check_sendable": _framing.check_sendable,
    "ends_connection": _framing.ends_connection,
    "normalize_framing_fields": _framing.normalize_framing_fields,
    "proposed_switches": _framing.proposed_switches,
    "resolve_hooks": _plugins.resolve_hooks,
    "Hooks": _plugins.Hooks,
    "HOOK_NAMES": _plugins.HOOK_NAMES,
    "NO_BODY": _framing.NO_BODY,
    "REQUEST_TRAILER_REFUSED": _framing.REQUEST_TRAILER_REFUSED,
    "CONTENT_LENGTH": _framing.CONTENT_LENGTH,
    "CHUNKED": _framing.CHUNKED,
    "UNTIL_CLOSE": _framing.UNTIL_CLOSE,
    "TUNNEL": _framing.TUNNEL,
    "SWITCH_UPGRADE": _framing.SWITCH_UPGRADE,
    "SWITCH_CONNECT": _framing.SWITCH_CONNECT,
}
DOCS_PAGE = Path(__file__).resolve().parents[3] / "docs" / "api" / "h11_parser_engine.md"


def test_all_lists_exactly_the_engine_names() -> None:
    assert sorted(engine.__all__) == sorted(IMPLEMENTATIONS)


@pytest.mark.parametrize("name", sorted(IMPLEMENTATIONS))
def test_each_public_name_is_the_implementation_not_a_wrapper(name: str) -> None:
    assert getattr(engine, name) is IMPLEMENTATIONS[name]


def test_the_standalone_parser_drives_the_same_reader() -> None:
    assert type(h11_parser.RequestParser()._reader) is engine.MessageReader
    assert type(h11_parser.ResponseParser()._reader) is engine.MessageReader


def _definitions() -> dict[str, ast.FunctionDef | ast.ClassDef]:
    """The top-level functions and classes of the engine's modules, from their source
    (what type checkers and the docs read, in the pure and the compiled build alike)."""
    found: dict[str, ast.FunctionDef | ast.ClassDef] = {}
    for module in (_framing, _message_reader, _message_writer, _plugins):
        # The source file, also beside a compiled build's extension module.
        name = module.__name__.rsplit(".", 1)[1]
        source = (Path(module.__file__ or "").parent / f"{name}.py").read_text()
        for node in ast.parse(source).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found[node.name] = node
    return found


@pytest.mark.parametrize("name", sorted(n for n in IMPLEMENTATIONS if callable(IMPLEMENTATIONS[n])))
def test_callables_are_documented_and_typed(name: str) -> None:
    node = _definitions()[getattr(engine, name).__name__]
    assert ast.get_docstring(node), name
    if isinstance(node, ast.FunctionDef):
        assert node.returns is not None, name
        assert all(a.annotation is not None for a in node.args.args), name


@pytest.mark.parametrize("name", sorted(IMPLEMENTATIONS))
def test_each_name_is_on_the_api_reference_page(name: str) -> None:
    assert f"`{name}`" in DOCS_PAGE.read_text() or f"engine.{name}" in DOCS_PAGE.read_text()


def test_a_head_read_and_written_through_the_engine() -> None:
    reader = engine.MessageReader(parse_requests=True, max_head_size=1024)
    reader.feed(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    request = reader.next_event()
    assert reader.facts.transfer_encodings == [b"chunked"]
    facts = engine.head_facts(list(request.headers), LocalProtocolError)
    assert engine.body_framing(facts, LocalProtocolError, http_10=False) == (engine.CHUNKED, 0)
    assert not engine.ends_connection(facts, b"1.1")
    assert engine.proposed_switches(facts, b"POST") == ()
    assert engine.write_request_head(request).startswith(b"POST / HTTP/1.1\r\nHost: a\r\n")
    assert engine.body_writer(engine.CHUNKED, 0).finish(EndOfMessage()) == [b"0\r\n\r\n"]
    assert type(reader.next_event()).__name__ == "EndOfMessage"
    assert reader.at_boundary


def test_head_facts_refuses_with_the_callers_error_type() -> None:
    for error in (LocalProtocolError, RemoteProtocolError):
        with pytest.raises(error):
            engine.head_facts([(b"content-length", b"1"), (b"content-length", b"2")], error)


@pytest.mark.parametrize("parse_requests", [True, False])
@pytest.mark.parametrize(
    "buffered",
    [b"", b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"],
)
def test_refuse_makes_every_later_read_raise_the_drivers_error(
    parse_requests: bool, buffered: bytes
) -> None:
    """Whatever is buffered (a valid head, nothing) and however often it is asked, the
    reader raises the driver's own error object and consumes nothing."""
    reader = engine.MessageReader(parse_requests=parse_requests, max_head_size=1024)
    if buffered:
        reader.feed(buffered)
    error = RemoteProtocolError("these bytes answer no request")
    reader.refuse(error)
    depths = set()
    for _ in range(3):
        with pytest.raises(RemoteProtocolError) as info:
            reader.next_event()
        assert info.value is error
        depths.add(len(list(traceback.walk_tb(error.__traceback__))))
    assert len(depths) == 1  # raised afresh each time: the traceback does not grow
    reader.feed(b"more")
    with pytest.raises(RemoteProtocolError):
        reader.next_event()
    assert reader.buffered == buffered + b"more"
