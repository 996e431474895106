"""What a head says about its body and its connection (RFC 9112 6 and 9.6).

One pass over the fields collects the facts that matter for framing and
keep-alive. Each rule then has one function here that the reader, the
standalone parsers and writers and the Connection all call, so both
directions always agree: :func:`body_framing` (which body a message has, from
its fields, the request method and the status: none after HEAD, for 1xx, 204
and 304, a ``TUNNEL`` after a 2xx to CONNECT), :func:`ends_connection`
(keep-alive) and :func:`check_sendable` (what we may not send).
Content-Length syntax is h11_events.rules.content_length_number's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from h11_events import LocalProtocolError, ProtocolError
from h11_events.rules import content_length_number, list_members, transfer_coding_is_chunked

#: Body framings.
NO_BODY: Final = 0
CONTENT_LENGTH: Final = 1
CHUNKED: Final = 2
UNTIL_CLOSE: Final = 3
#: No body, and the message ends with its head: the connection is a tunnel from
#: there on, no longer HTTP/1.1 (a 2xx answer to CONNECT, RFC 9110 9.3.6).
TUNNEL: Final = 4

#: The protocol switches a request can propose, as the Connection's state machine names
#: the server's acceptance of each.
SWITCH_UPGRADE: Final = "upgrade"
SWITCH_CONNECT: Final = "CONNECT"
_PROPOSALS: Final[dict[tuple[bool, bool], tuple[str, ...]]] = {
    (False, False): (),
    (True, False): (SWITCH_UPGRADE,),
    (False, True): (SWITCH_CONNECT,),
    (True, True): (SWITCH_UPGRADE, SWITCH_CONNECT),
}

#: The fields whose values are facts of a head.
_SPECIAL: Final = frozenset(
    (b"content-length", b"transfer-encoding", b"connection", b"upgrade", b"expect")
)


class HeadFacts:
    """The framing and connection facts of one head's fields."""

    __slots__ = (
        "both_framings",
        "close",
        "content_length",
        "expect_continue",
        "needs_normalizing",
        "transfer_encodings",
        "upgrade",
    )

    def __init__(self) -> None:
        #: The one number the Content-Length fields give, as digits (None: no such field).
        self.content_length: bytes | None = None
        #: The Transfer-Encoding field values (None: no such field).
        self.transfer_encodings: list[bytes] | None = None
        #: ``Connection: close`` (RFC 9110 7.6.1).
        self.close = False
        #: An ``Upgrade`` field naming a protocol (RFC 9110 7.8).
        self.upgrade = False
        #: ``Expect: 100-continue`` (RFC 9110 10.1.1).
        self.expect_continue = False
        #: A framing field's value is not already in the form events show.
        self.needs_normalizing = False
        #: Both Transfer-Encoding and Content-Length: chunked frames the body, the
        #: connection closes after it (RFC 9112 6.3), and we never send it (RFC 9112 6.2).
        self.both_framings = False


#: The facts of a head with none of the fields that make facts (most heads): shared,
#: since facts never change once scanned.
EMPTY_FACTS: Final = HeadFacts()


def head_facts(items: Iterable[tuple[bytes, bytes]], error: type[ProtocolError]) -> HeadFacts:
    """The facts of a head's (lowercased name, value) pairs, whose values are valid field
    values; a bad Content-Length or a conflict raises ``error``."""
    facts = EMPTY_FACTS
    for name, value in items:
        if name in _SPECIAL:
            if facts is EMPTY_FACTS:
                facts = HeadFacts()
            if name == b"content-length":
                previous = facts.content_length
                number = content_length_number(previous, value, error)
                if previous is not None or number != value:
                    facts.needs_normalizing = True  # a repeat, or a list: one field of one number
                facts.content_length = number
            else:
                _note_other(facts, name, value)
    if facts.transfer_encodings is not None and facts.content_length is not None:
        facts.both_framings = True
    return facts


def _note_other(facts: HeadFacts, name: bytes, value: bytes) -> None:
    if name == b"transfer-encoding":
        if value != b"chunked":
            facts.needs_normalizing = True
        if facts.transfer_encodings is None:
            facts.transfer_encodings = [value]
        else:
            facts.transfer_encodings.append(value)
    elif name == b"connection":
        if b"close" in list_members(value):
            facts.close = True
    elif name == b"upgrade":
        # Upgrade = #protocol (RFC 9110 7.8): a value with no protocol proposes nothing.
        if list_members(value):
            facts.upgrade = True
    elif value.lower() == b"100-continue" or b"100-continue" in list_members(value):
        # Expect is a list (RFC 9110 10.1.1): ``100-continue`` among other expectations
        # counts, in any case, as h11 does.
        facts.expect_continue = True


def body_framing(
    facts: HeadFacts,
    error: type[ProtocolError],
    http_10: bool,
    answers: bytes | None = None,
    status: int = 0,
) -> tuple[int, int]:
    """The one rule for which body a message has: (framing, length).

    A request (``answers`` None) or a response with ``status`` that answers a
    request of method ``answers``. Where the request or status decides, the fields
    do not: a 2xx to CONNECT is a ``TUNNEL`` (RFC 9110 9.3.6); a HEAD response, 1xx,
    204 and 304 have no body (RFC 9110 6.3, RFC 9112 6.3). Otherwise Transfer-Encoding
    chunked wins over Content-Length; then Content-Length; else a request has no
    body and a response is read until close. In an HTTP/1.0 message Transfer-Encoding
    is faulty framing (RFC 9112 6.1): a request is refused; a response's chunks are
    decoded (as h11 and llhttp do) and the connection closes after it (HTTP/1.0:
    :func:`ends_connection`). Empty Transfer-Encoding list members are refused in a
    request, ignored in a response (:func:`transfer_coding_is_chunked`). The reader,
    both writers and the Connection (completing what it sends) all decide with this.
    """
    if answers is not None:
        if answers == b"CONNECT" and 200 <= status < 300:
            return TUNNEL, 0
        if answers == b"HEAD" or status < 200 or status == 204 or status == 304:
            return NO_BODY, 0
    if facts.transfer_encodings is not None:
        if http_10 and answers is None:
            raise error("Transfer-Encoding in an HTTP/1.0 request")
        transfer_coding_is_chunked(
            facts.transfer_encodings, error, empty_members_ok=answers is not None
        )
        return CHUNKED, 0
    if facts.content_length is not None:
        length = int(facts.content_length)
        return (CONTENT_LENGTH, length) if length else (NO_BODY, 0)
    return (NO_BODY, 0) if answers is None else (UNTIL_CLOSE, 0)


def proposed_switches(facts: HeadFacts, method: bytes) -> tuple[str, ...]:
    """The protocol switches a request proposes: an Upgrade field (RFC 9110 7.8) and
    the CONNECT method (RFC 9110 9.3.6). After one, the bytes that follow the request
    may no longer be HTTP/1.1: the standalone RequestParser and the Connection stop there."""
    return _PROPOSALS[facts.upgrade, method == b"CONNECT"]


def ends_connection(facts: HeadFacts, http_version: bytes) -> bool:
    """Whether the message of this head is the last on its connection: it says
    ``Connection: close``, is HTTP/1.0 (h11 does not do 1.0 keep-alive), or has
    both Transfer-Encoding and Content-Length (RFC 9112 6.3: close after it)."""
    return facts.close or http_version == b"1.0" or facts.both_framings


def check_sendable(facts: HeadFacts) -> None:
    """What we may not send though we accept receiving it: both Transfer-Encoding
    and Content-Length (RFC 9112 6.2: a sender MUST NOT)."""
    if facts.both_framings:
        raise LocalProtocolError(
            "a message must not have both Transfer-Encoding and Content-Length"
        )


#: Fields a request's trailer section may not carry. RFC 9110 6.5.1: a field needed
#: before the content is processed (framing, routing, authentication, request modifiers,
#: how to process the content) must not come after it; a trailer holding one is refused
#: (400, as llhttp does), since an application or a front end could otherwise act on a
#: value that arrived after the body it was meant to govern. Framing and connection
#: control: Content-Length, Transfer-Encoding, Trailer, Connection, Upgrade, TE. Routing:
#: Host. Request modifiers (controls and conditionals): Cache-Control, Expect,
#: Max-Forwards, Pragma, Range, If-Match, If-None-Match, If-Modified-Since,
#: If-Unmodified-Since, If-Range. Authentication: Authorization, Proxy-Authorization,
#: Cookie. How to process the content: Content-Type, Content-Encoding, Content-Range.
REQUEST_TRAILER_REFUSED: Final = frozenset(
    (
        b"content-length",
        b"transfer-encoding",
        b"trailer",
        b"connection",
        b"upgrade",
        b"te",
        b"host",
        b"cache-control",
        b"expect",
        b"max-forwards",
        b"pragma",
        b"range",
        b"if-match",
        b"if-none-match",
        b"if-modified-since",
        b"if-unmodified-since",
        b"if-range",
        b"authorization",
        b"proxy-authorization",
        b"cookie",
        b"content-type",
        b"content-encoding",
        b"content-range",
    )
)


def check_request_trailers(items: list[tuple[bytes, bytes]], error: type[ProtocolError]) -> None:
    """Refuse a received request's trailer field in :data:`REQUEST_TRAILER_REFUSED`.

    Responses' trailers are passed on whatever they hold, as h11 does: a client
    refusing them gains no safety and loses interoperability.
    """
    for name, _ in items:
        if name in REQUEST_TRAILER_REFUSED:
            raise error(f"{name.decode()} field in the trailer section of a request")


def normalize_framing_fields(
    items: list[tuple[bytes, bytes]], raw: list[tuple[bytes, bytes]], facts: HeadFacts
) -> tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
    """Received framing fields as the events of h11 show them.

    A Content-Length list or repeat becomes one field holding the one number;
    Transfer-Encoding values are lowercased (``chunked`` once validated).
    Only called when ``facts.needs_normalizing``; other fields are untouched.
    """
    new_items: list[tuple[bytes, bytes]] = []
    new_raw: list[tuple[bytes, bytes]] = []
    seen_length = False
    for (name, value), (raw_name, _) in zip(items, raw, strict=True):
        if name == b"content-length":
            if seen_length:
                continue
            seen_length = True
            value = facts.content_length  # type: ignore[assignment]
        elif name == b"transfer-encoding":
            value = value.lower()
        new_items.append((name, value))
        new_raw.append((raw_name, value))
    return new_items, new_raw
