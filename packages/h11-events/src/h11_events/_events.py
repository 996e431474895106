"""The events of an HTTP/1.1 conversation, as h11 defines them.

Events are frozen, slotted dataclasses with keyword construction. The public
constructors validate every field and raise :class:`LocalProtocolError`; the
``_from_parser`` constructors are for parsers that already validated the
bytes and must not pay for it twice (they are on the hot path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from ._errors import LocalProtocolError
from ._grammar import http_version_re, reason_phrase_re, request_target_re, token_re
from ._headers import BytesLike, Headers, HeaderTypes, bytesify, normalize_headers
from ._mypyc import mypyc_attr
from ._rules import check_hosts

__all__ = [
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "InformationalResponse",
    "Request",
    "Response",
]

_new: Final = object.__new__
_R = TypeVar("_R", bound="_ResponseBase")


@mypyc_attr(native_class=False)
class Event:
    """Base class of every event; not made directly (it takes no arguments)."""

    __slots__ = ()


def _setter(cls: type, name: str) -> Any:
    """The slot setter of ``cls.name``: writes past the frozen ``__setattr__``."""
    return cls.__dict__[name].__set__


def _check_version(version: Any) -> bytes:
    if version == b"1.1":
        return b"1.1"
    version = bytesify(version)
    if http_version_re.fullmatch(version) is None:
        raise LocalProtocolError(f"Illegal http_version {version!r}")
    return version  # type: ignore[no-any-return]


@mypyc_attr(native_class=False)
@dataclass(init=False, frozen=True, slots=True)
class Request(Event):
    """The head of a request: request line and header fields.

    Keyword arguments only, as in h11; each is validated and a bad one raises
    :class:`LocalProtocolError`.

    :param method: the method, a token such as ``b"GET"`` (``str`` is encoded as ASCII).
    :param headers: the header fields, a list of ``(name, value)`` pairs of ``bytes``
        or ``str`` (or a :class:`Headers`). An HTTP/1.1 request needs exactly one
        ``Host`` field. Required, as in h11.
    :param target: the request target, e.g. ``b"/index.html?q=1"``.
    :param http_version: ``b"1.1"`` (the default) or ``b"1.0"``.
    """

    method: bytes
    """The method, a token such as ``b"GET"`` (case kept)."""
    headers: Headers
    """The header fields; an HTTP/1.1 request has exactly one Host."""
    target: bytes
    """The request target as sent (origin, absolute, authority or ``*`` form)."""
    http_version: bytes = b"1.1"
    """``b"1.1"`` or ``b"1.0"`` for requests we parse; what to send for ours."""

    def __init__(
        self,
        *,
        method: BytesLike,
        headers: HeaderTypes,
        target: BytesLike,
        http_version: BytesLike = b"1.1",
    ) -> None:
        try:
            method = _known_methods[method]
        except (KeyError, TypeError):  # new, or unhashable (bytearray)
            method = _learn_method(method)
        if type(target) is str and target.isprintable() and target and " " not in target:
            # Printable, non-empty, no space: visible characters if ASCII (encode checks).
            target = target.encode("ascii")
        else:
            if type(target) is not bytes:
                target = target.encode("ascii") if type(target) is str else bytesify(target)
            if request_target_re.fullmatch(target) is None:
                raise LocalProtocolError("Illegal target characters")
        version = b"1.1" if http_version == b"1.1" else _check_version(http_version)
        headers = normalize_headers(headers, LocalProtocolError)
        check_hosts(headers._items, version, LocalProtocolError)
        _set_method(self, method)
        _set_request_headers(self, headers)
        _set_target(self, target)
        _set_request_version(self, version)

    @classmethod
    def _from_parser(
        cls,
        method: bytes,
        items: list[tuple[bytes, bytes]],
        raw: list[tuple[bytes, bytes]],
        target: bytes,
        http_version: bytes,
    ) -> Request:
        """A Request of validated parts; ``items``/``raw`` become its Headers as they are."""
        self = _new(cls)
        _set_method(self, method)
        headers = _new(Headers)  # Headers._from_parsed without the call (hot path)
        headers._items = items
        headers._raw = raw
        _set_request_headers(self, headers)
        _set_target(self, target)
        _set_request_version(self, http_version)
        return self


# Events compare by value but are unhashable, as in h11. Set here rather than in the
# class bodies: a compiled (mypyc) dataclass takes every class-body name for a field.
Request.__hash__ = None  # type: ignore[assignment]
_set_method: Final = _setter(Request, "method")

#: Methods already validated, as given -> bytes (a handful in practice; bounded).
_known_methods: dict[Any, bytes] = {}


def _learn_method(method: Any) -> bytes:
    raw = bytesify(method)
    if token_re.fullmatch(raw) is None:
        shown = repr(raw) if len(raw) <= 64 else f"{raw[:64]!r}... ({len(raw)} bytes)"
        raise LocalProtocolError(
            f"Illegal method characters in {shown}: a method is a token of letters, "
            "digits and !#$%&'*+-.^_`|~ (such as b'GET' or b'POST'), without spaces"
        )
    if (type(method) is bytes or type(method) is str) and len(_known_methods) < 64:
        _known_methods[method] = raw
    return raw


_set_request_headers: Final = _setter(Request, "headers")
_set_target: Final = _setter(Request, "target")
_set_request_version: Final = _setter(Request, "http_version")


@mypyc_attr(native_class=False)
@dataclass(init=False, frozen=True, slots=True)
class _ResponseBase(Event):
    headers: Headers
    """The header fields."""
    http_version: bytes = b"1.1"
    """The version of the status line."""
    reason: bytes = b""
    """The reason phrase; may be empty, may hold obs-text bytes."""
    status_code: int = field(default=200)
    """The status code."""

    def __init__(
        self,
        *,
        status_code: Any,
        headers: HeaderTypes,
        reason: BytesLike = b"",
        http_version: BytesLike = b"1.1",
    ) -> None:
        if type(status_code) is not int:
            if isinstance(status_code, bool) or not isinstance(status_code, int):
                raise LocalProtocolError("status code must be integer")
            status_code = int(status_code)
        allowed = _INFORMATIONAL if isinstance(self, InformationalResponse) else _FINAL
        if status_code not in allowed:
            raise LocalProtocolError(
                f"{type(self).__name__} status_code should be in range "
                f"[{allowed.start}, {allowed.stop}), not {status_code}"
            )
        if reason:
            if type(reason) is not bytes:
                reason = bytesify(reason)
            if reason not in _COMMON_REASONS and reason_phrase_re.fullmatch(reason) is None:
                raise LocalProtocolError(f"Illegal reason phrase {reason!r}")
        else:
            reason = b""
        _set_response_headers(self, normalize_headers(headers, LocalProtocolError))
        _set_response_version(
            self, b"1.1" if http_version == b"1.1" else _check_version(http_version)
        )
        _set_reason(self, reason)
        _set_status(self, status_code)

    @classmethod
    def _from_parser(
        cls: type[_R],
        status_code: int,
        items: list[tuple[bytes, bytes]],
        raw: list[tuple[bytes, bytes]],
        reason: bytes,
        http_version: bytes,
    ) -> _R:
        """A response of validated parts; ``items``/``raw`` become its Headers as they are."""
        self = _new(cls)
        headers = _new(Headers)  # Headers._from_parsed without the call (hot path)
        headers._items = items
        headers._raw = raw
        _set_response_headers(self, headers)
        _set_response_version(self, http_version)
        _set_reason(self, reason)
        _set_status(self, status_code)
        return self


@mypyc_attr(native_class=False)
class InformationalResponse(_ResponseBase):
    """A 1xx interim response (100 Continue, 101 Switching Protocols, ...).

    Keyword arguments only, as in h11; a bad one raises :class:`LocalProtocolError`.

    :param status_code: an ``int`` from 100 to 199.
    :param headers: the header fields, a list of ``(name, value)`` pairs of ``bytes``
        or ``str`` (or a :class:`Headers`); ``[]`` for none. Required, as in h11.
    :param reason: the reason phrase, e.g. ``b"Continue"``; empty by default.
    :param http_version: ``b"1.1"`` (the default) or ``b"1.0"``.
    """

    # Fields, slots, repr, equality and frozenness all come from _ResponseBase: a
    # dataclass decorator here would redeclare the slots (Python 3.10) and, compiled,
    # take ``__slots__`` for a field.
    __slots__ = ()


@mypyc_attr(native_class=False)
class Response(_ResponseBase):
    """The head of a final response (status 200 to 999).

    Keyword arguments only, as in h11; a bad one raises :class:`LocalProtocolError`.

    :param status_code: an ``int`` from 200 to 999.
    :param headers: the header fields, a list of ``(name, value)`` pairs of ``bytes``
        or ``str`` (or a :class:`Headers`); ``[]`` for none. Required, as in h11.
    :param reason: the reason phrase, e.g. ``b"OK"``; empty by default.
    :param http_version: ``b"1.1"`` (the default) or ``b"1.0"``.
    """

    __slots__ = ()


#: The status codes each kind of response may have (module constants, not class
#: attributes: a compiled dataclass would take those for fields).
_INFORMATIONAL: Final = range(100, 200)
#: Reason phrases servers send on most responses (uvicorn sends the standard one for
#: every status): a set lookup spares them the pattern. Only phrases the pattern accepts.
_COMMON_REASONS: Final = frozenset(
    reason
    for reason in (
        b"OK",
        b"Created",
        b"Accepted",
        b"No Content",
        b"Partial Content",
        b"Moved Permanently",
        b"Found",
        b"See Other",
        b"Not Modified",
        b"Temporary Redirect",
        b"Permanent Redirect",
        b"Bad Request",
        b"Unauthorized",
        b"Forbidden",
        b"Not Found",
        b"Method Not Allowed",
        b"Internal Server Error",
        b"Bad Gateway",
        b"Service Unavailable",
        b"Continue",
        b"Switching Protocols",
    )
    if reason_phrase_re.fullmatch(reason) is not None
)
_FINAL: Final = range(200, 1000)

_ResponseBase.__hash__ = None  # type: ignore[assignment]
_set_response_headers: Final = _setter(_ResponseBase, "headers")
_set_response_version: Final = _setter(_ResponseBase, "http_version")
_set_reason: Final = _setter(_ResponseBase, "reason")
_set_status: Final = _setter(_ResponseBase, "status_code")


@mypyc_attr(native_class=False)
@dataclass(init=False, frozen=True, slots=True)
class Data(Event):
    """A piece of a message body.

    With chunked framing, ``chunk_start``/``chunk_end`` mark where a chunk of
    the wire format began and ended (informational; most code ignores them).

    :param data: the payload, any bytes-like object (may be given positionally).
    :param chunk_start: whether this piece starts a chunk; ``False`` by default.
    :param chunk_end: whether this piece ends a chunk; ``False`` by default.
    """

    data: bytes
    """The payload; on receive a ``bytes`` object, on send any bytes-like."""
    chunk_start: bool = False
    """This piece starts a chunk (received chunked bodies only)."""
    chunk_end: bool = False
    """This piece ends a chunk (received chunked bodies only)."""

    def __init__(
        self,
        data: bytes | bytearray | memoryview,
        chunk_start: bool = False,
        chunk_end: bool = False,
    ) -> None:
        _set_data(self, data)
        _set_chunk_start(self, chunk_start)
        _set_chunk_end(self, chunk_end)

    @classmethod
    def _from_parser(cls, data: bytes, chunk_start: bool, chunk_end: bool) -> Data:
        self = _new(cls)
        _set_data(self, data)
        _set_chunk_start(self, chunk_start)
        _set_chunk_end(self, chunk_end)
        return self


Data.__hash__ = None  # type: ignore[assignment]
_set_data: Final = _setter(Data, "data")
_set_chunk_start: Final = _setter(Data, "chunk_start")
_set_chunk_end: Final = _setter(Data, "chunk_end")

_NO_HEADERS: Final = Headers._from_parsed([], [])


@mypyc_attr(native_class=False)
@dataclass(init=False, frozen=True, slots=True)
class EndOfMessage(Event):
    """The end of a message body, with the trailer fields of a chunked body.

    :param headers: keyword only; the trailer fields, as for :class:`Request`.
        Optional: none by default. Trailers are sent only with a chunked body.
    """

    headers: Headers
    """Trailer fields (empty unless the body was chunked)."""

    def __init__(self, *, headers: HeaderTypes | None = None) -> None:
        if headers is None:
            headers = _NO_HEADERS
        else:
            headers = normalize_headers(headers, LocalProtocolError)
        _set_trailers(self, headers)

    @classmethod
    def _from_parser(cls, headers: Headers) -> EndOfMessage:
        self = _new(cls)
        _set_trailers(self, headers)
        return self


EndOfMessage.__hash__ = None  # type: ignore[assignment]
_set_trailers: Final = _setter(EndOfMessage, "headers")


@mypyc_attr(native_class=False)
@dataclass(frozen=True, slots=True)
class ConnectionClosed(Event):
    """The peer closed its sending side (EOF at a message boundary).

    Takes no arguments. Sending it tells the Connection that we closed ours.
    """


ConnectionClosed.__hash__ = None  # type: ignore[assignment]
