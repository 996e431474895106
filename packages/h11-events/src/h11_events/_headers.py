"""Header lists: lowercased names for lookups, original case kept for the wire.

``Headers`` is an immutable sequence of ``(name, value)`` pairs with lowercased
names, equal to any sequence with the same pairs (h11 semantics), and
``raw_items()`` gives the names as they were written or received.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, Union, overload

from ._errors import LocalProtocolError, ProtocolError
from ._grammar import field_value_ok, token_re
from ._mypyc import mypyc_attr
from ._rules import content_length_number, transfer_coding_is_chunked

BytesLike = bytes | bytearray | memoryview | str
HeaderTypes = Union["Headers", Iterable[tuple[BytesLike, BytesLike]]]

_new: Final = object.__new__


def bytesify(value: Any) -> bytes:
    """Coerce an event field to bytes: str is encoded as ASCII, ints are refused."""
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        return value.encode("ascii")
    if isinstance(value, int):
        raise TypeError(f"expected bytes-like object, not {type(value).__name__}")
    return bytes(value)


@mypyc_attr(native_class=False)
class Headers:
    """Validated header fields of one message, in order: a read-only ``Sequence``.

    Iterating gives ``(lowercased name, value)`` tuples; ``raw_items()`` gives
    ``(name as written, value)``. Build one from untrusted pairs with
    :func:`normalize_headers`; a parser wraps pairs it already validated with
    :meth:`_from_parsed` (the events' ``_from_parser`` constructors do the same inline).

    :param items: ``(name, value)`` pairs of ``bytes`` or ``str`` (or another
        ``Headers``); validated, a bad one raises LocalProtocolError. Empty by default.
    """

    __slots__ = ("_items", "_raw")

    _items: list[tuple[bytes, bytes]]
    _raw: list[tuple[bytes, bytes]]

    def __init__(self, items: HeaderTypes = ()) -> None:
        other = normalize_headers(items, LocalProtocolError)
        self._items = other._items
        self._raw = other._raw

    @classmethod
    def _from_parsed(
        cls, items: list[tuple[bytes, bytes]], raw: list[tuple[bytes, bytes]]
    ) -> Headers:
        """Wrap already validated pairs without looking at them again."""
        self = _new(cls)
        self._items = items
        self._raw = raw
        return self

    @overload
    def __getitem__(self, index: int) -> tuple[bytes, bytes]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[bytes, bytes]]: ...
    def __getitem__(self, index: int | slice) -> tuple[bytes, bytes] | list[tuple[bytes, bytes]]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[tuple[bytes, bytes]]:
        return iter(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return self._items == other._items
        try:
            return bool(self._items == list(other))  # type: ignore[call-overload]
        except TypeError:
            return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Headers({self._items!r})>"

    def raw_items(self) -> list[tuple[bytes, bytes]]:
        """The pairs with each name in its original case."""
        return list(self._raw)

    def get_all(self, name: bytes) -> list[bytes]:
        """Every value of the field ``name`` (lowercase), in order."""
        return [value for key, value in self._items if key == name]

    def index(self, value: Any, start: int = 0, stop: int = sys.maxsize) -> int:
        """Position of the first ``(name, value)`` pair equal to ``value``."""
        return self._items.index(value, start, stop)

    def count(self, value: Any) -> int:
        """How many pairs equal ``value``."""
        return self._items.count(value)

    def __contains__(self, value: object) -> bool:
        return value in self._items

    def __reversed__(self) -> Iterator[tuple[bytes, bytes]]:
        return reversed(self._items)

    def __reduce__(self) -> tuple[Any, ...]:
        # A module function, not the classmethod: compiled methods cannot be pickled.
        return (_unpickle_headers, (self._items, self._raw))


# Registered rather than subclassed: compiled (mypyc), the class cannot take the ABC's
# metaclass; the methods the ABC would mix in are defined above.
Sequence.register(Headers)


def _unpickle_headers(items: list[tuple[bytes, bytes]], raw: list[tuple[bytes, bytes]]) -> Headers:
    return Headers._from_parsed(items, raw)


def normalize_headers(headers: HeaderTypes, error: type[ProtocolError]) -> Headers:
    """Validate header pairs given by a user and return them as ``Headers``.

    Names must be tokens; values may not hold NUL, CR, LF, VT or FF (other control
    bytes pass, as in h11: a proxy forwards the cookies real servers set); whitespace
    around a value is stripped. Repeated equal Content-Length fields collapse into
    one; Transfer-Encoding must be chunked.
    """
    if type(headers) is Headers:
        return headers
    items: list[tuple[bytes, bytes]] = []
    raw: list[tuple[bytes, bytes]] = []
    content_length: bytes | None = None
    transfer_encodings: list[bytes] | None = None
    value_ok = field_value_ok
    names = _known_names
    for name, value in headers:
        try:
            name, lowered = names[name]
        except (KeyError, TypeError):  # new, or unhashable (bytearray)
            name, lowered = _learn_name(name, error)
        if type(value) is str and value.isprintable() and value[:1] != " " and value[-1:] != " ":
            # Printable with no space around: a valid value if ASCII (encode checks).
            value = value.encode("ascii")
        else:
            if type(value) is not bytes:
                value = value.encode("ascii") if type(value) is str else bytesify(value)
            if value_ok(value) is None:
                # The pattern refuses surrounding whitespace: strip it, then retry.
                value = value.strip(b" \t")
                if value_ok(value) is None:
                    raise error(f"Illegal header value {value!r}")
        if lowered == b"content-length":
            value = content_length_number(content_length, value, error)
            if content_length is not None:
                continue  # the same number again: one field
            content_length = value
        elif lowered == b"transfer-encoding":
            if transfer_encodings is None:
                transfer_encodings = []
            transfer_encodings.append(value)
            transfer_coding_is_chunked(transfer_encodings, error)
            value = b"chunked"
        items.append((lowered, value))
        raw.append((name, value))
    fields = _new(Headers)  # what _from_parsed does, without the call
    fields._items = items
    fields._raw = raw
    return fields


#: Field names already validated, as given (str or bytes) -> (bytes, lowercased).
#: Applications send the same few names over and over; a dict hit replaces the
#: encode, the token check and the lowering. Bounded: cleared when full.
_known_names: Final[dict[Any, tuple[bytes, bytes]]] = {}
_KNOWN_NAMES_MAX: Final = 1024


def _learn_name(name: Any, error: type[ProtocolError]) -> tuple[bytes, bytes]:
    raw = bytesify(name)
    if token_re.fullmatch(raw) is None:
        raise error(f"Illegal header name {raw!r}")
    known = (raw, raw.lower())
    if type(name) is bytes or type(name) is str:
        if len(_known_names) >= _KNOWN_NAMES_MAX:
            _known_names.clear()
        _known_names[name] = known
    return known
