"""Pluggy hooks (project "h11"): fields and events can be vetoed by plugins.

A hook returning a string refuses what it was shown: a RemoteProtocolError
(400) on receive, a LocalProtocolError on send (and nothing is written).
"""

from __future__ import annotations

from typing import Any

import pluggy
import pytest
from h11_events import (
    NEED_DATA,
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)
from h11_parser import (
    RequestParser,
    RequestWriter,
    ResponseParser,
    ResponseWriter,
    hookimpl,
    hookspecs,
)
from parser_support import drain, eom, ok_request, request_head

CHUNKED = request_head(b"Transfer-Encoding: chunked", b"X-Trace:  abc  ", method=b"POST")
CHUNKED += b"3\r\nabc\r\n0\r\nX-Sum: 9\r\n\r\n"


class FieldRecorder:
    """Records every h11_validate_header call and refuses one field name."""

    def __init__(self, refuse: bytes = b"") -> None:
        self.calls: list[tuple[bytes, bytes, type[Any], str]] = []
        self.refuse = refuse

    @hookimpl
    def h11_validate_header(
        self, name: bytes, value: bytes, event_type: type[Any], direction: str
    ) -> str | None:
        self.calls.append((name, value, event_type, direction))
        if name == self.refuse:
            return f"{name.decode()} is not welcome here"
        return None


class EventRecorder:
    """Records every h11_dispatch_event call and refuses one event type."""

    def __init__(self, refuse: type[Any] | None = None) -> None:
        self.calls: list[tuple[Any, str, Any]] = []
        self.refuse = refuse

    @hookimpl
    def h11_dispatch_event(self, event: Any, direction: str, source: Any) -> str | None:
        self.calls.append((event, direction, source))
        if self.refuse is not None and type(event) is self.refuse:
            return f"no {type(event).__name__} today"
        return None


def test_hookimpl_marks_the_h11_project() -> None:
    assert isinstance(hookimpl, pluggy.HookimplMarker)
    assert hookimpl.project_name == "h11"


def test_validate_header_sees_received_fields_and_trailers() -> None:
    plugin = FieldRecorder()
    parser = RequestParser(plugins=[plugin])
    parser.feed(CHUNKED)
    events = drain(parser)
    assert events[-2:] == [eom((b"X-Sum", b"9")), NEED_DATA]
    assert plugin.calls == [
        (b"host", b"example.com", Request, "receive"),
        (b"transfer-encoding", b"chunked", Request, "receive"),
        (b"x-trace", b"abc", Request, "receive"),
        (b"x-sum", b"9", EndOfMessage, "receive"),
    ]


def test_validate_header_on_responses() -> None:
    plugin = FieldRecorder()
    parser = ResponseParser(plugins=[plugin])
    parser.feed(
        b"HTTP/1.1 103 Early\r\nLink: <a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    )
    assert [type(e) for e in drain(parser)[:-1]] == [InformationalResponse, Response, EndOfMessage]
    assert plugin.calls == [
        (b"link", b"<a>", InformationalResponse, "receive"),
        (b"content-length", b"0", Response, "receive"),
    ]


@pytest.mark.parametrize("refuse", [b"x-trace", b"x-sum"])
def test_refused_received_field_is_400(refuse: bytes) -> None:
    parser = RequestParser(plugins=[FieldRecorder(refuse)])
    parser.feed(CHUNKED)
    with pytest.raises(RemoteProtocolError) as info:
        drain(parser)
    assert info.value.error_status_hint == 400
    assert "not welcome" in str(info.value)
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


def test_first_result_wins() -> None:
    first, second = FieldRecorder(b"host"), FieldRecorder(b"host")
    parser = RequestParser(plugins=[first, second])
    parser.feed(request_head())
    with pytest.raises(RemoteProtocolError):
        parser.next_event()
    # pluggy calls the last registered first; exactly one of them refused.
    assert sorted([len(first.calls), len(second.calls)]) == [0, 1]


def test_dispatch_event_sees_received_events() -> None:
    plugin = EventRecorder()
    parser = RequestParser(plugins=[plugin])
    parser.feed(CHUNKED)
    events = drain(parser)
    assert events[-1] is NEED_DATA
    assert [call[0] for call in plugin.calls] == events[:-1]
    assert all(direction == "receive" for _, direction, _ in plugin.calls)
    assert all(source is parser for _, _, source in plugin.calls)


@pytest.mark.parametrize("refuse", [Request, Data, EndOfMessage])
def test_refused_received_event_is_400(refuse: type[Any]) -> None:
    parser = RequestParser(plugins=[EventRecorder(refuse)])
    parser.feed(CHUNKED)
    with pytest.raises(RemoteProtocolError) as info:
        drain(parser)
    assert info.value.error_status_hint == 400
    assert refuse.__name__ in str(info.value)


def test_hook_may_choose_the_status() -> None:
    class Limit:
        @hookimpl
        def h11_validate_header(
            self, name: bytes, value: bytes, event_type: type[Any], direction: str
        ) -> str | None:
            if name == b"x-trace":
                raise RemoteProtocolError("tracing is off", 403)
            return None

    parser = RequestParser(plugins=[Limit()])
    parser.feed(CHUNKED)
    with pytest.raises(RemoteProtocolError) as info:
        drain(parser)
    assert info.value.error_status_hint == 403


def test_plugin_manager_accepted() -> None:
    manager = pluggy.PluginManager("h11")
    manager.add_hookspecs(hookspecs)
    plugin = FieldRecorder(b"host")
    manager.register(plugin)
    parser = RequestParser(plugins=manager)
    parser.feed(request_head())
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


def test_no_plugins_and_empty_plugins_behave_alike() -> None:
    options: list[list[object] | None] = [None, []]
    for plugins in options:
        parser = RequestParser(plugins=plugins)
        parser.feed(request_head())
        assert drain(parser) == [ok_request(), eom(), NEED_DATA]


def test_plugins_that_accept_change_nothing() -> None:
    plain = RequestParser()
    watched = RequestParser(plugins=[FieldRecorder(), EventRecorder()])
    for parser in (plain, watched):
        parser.feed(CHUNKED + request_head())
    assert drain(watched) == drain(plain)


# ---- writers ----------------------------------------------------------------------------------


def test_writer_hooks_see_sent_fields_and_events() -> None:
    fields, events = FieldRecorder(), EventRecorder()
    writer = RequestWriter(plugins=[fields, events])
    head = Request(
        method=b"POST",
        target=b"/",
        headers=[(b"Host", b"h"), (b"Transfer-Encoding", b"chunked")],
    )
    sent = [head, Data(data=b"abc"), EndOfMessage(headers=[(b"X-Sum", b"3")])]
    wire = b"".join(writer.send(event) for event in sent)
    assert wire.endswith(b"3\r\nabc\r\n0\r\nX-Sum: 3\r\n\r\n")
    assert fields.calls == [
        (b"host", b"h", Request, "send"),
        (b"transfer-encoding", b"chunked", Request, "send"),
        (b"x-sum", b"3", EndOfMessage, "send"),
    ]
    assert [call[0] for call in events.calls] == sent
    assert all(d == "send" and s is writer for _, d, s in events.calls)


def test_refused_sent_field_is_local_error() -> None:
    writer = ResponseWriter(plugins=[FieldRecorder(b"server")])
    with pytest.raises(LocalProtocolError) as info:
        writer.send(
            Response(status_code=200, headers=[(b"Server", b"x"), (b"Content-Length", b"0")])
        )
    assert "not welcome" in str(info.value)
    # Nothing was sent, so the writer still expects a head.
    assert writer.send(Response(status_code=204, headers=[])) == b"HTTP/1.1 204 \r\n\r\n"


def test_refused_sent_event_is_local_error() -> None:
    writer = ResponseWriter(plugins=[EventRecorder(Data)])
    writer.send(Response(status_code=200, headers=[(b"Content-Length", b"1")]))
    with pytest.raises(LocalProtocolError):
        writer.send(Data(data=b"x"))
