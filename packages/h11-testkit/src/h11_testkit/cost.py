"""Hostile byte shapes whose cost must grow linearly, and the growth measurement.

A peer that can make a parser's cost grow faster than its input stalls a server
(or a client) with a few kilobytes: a regex that backtracks over a long run of
SP from every offset is quadratic. Each `Shape` builds a stream of roughly ``n``
bytes around such a run (SP, HTAB, CR, ``;``, ``,``, ``=``, quotes, token
bytes) in one position of one grammar element; `growth` measures how the cost of
a parse grows from ``n`` to ``4 * n`` bytes in one run, so machines of any speed
give the same verdict. Linear code gives about 4; quadratic code gives about 16;
`LINEAR_BOUND` (8) is the line between them, and `check_linear` asserts it::

    @pytest.mark.parametrize("shape", cost.SHAPES, ids=cost.ids(cost.SHAPES))
    def test_linear(shape):
        cost.check_linear(lambda data: parse(shape.kind, data), shape, 8_000)

Only the standard library is imported, so any implementation can be measured.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

#: The largest allowed growth of cost from n to 4n bytes (linear: 4, quadratic: 16).
LINEAR_BOUND = 8.0

#: Who reads the stream: a server ("request") or a client ("response").
Kind = Literal["request", "response"]


@dataclass(frozen=True)
class Shape:
    """One hostile stream: ``build(n)`` is a message of about ``n`` bytes (plus a
    constant), for a server (``kind`` "request") or a client ("response")."""

    name: str
    kind: Kind
    build: Callable[[int], bytes]


def ids(shapes: Sequence[Shape]) -> list[str]:
    return [f"{shape.kind}-{shape.name}" for shape in shapes]


def growth(
    parse: Callable[[bytes], object],
    build: Callable[[int], bytes],
    n: int,
    *,
    repeats: int = 3,
    target: float = 0.0015,
) -> float:
    """How much more ``parse`` costs on ``build(4 * n)`` than on ``build(n)``.

    Each measurement repeats ``parse`` enough times that the smaller input takes at
    least ``target`` seconds of this thread's CPU time (other processes on a shared
    machine do not count), and the least of ``repeats`` measurements of each size is
    taken (the least disturbed). Sizes alternate, so drift hits both alike.
    """
    small, large = build(n), build(4 * n)
    rounds = 1
    while _cost(parse, small, rounds) < target and rounds < 1 << 20:
        rounds *= 2
    best_small = best_large = float("inf")
    for _ in range(repeats):
        best_small = min(best_small, _cost(parse, small, rounds))
        best_large = min(best_large, _cost(parse, large, rounds))
    return best_large / max(best_small, 1e-9)


def check_linear(parse: Callable[[bytes], object], shape: Shape, n: int) -> float:
    """Assert that ``parse``'s cost on ``shape`` grows at most `LINEAR_BOUND` times from n
    to 4n bytes; return the growth. A growth above the bound is measured once more, with
    more repeats, before it fails: a busy machine can spoil one measurement, not all."""
    ratio = growth(parse, shape.build, n)
    if ratio > LINEAR_BOUND:
        ratio = min(ratio, growth(parse, shape.build, n, repeats=5))
    assert ratio <= LINEAR_BOUND, f"{shape.name}: 4x the bytes cost {ratio:.1f}x the time"
    return ratio


def byte_by_byte(data: bytes) -> list[bytes]:
    """``data`` as one-byte reads."""
    return [data[i : i + 1] for i in range(len(data))]


def _cost(parse: Callable[[bytes], object], data: bytes, rounds: int) -> float:
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.thread_time()
        for _ in range(rounds):
            parse(data)
        return time.thread_time() - start
    finally:
        if enabled:
            gc.enable()


def _run(filler: bytes, n: int) -> bytes:
    return (filler * (n // len(filler) + 1))[:n]


_REQUEST = b"GET / HTTP/1.1\r\nHost: a\r\n"
_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
_CHUNKED_REQUEST = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
_CHUNKED_RESPONSE = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"

#: Field lines with a run (``{}``) in each position of the field-line grammar.
_FIELD_POSITIONS: dict[str, bytes] = {
    "in-name": b"X{}Y: a\r\n",
    "before-colon": b"X{}: a\r\n",
    "after-colon": b"X:{}\r\n",
    "value-start": b"X:{}a\r\n",
    "value-middle": b"X: a{}b\r\n",
    "value-end": b"X: a{}\r\n",
}
#: What follows the field line: another line that sends the block down a slow path.
_FOLLOWERS: dict[str, bytes] = {
    "bad-line": b"bad\r\n",
    "control-byte": b"Y: \x01\x00\r\n",
    "obs-fold": b" folded\r\n",
}
_FILLERS: dict[str, bytes] = {"sp": b" ", "htab": b"\t"}
#: Other bytes a grammar gives a meaning to, as runs in a name and inside a value.
_OTHER_FILLERS: dict[str, bytes] = {
    "cr": b"\r",
    "comma": b",",
    "semicolon": b";",
    "equals": b"=",
    "quote": b'"',
    "colon": b":",
    "ctl": b"\x01",
}
_KINDS: tuple[Kind, ...] = ("request", "response")


#: The follower that sends a block down its slow path: a line without a colon in a
#: request (obs-fold is an error there at once), obs-fold in a response (unfolded).
_SLOW_FOLLOWER: dict[Kind, str] = {"request": "bad-line", "response": "obs-fold"}


def _field_shape(kind: Kind, position: str, filler: str, follower: str, trailer: bool) -> Shape:
    """A field line with a run of ``filler`` at ``position``, then ``follower``: in the
    head, or in the trailer section of a chunked message."""
    template = _FIELD_POSITIONS[position]
    run, after = {**_FILLERS, **_OTHER_FILLERS}[filler], _FOLLOWERS[follower]
    if trailer:
        start = (_CHUNKED_REQUEST if kind == "request" else _CHUNKED_RESPONSE) + b"0\r\n"
    else:
        start = _REQUEST if kind == "request" else _RESPONSE

    def build(n: int) -> bytes:
        return start + template.replace(b"{}", _run(run, n)) + after + b"\r\n"

    where = "trailer-" if trailer else ""
    return Shape(f"{where}{position}-{filler}-then-{follower}", kind, build)


def _simple(name: str, kind: Kind, before: bytes, filler: bytes, after: bytes) -> Shape:
    def build(n: int) -> bytes:
        return before + _run(filler, n) + after

    return Shape(name, kind, build)


def _repeated(name: str, kind: Kind, before: bytes, unit: bytes, after: bytes) -> Shape:
    """``unit`` repeated to about n bytes (many short lines or list members)."""

    def build(n: int) -> bytes:
        return before + unit * max(1, n // len(unit)) + after

    return Shape(name, kind, build)


def _field_shapes() -> list[Shape]:
    """Every position, SP/HTAB filler and follower in heads; other runs in a name and a
    value; SP runs in trailer sections."""
    heads = [
        _field_shape(kind, position, filler, follower, trailer=False)
        for kind in _KINDS
        for position in _FIELD_POSITIONS
        for filler in _FILLERS
        for follower in _FOLLOWERS
    ]
    others = [
        _field_shape(kind, position, filler, _SLOW_FOLLOWER[kind], trailer=False)
        for kind in _KINDS
        for position in ("in-name", "value-middle")
        for filler in _OTHER_FILLERS
    ]
    trailers = [
        _field_shape(kind, position, "sp", follower, trailer=True)
        for kind in _KINDS
        for position in _FIELD_POSITIONS
        for follower in ("bad-line", "obs-fold")
    ]
    return heads + others + trailers


def _line_shapes() -> list[Shape]:
    """Start lines, leading empty lines, many lines, comma lists, Host, chunk lines."""
    req, resp = _KINDS
    end = b"\r\n\r\n"
    rest = b" / HTTP/1.1\r\nHost: a" + end
    return [
        # request line
        _simple("method-long", req, b"G", b"E", rest),
        _simple("method-sp-run", req, b"GET", b" ", b"/ HTTP/1.1\r\nHost: a" + end),
        _simple("target-long", req, b"GET /", b"a", b" HTTP/1.1\r\nHost: a" + end),
        _simple("target-sp-run", req, b"GET /", b" ", b"HTTP/1.1\r\nHost: a" + end),
        _simple("target-quotes", req, b"GET /", b'"', b" HTTP/1.1\r\nHost: a" + end),
        _simple("version-sp-run", req, b"GET / HTTP/1.1", b" ", b"\r\nHost: a" + end),
        _simple("version-cr-run", req, b"GET / HTTP/1.1", b"\r", b"\nHost: a" + end),
        _simple("absolute-form-scheme", req, b"GET h", b"+", b"//a/ HTTP/1.1\r\nHost: a" + end),
        _simple("authority-form-colons", req, b"CONNECT [", b":", b" HTTP/1.1\r\nHost: a" + end),
        _simple("authority-form-host", req, b"CONNECT ", b"a", b"x HTTP/1.1\r\nHost: a" + end),
        _repeated("empty-lines-crlf", req, b"", b"\r\n", b"GET / HTTP/1.1\r\nHost: a" + end),
        _repeated("empty-lines-lf", req, b"", b"\n", b"GET / HTTP/1.1\r\nHost: a" + end),
        _repeated("empty-lines-then-cr", req, b"", b"\r\n", b"\rGET / HTTP/1.1" + end),
        # many lines in one head
        _repeated("many-fields-then-bad-line", req, _REQUEST, b"X: a\r\n", b"bad" + end),
        _repeated("many-colons", req, _REQUEST, b":", end),
        _repeated("many-fields-obs-fold", req, _REQUEST, b"X: a\r\n b\r\n", b"\r\n"),
        _repeated("many-bare-lf-lines", req, _REQUEST, b"X: a\n", b"\r\n"),
        # comma lists and Host
        _simple("connection-commas", req, _REQUEST + b"Connection: ", b",", b"close" + end),
        _simple("connection-sp-commas", req, _REQUEST + b"Connection: a", b" ,", b"close" + end),
        _repeated("content-length-list", req, _REQUEST + b"Content-Length: ", b"1, ", b"1" + end),
        _simple("content-length-sp", req, _REQUEST + b"Content-Length: 1", b" ", b",2" + end),
        _simple("te-commas", req, _REQUEST + b"Transfer-Encoding: ", b",", b"chunked" + end),
        _repeated("te-list", req, _REQUEST + b"Transfer-Encoding: ", b"gzip, ", b"chunked" + end),
        _simple("expect-sp", req, _REQUEST + b"Expect: 100-continue", b" ", b"," + end),
        _simple("host-long", req, b"GET / HTTP/1.1\r\nHost: ", b"a", b"/" + end),
        _simple("host-ipv6-colons", req, b"GET / HTTP/1.1\r\nHost: [", b":", b"x" + end),
        _simple("host-ipvfuture", req, b"GET / HTTP/1.1\r\nHost: [v1.", b"a", b":x" + end),
        # status lines
        _simple("version-sp-run", resp, b"HTTP/1.1", b" ", b"200 OK\r\n\r\n"),
        _simple("status-tab-run", resp, b"HTTP/1.1 200", b"\t", b"OK\r\n\r\n"),
        _simple("reason-sp-then-nul", resp, b"HTTP/1.1 200 ", b" ", b"\x00\r\n\r\n"),
        _simple("reason-long", resp, b"HTTP/1.1 200 ", b"a", b"\r\n\r\n"),
        _simple("reason-tab-run", resp, b"HTTP/1.1 200 a", b"\t", b"b\r\n\r\n"),
        _repeated("many-obs-folds", resp, _RESPONSE + b"X: a\r\n", b" b\r\n", b"\r\n"),
        _repeated("many-fields-then-nul", resp, _RESPONSE, b"X: a\r\n", b"Y: \x00\r\n\r\n"),
        _repeated("many-bare-lf-lines", resp, b"HTTP/1.1 200 OK\n", b"X: a\n", b"\n"),
        _simple("fold-sp-run", resp, _RESPONSE + b"X: a\r\n", b" ", b"b\r\n\r\n"),
        _simple("fold-mixed-run", resp, _RESPONSE + b"X: a", b" \t\r\n", b"b\r\n\r\n"),
    ] + [
        # chunk-size lines and extensions, in requests and responses
        shape
        for kind, start in ((req, _CHUNKED_REQUEST), (resp, _CHUNKED_RESPONSE))
        for shape in (
            _simple("chunk-size-zeros", kind, start, b"0", b"5\r\nhello\r\n0\r\n\r\n"),
            _simple("chunk-size-sp", kind, start + b"5", b" ", b"x\r\n"),
            _simple("chunk-size-tab", kind, start + b"5", b"\t", b";a\r\n"),
            _simple("chunk-ext-semicolons", kind, start + b"5", b";", b"\r\n"),
            _repeated("chunk-ext-many", kind, start + b"5", b";a=b", b"\r\nhello\r\n0\r\n\r\n"),
            _repeated("chunk-ext-sp-semicolons", kind, start + b"5", b" ;", b"\r\n"),
            _simple("chunk-ext-name-long", kind, start + b"5;", b"a", b" \x01\r\n"),
            _simple("chunk-ext-equals", kind, start + b"5;a", b"=", b"\r\n"),
            _simple("chunk-ext-sp-before-value", kind, start + b"5;a=", b" ", b"\r\n"),
            _simple("chunk-ext-quote-open", kind, start + b'5;a="', b"a", b"\r\n"),
            _repeated("chunk-ext-quote-escapes", kind, start + b'5;a="', b'\\"', b"\r\n"),
            _repeated("chunk-ext-quotes", kind, start + b"5;a=", b'""', b"\r\n"),
            _repeated("many-chunks", kind, start, b"1\r\na\r\n", b"0\r\n\r\n"),
            _simple("chunk-cr-run", kind, start + b"5", b"\r", b"\n"),
        )
    ]


#: Every hostile shape, requests and responses: field lines with SP and HTAB runs in
#: each position before a line that takes a slow path, the same in trailer sections,
#: then start lines, empty lines, many lines, comma lists, Host, chunk-size lines.
SHAPES: tuple[Shape, ...] = (*_field_shapes(), *_line_shapes())
#: One shape per grammar position (SP runs; for field lines, before the follower that
#: sends the block down its slow path: a bad line in requests, obs-fold in responses),
#: then every start-line, list and chunk-line shape: for the slower byte-by-byte runs.
CORE: tuple[Shape, ...] = tuple(
    shape
    for shape in SHAPES
    if "-htab-" not in shape.name
    and not any(f"-{filler}-then-" in shape.name for filler in _OTHER_FILLERS)
    and "-then-control-byte" not in shape.name
    and not (shape.name.endswith("-then-obs-fold") and shape.kind == "request")
    and not (shape.name.endswith("-then-bad-line") and shape.kind == "response")
)
#: The shapes of issue #27's measurements (quadratic in field-line parsing): a subset.
REPORTED: tuple[Shape, ...] = tuple(
    shape
    for shape in SHAPES
    if f"{shape.kind}-{shape.name}"
    in {
        "request-before-colon-sp-then-bad-line",
        "request-value-middle-sp-then-bad-line",
        "request-value-middle-htab-then-control-byte",
        "request-trailer-before-colon-sp-then-bad-line",
        "response-value-middle-sp-then-obs-fold",
        "response-before-colon-sp-then-obs-fold",
    }
)
