"""Protocol switches: Upgrade and 101 (RFC 9110 7.8, 15.2.2), CONNECT and 2xx (RFC 9110 9.3.6).

After the switch the bytes are no longer HTTP/1.1: a parser pauses with them in trailing_data,
a writer refuses every further event. An Upgrade field that names no protocol proposes
nothing, as in h11 0.16. A 100 (Continue) switches nothing.
"""

from __future__ import annotations

import pytest
from h11_events import (
    NEED_DATA,
    PAUSED,
    Data,
    EndOfMessage,
    InformationalResponse,
    LocalProtocolError,
    Request,
    Response,
)
from h11_parser import RequestParser, ResponseParser, ResponseWriter
from parser_support import (
    both_ways,
    one_by_one,
    run,
)


@pytest.mark.parametrize("split", [False, True])
def test_2xx_to_connect_ends_the_message_and_pauses_in_both_directions(split: bool) -> None:
    """As in a Connection: the head ends the message (no EndOfMessage), a tunnel follows."""
    writer = ResponseWriter(b"CONNECT")
    wire = writer.send(Response(status_code=200, headers=[]))
    assert writer.switched
    for event in (
        Data(data=b"tunnel bytes"),
        EndOfMessage(),
        Response(status_code=200, headers=[]),
    ):
        with pytest.raises(LocalProtocolError, match="switched"):
            writer.send(event)
    parser = ResponseParser(b"CONNECT")
    data = wire + b"tunnel bytes"
    events = run(parser, one_by_one(data) if split else [data])
    assert events == [Response(status_code=200, headers=[]), PAUSED]
    assert parser.trailing_data == (b"tunnel bytes", False)


def test_writer_refuses_everything_after_a_101() -> None:
    writer = ResponseWriter()
    writer.send(InformationalResponse(status_code=101, headers=[(b"Upgrade", b"h2c")]))
    assert writer.switched
    with pytest.raises(LocalProtocolError, match="switched"):
        writer.send(Response(status_code=200, headers=[]))


def test_writer_goes_on_after_a_100() -> None:
    writer = ResponseWriter()
    writer.send(InformationalResponse(status_code=100, headers=[]))
    assert not writer.switched
    writer.send(Response(status_code=204, headers=[]))
    writer.send(EndOfMessage())


# ---- Upgrade proposals (RFC 9110 7.8) ------------------------------------------------------


@pytest.mark.parametrize("value", [b"", b" ", b"\t", b",", b" , ", b",,"])
def test_an_upgrade_naming_no_protocol_proposes_nothing(value: bytes) -> None:
    """RFC 9110 7.8: Upgrade = #protocol; h11 proposes nothing for these either. The
    standalone parser reads on as HTTP/1.1."""
    data = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade:" + value + b"\r\n\r\n"
    events = both_ways(RequestParser, data + b"GET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
    assert [type(event) for event in events] == [
        Request,
        EndOfMessage,
        Request,
        EndOfMessage,
        type(NEED_DATA),
    ]


@pytest.mark.parametrize("value", [b"websocket", b", websocket", b"h2c,"])
def test_an_upgrade_naming_a_protocol_pauses(value: bytes) -> None:
    data = b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: " + value + b"\r\n\r\n"
    events = both_ways(RequestParser, data + b"\x00binary")
    assert [type(event) for event in events[:2]] == [Request, EndOfMessage]
    assert events[2] is PAUSED
