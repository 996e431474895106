"""Hostile responses for HTTP clients, each with what a safe client must make of it.

A `ClientCase` is what a server sends to one request (the first of two a client makes,
see `h11_testkit.client_probe`), how it sends it (in pieces, slowly, then closing or
keeping the connection), and the outcomes that are safe: the answer a strict RFC 9112
client reads (`strict`, or None when it must refuse the response), and other outcomes
the RFC allows (`also_safe`). Whether accepting anything else is unsafe or only lenient
depends on whether the response's framing is at stake (`framing`).

Responses that PyPI h11 0.16 accepts and real servers send (a control byte in a
Set-Cookie value, a space after a chunk size, obs-fold, bare LF line ends, 1xx before
the answer) are no attacks: their `strict` answer is the body, and a client refusing
them is only reported as stricter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal


@dataclass(frozen=True)
class Answer:
    """A response as a client hands it to its caller: status code and (decoded) body."""

    status: int
    body: bytes

    def __str__(self) -> str:
        return f"{self.status} {_short(self.body)}"


#: A complete response hidden where a client must not look for one (after a body, in a
#: body that must not be read): taking it as the answer to the next request is poisoning.
SMUGGLED_BODY = b"smuggled"
SMUGGLED = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n" + SMUGGLED_BODY

After = Literal["keep", "close", "hold"]


@dataclass(frozen=True)
class ClientCase:
    """One hostile response and the outcomes a safe client may reach.

    :param name: the case's id (also its URL path on the hostile server).
    :param description: what the response does and what a safe client does with it.
    :param response: the bytes sent in answer to the case's request.
    :param strict: what a strict client reads, or None when it must refuse the response.
    :param tags: the report families the case belongs to.
    :param also_safe: other answers the RFC allows. Refusing a response is always safe;
        when `strict` is an answer, refusing it is reported as stricter than needed.
    :param framing: where the response ends is at stake (true but for a few head
        cases): reading it otherwise than a strict client is unsafe, not merely lenient.
    :param after: what the server does once the response is sent: ``keep`` the
        connection, ``close`` it, or ``hold`` it open for `HOLD_SECONDS` then close (to
        see whether the client sends its next request on it).
    :param must_not_reuse: the connection must not carry another request after this
        response (ambiguous framing, `Connection: close`, HTTP/1.0, a switch).
    :param method: the request's method (HEAD cases need a fetch that takes ``method``).
    :param split_at: offsets where the response is cut into separate writes.
    :param pause: seconds between those writes.
    :param trickle: after `response`, one more byte every `pause` seconds until the
        server gives up (a slow server holding a client without an overall timeout).
    """

    name: str
    description: str
    response: bytes
    strict: Answer | None
    tags: tuple[str, ...]
    also_safe: tuple[Answer, ...] = ()
    framing: bool = True
    after: After = "keep"
    must_not_reuse: bool = False
    method: str = "GET"
    split_at: tuple[int, ...] = ()
    pause: float = 0.0
    trickle: bool = False

    def pieces(self) -> list[bytes]:
        """`response` cut at `split_at`: the writes the server makes."""
        bounds = [0, *sorted(set(self.split_at)), len(self.response)]
        return [self.response[a:b] for a, b in pairwise(bounds) if b > a]

    def is_safe(self, answer: Answer) -> bool:
        """Whether a client that read `answer` handled the response safely."""
        return answer == self.strict or answer in self.also_safe


#: Seconds a `hold` connection stays open after the response.
HOLD_SECONDS = 1.0

HELLO = b"hello"
OK = b"HTTP/1.1 200 OK\r\n"
CL5 = OK + b"Content-Length: 5\r\n\r\nhello"
CHUNKED = OK + b"Transfer-Encoding: chunked\r\n\r\n"
HELLO_CHUNKS = b"5\r\nhello\r\n0\r\n\r\n"
GOT_HELLO = Answer(200, HELLO)


def _short(data: bytes, limit: int = 40) -> str:
    text = repr(data[:limit])
    return text + ("..." if len(data) > limit else "")


def line_ends(data: bytes) -> tuple[int, ...]:
    """Offsets between every CR and LF and after every LF: the awkward places to cut."""
    cuts: list[int] = []
    for index, byte in enumerate(data):
        if byte == 0x0A:
            if index and data[index - 1] == 0x0D:
                cuts.append(index)
            cuts.append(index + 1)
    return tuple(c for c in cuts if 0 < c < len(data))


def _case(
    name: str,
    response: bytes,
    strict: Answer | None,
    why: str,
    *,
    tags: Iterable[str],
    **options: object,
) -> ClientCase:
    return ClientCase(name, why, response, strict, tuple(tags), **options)  # type: ignore[arg-type]


_SPLIT = (
    OK
    + b"Transfer-Encoding: chunked\r\nTrailer: X-T\r\n\r\n"
    + b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"
)
_FLOOD = b"HTTP/1.1 100 Continue\r\n\r\n" * 5000
_BIG_HEAD = b"".join(b"X-Pad-%04d: %s\r\n" % (i, b"a" * 240) for i in range(4096))

CASES: tuple[ClientCase, ...] = (
    # --- plain responses: every client reads them -----------------------------------------
    _case(
        "keep_alive",
        CL5,
        GOT_HELLO,
        "a plain keep-alive response: the connection may carry the next request",
        tags=("basic",),
    ),
    _case(
        "chunked",
        CHUNKED + b"2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n",
        GOT_HELLO,
        "a chunked body in two chunks",
        tags=("basic",),
    ),
    _case(
        "close_delimited",
        OK + b"\r\nhello",
        GOT_HELLO,
        "no Content-Length nor Transfer-Encoding: the body runs until the server closes",
        tags=("basic",),
        after="close",
    ),
    # --- framing: where the body ends is disputed -------------------------------------------
    _case(
        "cl_te",
        OK + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKS,
        GOT_HELLO,
        "Content-Length with Transfer-Encoding: chunked wins (RFC 9112 6.3), and the "
        "connection must close after the response",
        tags=("cl-te",),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "te_cl",
        OK + b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n" + HELLO_CHUNKS,
        GOT_HELLO,
        "Transfer-Encoding before Content-Length: chunked wins whatever the order, and the "
        "connection must close",
        tags=("cl-te",),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "cl_differing",
        OK + b"Content-Length: 5\r\nContent-Length: 13\r\n\r\nhello" + b"world!!!",
        None,
        "two different Content-Lengths: the body's length is unknown, the response invalid",
        tags=("content-length",),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "cl_list_differing",
        OK + b"Content-Length: 5, 13\r\n\r\nhello" + b"world!!!",
        None,
        "a Content-Length list of different values: invalid",
        tags=("content-length",),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "cl_negative",
        OK + b"Content-Length: -1\r\n\r\nhello",
        None,
        "a negative Content-Length: invalid (not read as 'until close')",
        tags=("content-length",),
        after="close",
    ),
    _case(
        "cl_overflow",
        OK + b"Content-Length: 18446744073709551621\r\n\r\nhello",
        None,
        "a Content-Length of 2**64 + 5: invalid, not 5 after a 64-bit wrap",
        tags=("content-length",),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "cl_plus",
        OK + b"Content-Length: +5\r\n\r\nhello",
        None,
        "a Content-Length with a sign: not 1*DIGIT, invalid",
        tags=("content-length",),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "te_chunked_not_last",
        OK + b"Transfer-Encoding: chunked, x-unknown\r\n\r\n" + HELLO_CHUNKS,
        None,
        "chunked is not the last coding: the body runs until the server closes (RFC 9112 "
        "6.3), in a coding the client cannot decode: refuse it, or hand it over raw",
        tags=("te",),
        also_safe=(Answer(200, HELLO_CHUNKS),),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "chunk_size_overflow",
        CHUNKED + b"10000000000000005\r\nhello\r\n0\r\n\r\n",
        None,
        "a chunk size of 2**64 + 5: invalid, not 5 after a 64-bit wrap",
        tags=("chunked",),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "te_chunked_http10",
        b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + HELLO_CHUNKS,
        GOT_HELLO,
        "chunked in an HTTP/1.0 response: faulty framing (RFC 9112 6.1): decode it, then "
        "close the connection (reading it raw until the close is lenient: nothing follows)",
        tags=("te", "version"),
        framing=False,
        after="hold",
        must_not_reuse=True,
    ),
    # --- a body cut short by the close: an error, never a short body ------------------------
    _case(
        "truncated_content_length",
        OK + b"Content-Length: 10\r\n\r\nhello",
        None,
        "the server closes after 5 of 10 bytes: an incomplete response, not a short body",
        tags=("truncated",),
        after="close",
    ),
    _case(
        "truncated_chunked",
        CHUNKED + b"5\r\nhello\r\n",
        None,
        "the server closes before the last chunk: an incomplete response",
        tags=("truncated", "chunked"),
        after="close",
    ),
    _case(
        "truncated_in_chunk",
        CHUNKED + b"a\r\nhello",
        None,
        "the server closes inside a chunk: an incomplete response",
        tags=("truncated", "chunked"),
        after="close",
    ),
    # --- bytes after the response: never the answer to the next request ---------------------
    _case(
        "leftover_after_content_length",
        CL5 + SMUGGLED,
        GOT_HELLO,
        "a complete response follows the body: the client must not take it as the answer "
        "to its next request (RFC 9112 6.3)",
        tags=("leftover",),
    ),
    _case(
        "leftover_after_chunked",
        CHUNKED + HELLO_CHUNKS + SMUGGLED,
        GOT_HELLO,
        "a complete response follows the last chunk: never the next answer",
        tags=("leftover", "chunked"),
    ),
    _case(
        "body_on_head",
        OK + b"Content-Length: %d\r\n\r\n" % len(SMUGGLED) + SMUGGLED,
        Answer(200, b""),
        "an answer to HEAD has no body whatever its Content-Length; the bytes sent as one "
        "are never the next answer",
        tags=("no-body", "leftover"),
        method="HEAD",
    ),
    _case(
        "body_on_204",
        b"HTTP/1.1 204 No Content\r\n\r\n" + SMUGGLED,
        Answer(204, b""),
        "a 204 has no body; the bytes after its head are never the next answer",
        tags=("no-body", "leftover"),
    ),
    _case(
        "body_on_304",
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: %d\r\n\r\n" % len(SMUGGLED) + SMUGGLED,
        Answer(304, b""),
        "a 304 has no body whatever its Content-Length; those bytes are never the next answer",
        tags=("no-body", "leftover"),
    ),
    # --- heads -------------------------------------------------------------------------------
    _case(
        "bare_cr_hides_te",
        OK + b"Content-Length: 5\r\nX-A: a\rTransfer-Encoding: chunked\r\n\r\nhello",
        None,
        "a bare CR in a field line: invalid, or replaced by SP (RFC 9112 2.2), never a line "
        "end that starts a Transfer-Encoding field",
        tags=("line-ends",),
        also_safe=(GOT_HELLO,),
    ),
    _case(
        "nul_in_value",
        OK + b"X-A: a\x00b\r\nContent-Length: 5\r\n\r\nhello",
        None,
        "NUL in a field value: invalid (RFC 9110 5.5)",
        tags=("control",),
        framing=False,
    ),
    _case(
        "obs_fold_hides_te",
        OK + b"X-A: a\r\n Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello",
        GOT_HELLO,
        "obs-fold continues the X-A value (a user agent replaces it with SP, RFC 9112 5.2): "
        "the folded line is no Transfer-Encoding field",
        tags=("obs-fold",),
    ),
    _case(
        "http09_reply",
        b"hello, this is not HTTP\r\n",
        None,
        "an HTTP/0.9-style reply (no status line): not an HTTP/1.1 response",
        tags=("version",),
        after="close",
    ),
    _case(
        "http10_no_keep_alive",
        b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        GOT_HELLO,
        "an HTTP/1.0 response without keep-alive ends the connection, even left open",
        tags=("keep-alive", "version"),
        after="hold",
        must_not_reuse=True,
    ),
    _case(
        "connection_close_left_open",
        OK + b"Connection: close\r\nContent-Length: 5\r\n\r\nhello",
        GOT_HELLO,
        "Connection: close ends the connection, even if the server leaves it open",
        tags=("keep-alive",),
        after="hold",
        must_not_reuse=True,
    ),
    # --- 1xx and switches --------------------------------------------------------------------
    _case(
        "informational_flood",
        _FLOOD + CL5,
        GOT_HELLO,
        "5000 interim 100 responses before the answer: skip them (or give up), never take "
        "one for the answer",
        tags=("1xx",),
    ),
    _case(
        "unrequested_101",
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"
        + SMUGGLED,
        None,
        "a 101 the client did not ask for: what follows is not HTTP/1.1, so neither an "
        "interim response to skip nor a connection to reuse",
        tags=("upgrade", "1xx"),
        also_safe=(Answer(101, b""),),
        after="hold",
        must_not_reuse=True,
    ),
    # --- size and time -----------------------------------------------------------------------
    _case(
        "oversized_head",
        OK + _BIG_HEAD + b"Content-Length: 5\r\n\r\nhello",
        None,
        "a 1 MiB head: a client bounds what it buffers for a head and refuses it",
        tags=("oversize",),
        framing=False,
    ),
    _case(
        "byte_by_byte",
        CL5,
        GOT_HELLO,
        "a valid response one byte per write",
        tags=("slow", "split"),
        split_at=tuple(range(1, len(CL5))),
        pause=0.005,
    ),
    _case(
        "endless_head",
        OK + b"X-Slow: ",
        None,
        "a head that never ends, one byte every 0.2 s: the client gives up within its "
        "timeout (a read timeout alone never fires)",
        tags=("slow",),
        pause=0.2,
        trickle=True,
        after="close",
    ),
    # --- split at awkward places ---------------------------------------------------------
    _case(
        "split_at_line_ends",
        _SPLIT,
        Answer(200, b"hello world"),
        "chunked with an extension and a trailer, cut between every CR and LF and after every LF",
        tags=("split", "chunked"),
        split_at=line_ends(_SPLIT),
        pause=0.005,
    ),
    _case(
        "split_in_status_line",
        CL5,
        GOT_HELLO,
        "cut inside HTTP-version, the status code and the reason",
        tags=("split",),
        split_at=(5, 7, 10, 11, 14),
        pause=0.01,
    ),
    # --- real-web tolerance: h11 0.16 accepts these, so they are no attacks ---------------
    _case(
        "real_web_control_in_cookie",
        OK + b"Set-Cookie: a=\x01b\r\nContent-Length: 5\r\n\r\nhello",
        GOT_HELLO,
        "a control byte in a Set-Cookie value (real servers send it; h11 0.16 accepts it)",
        tags=("real-web",),
    ),
    _case(
        "real_web_chunk_size_space",
        CHUNKED + b"5 \r\nhello\r\n0\r\n\r\n",
        GOT_HELLO,
        "a space after a chunk size (real servers send it; h11 0.16 accepts it)",
        tags=("real-web", "chunked"),
    ),
    _case(
        "real_web_obs_fold",
        OK + b"X-A: a\r\n b\r\nContent-Length: 5\r\n\r\nhello",
        GOT_HELLO,
        "obs-fold in a response (h11 0.16 accepts it)",
        tags=("real-web", "obs-fold"),
    ),
    _case(
        "real_web_bare_lf",
        b"HTTP/1.1 200 OK\nContent-Length: 5\n\nhello",
        GOT_HELLO,
        "bare LF line ends in a head (old servers; h11 0.16 accepts them)",
        tags=("real-web", "line-ends"),
    ),
    _case(
        "real_web_early_hints",
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + CL5,
        GOT_HELLO,
        "a 103 before the answer (h11 0.16 accepts it)",
        tags=("real-web", "1xx"),
    ),
)


def by_name(name: str) -> ClientCase:
    """The case called `name`.

    :raises KeyError: no such case.
    """
    for case in CASES:
        if case.name == name:
            return case
    raise KeyError(name)
