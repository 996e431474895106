"""The deliberate differences from h11 0.16 (issue #3), one named predicate per table row.

A difference between the candidate's and the reference's trace is "deliberate" only if
the FIRST differing step of a conversation satisfies one of these predicates; each one
checks both (a) the outcome the table promises for us and the observed h11 outcome, and
(b) that the input really holds the construct that row is about. Everything else is
"unexpected". Later differing steps of the same conversation are counted as consequences
of the first one (once the two connections disagree they go on disagreeing).

The byte-level checks are deliberately independent of both implementations: small
regexes over the bytes received so far (or the event about to be sent).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from scan import Head, Scan, scan

TCHAR = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]"
REQUEST_LINE_STRICT = re.compile(rb"^" + TCHAR + rb"+ [\x21-\x7e]+ HTTP/\d\.\d$")
CTL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
#: The control bytes h11 0.16 refuses in a response's field values, trailer values and
#: reason phrase (black box: it takes every other byte); so do we.
H11_REFUSED_CTL = re.compile(rb"[\x00\x0a-\x0d]")
#: A status line we accept: 3 digits, then an optional reason of any bytes h11 takes.
STATUS_LINE_OK = re.compile(rb"^HTTP/\d\.\d \d{3}(?: [^\x00\x0a-\x0d]*)?$")
#: A chunk-size line (without its CRLF) h11 0.16 accepts in a response, black box: the
#: size, then only SP/HTAB, or `;` and any bytes but LF (so do we).
H11_CHUNK_LINE = re.compile(rb"[0-9A-Fa-f]+(?:[ \t]*|;[^\n]*)")

MAX_INT = 2**63 - 1


@dataclass
class Context:
    """What a predicate may look at for the first differing step of a conversation."""

    script: dict[str, Any]
    index: int  # index of the differing step
    cand: dict[str, Any]  # candidate's step record {"result", "state"}
    ref: dict[str, Any]  # reference's step record
    received: bytes  # everything passed to receive_data up to and including this step
    sent_methods: list[bytes]  # methods of the Requests sent so far (client side)
    cand_items: list[dict[str, Any]]  # candidate's received events (and raises) so far
    ref_items: list[dict[str, Any]]  # reference's
    ref_before: dict[str, Any] | None = None  # reference's state snapshot before this step
    #: (step index, bytes buffered) of the client's last Request sent before this step, the
    #: buffered bytes as the reference's trailing_data showed them right after the send.
    last_request: tuple[int, bytes] | None = None
    #: Methods of the client's Requests that the reference's send() refused before this step.
    refused_methods: list[bytes] = field(default_factory=list)

    @property
    def step(self) -> dict[str, Any]:
        return self.script["steps"][self.index]  # type: ignore[no-any-return]

    @property
    def role(self) -> str:
        return self.script["role"]  # type: ignore[no-any-return]

    @property
    def limit(self) -> int:
        value = self.script.get("max_incomplete_event_size")
        return 16384 if value is None else int(value)


# ---------------------------------------------------------------- trace helpers


def error_of(record: dict[str, Any]) -> dict[str, Any] | None:
    """The exception a receiving step ended with (drain stop, next_event or receive)."""
    result: dict[str, Any] = record["result"]
    if "stop" in result:
        stop: dict[str, Any] = result["stop"]
        return stop
    if "exc" in result:
        return result
    return None


def events_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    return record["result"].get("events", [])  # type: ignore[no-any-return]


def cand_remote_error(ctx: Context, *hints: int) -> bool:
    """We raised RemoteProtocolError with one of `hints` where h11 raised nothing here,
    or where h11 got further first (emitted more events in this step before raising),
    or where h11 raised the very same error after the same events and only the bytes
    each consumed before raising (trailing_data) differ."""
    mine, theirs = error_of(ctx.cand), error_of(ctx.ref)
    h11_went_further = theirs is None or len(events_of(ctx.ref)) > len(events_of(ctx.cand))
    return (
        mine is not None
        and mine.get("kind") == "remote"
        and mine.get("hint") in hints
        and (h11_went_further or same_error_only_consumption_differs(ctx))
        and ctx.step["op"] in ("drain", "next_event")
    )


def cand_error_instead(ctx: Context, hint: int) -> bool:
    """Both refused the same message after the same events, we with `hint`, h11 with
    another status: the row's rule is checked before the one h11 tripped over."""
    mine, theirs = error_of(ctx.cand), error_of(ctx.ref)
    return (
        mine is not None
        and theirs is not None
        and mine.get("kind") == theirs.get("kind") == "remote"
        and mine.get("hint") == hint
        and theirs.get("hint") != hint
        and events_of(ctx.cand) == events_of(ctx.ref)
        and ctx.step["op"] in ("drain", "next_event")
    )


def state_diff(ctx: Context) -> set[str]:
    """Names of the snapshot entries that differ between the two sides at this step."""
    c, r = ctx.cand["state"], ctx.ref["state"]
    return {k for k in set(c) | set(r) if c.get(k) != r.get(k)}


def same_error_only_consumption_differs(ctx: Context) -> bool:
    """Both raised the same exception after the same events; only trailing_data differs."""
    return (
        error_of(ctx.cand) is not None
        and ctx.cand["result"] == ctx.ref["result"]
        and state_diff(ctx) == {"trailing_data"}
    )


def merged(items: list[dict[str, Any]], close_open: bool) -> list[dict[str, Any]]:
    """Runs of Data joined, with chunk boundaries as offsets (the runner's comparison)."""
    out: list[dict[str, Any]] = []
    run: dict[str, Any] | None = None
    for item in items:
        if item["type"] != "Data":
            if run is not None:
                out.append(run)
                run = None
            out.append(item)
            continue
        if run is None:
            run = {"type": "Data*", "data": "", "chunk_starts": [], "chunk_ends": []}
        if item["chunk_start"]:
            run["chunk_starts"].append(len(run["data"]))
        run["data"] += item["data"]
        if item["chunk_end"]:
            run["chunk_ends"].append(len(run["data"]))
    if run is not None and close_open:
        out.append(run)
    return out


def without_data(record: dict[str, Any]) -> dict[str, Any]:
    result = dict(record["result"])
    if "events" in result:
        result["events"] = [e for e in result["events"] if e["type"] != "Data"]
    return result


def same_received_outcome(ctx: Context) -> bool:
    """The step's results are equal the way the runner compares them (Data merged)."""
    last = ctx.index == len(ctx.script["steps"]) - 1
    return without_data(ctx.cand) == without_data(ctx.ref) and merged(
        ctx.cand_items, last
    ) == merged(ctx.ref_items, last)


def partial_terminator_only(ctx: Context) -> bool:
    """trailing_data differs only by a CR we keep and h11 consumed, while a body is read."""
    c, r = ctx.cand["state"], ctx.ref["state"]
    return bool(
        c.get("their_state") == r.get("their_state") == "SEND_BODY"
        and c.get("trailing_data") == ["\r", False]
        and r.get("trailing_data") == ["", False]
    )


def ref_remote_error_cand_ok(ctx: Context) -> bool:
    """h11 raised RemoteProtocolError here and we did not, or we got further first
    (accepted the message h11 refused, and raised only later in this step)."""
    mine, theirs = error_of(ctx.cand), error_of(ctx.ref)
    we_went_further = mine is None or len(events_of(ctx.cand)) > len(events_of(ctx.ref))
    return (
        we_went_further
        and theirs is not None
        and theirs.get("kind") == "remote"
        and ctx.step["op"] in ("drain", "next_event")
    )


# ----------------------------------------------------------------- byte helpers


def wire(ctx: Context) -> Scan:
    return scan(ctx.received, ctx.role == "SERVER", ctx.sent_methods)


def current(ctx: Context, side: str) -> list[Head]:
    """The head (with its body framing) `side` was reading when it raised: [] if unknown.

    Each side parses messages in order, so the message in progress is the head after the
    last EndOfMessage/InformationalResponse, or the last head if its body had started.
    """
    items = ctx.cand_items if side == "cand" else ctx.ref_items
    heads = 0
    last = None
    for item in items:
        if item["type"] == "raised":
            break
        if item["type"] in ("Request", "Response", "InformationalResponse"):
            heads += 1
        if item["type"] not in ("Data", "NEED_DATA", "PAUSED"):
            last = item["type"]
    index = heads - 1 if last in ("Request", "Response") else heads
    return wire(ctx).heads[index : index + 1]


def is_chunked(head: Head) -> bool:
    """The head's last transfer coding is chunked."""
    codings = [
        c.strip(b" \t").lower() for v in head.values(b"transfer-encoding") for c in v.split(b",")
    ]
    return codings[-1:] == [b"chunked"]


def all_field_lines(heads: list[Head]) -> list[bytes]:
    """Field lines of the heads and their trailer sections (never body bytes)."""
    return [line for head in heads for line in head.fields + head.trailer]


def field_values(lines: list[bytes]) -> list[bytes]:
    """Raw values: after the colon of a field line, or a whole continuation line."""
    out = []
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            out.append(line)
        else:
            _, colon, value = line.partition(b":")
            if colon:
                out.append(value)
    return out


def chunk_line_problem(line: bytes) -> str | None:
    """Classify a chunk-size line by RFC 9112 7.1 (size, then BWS ;name[=value] items)."""
    size_part, semi, ext = line.partition(b";")
    size_text = size_part.rstrip(b" \t") if semi else size_part
    if not re.fullmatch(rb"[0-9A-Fa-f]+", size_text):
        return "size"
    if len(size_text) > 16 or int(size_text, 16) > MAX_INT:
        return "too_big"
    if semi and not CHUNK_EXT.fullmatch(b";" + ext):
        return "ext"
    return None


CHUNK_EXT = re.compile(
    rb"(?:[ \t]*;[ \t]*"
    + TCHAR
    + rb"+(?:[ \t]*=[ \t]*(?:"
    + TCHAR
    + rb'+|"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"))?)+'
)


# ------------------------------------------------------------------- predicates


def cand_400(ctx: Context) -> bool:
    """We answered 400 where h11 accepted (or got further), or where h11 refused the same
    message after the same events with another status (its 501 for a coding it reads
    after the line our rule refused)."""
    theirs = error_of(ctx.ref) or {}
    return cand_remote_error(ctx, 400) or (
        cand_error_instead(ctx, 400) and theirs.get("hint") == 501
    )


def ctl_in_field_value(ctx: Context) -> bool:
    """Row: header value with NUL, CR, LF or any control byte other than HTAB -> 400 in a
    request; in a response only the bytes h11 refuses too (NUL, LF, VT, FF, CR)."""
    refused = CTL if ctx.role == "SERVER" else H11_REFUSED_CTL
    return cand_400(ctx) and any(
        refused.search(value) for value in field_values(all_field_lines(current(ctx, "cand")))
    )


def whitespace_before_colon_or_leading_ws(ctx: Context) -> bool:
    """Row: whitespace between field name and colon; field line starting with SP/HTAB
    right after the start line -> 400."""
    if not cand_remote_error(ctx, 400):
        return False
    heads = current(ctx, "cand")
    if any(re.match(TCHAR + rb"+[ \t]+:", line) for line in all_field_lines(heads)):
        return True
    return any(head.fields and head.fields[0][:1] in (b" ", b"\t") for head in heads)


def bare_cr(ctx: Context) -> bool:
    """Row: bare CR anywhere (start line, fields, chunk lines, trailers) -> 400."""
    if not cand_remote_error(ctx, 400):
        return False
    heads = current(ctx, "cand")
    lines = [h.start for h in heads] + all_field_lines(heads)
    return any(b"\r" in line for line in lines + [c for h in heads for c in h.chunk_lines])


def content_length_not_digits(ctx: Context) -> bool:
    """Row: Content-Length not 1*DIGIT (+5, -1, 0x5, '1 2', 1_0, non-ASCII, empty) -> 400."""
    if not cand_remote_error(ctx, 400):
        return False
    return any(
        not re.fullmatch(rb"[0-9]+", item.strip(b" \t"))
        for head in current(ctx, "cand")
        for value in head.values(b"content-length")
        for item in value.split(b",")
    )


def content_length_equal_list(ctx: Context) -> bool:
    """Row: Content-Length list of equal values (5, 5 or the field twice) -> one value."""
    if not ref_remote_error_cand_ok(ctx):
        return False
    for head in current(ctx, "ref"):
        items = [i.strip(b" \t") for v in head.values(b"content-length") for i in v.split(b",")]
        if len(items) > 1 and len(set(items)) == 1 and re.fullmatch(rb"[0-9]+", items[0]):
            return True
    return False


def number_too_big(ctx: Context) -> bool:
    """Row: Content-Length or chunk size beyond 2**63-1 / more than 16 hex digits -> 400."""
    if not cand_remote_error(ctx, 400):
        return False
    for head in current(ctx, "cand"):
        for value in head.values(b"content-length"):
            for item in value.split(b","):
                item = item.strip(b" \t")
                if re.fullmatch(rb"[0-9]+", item) and int(item) > MAX_INT:
                    return True
        if any(chunk_line_problem(line) == "too_big" for line in head.chunk_lines):
            return True
    return False


def transfer_encoding_not_chunked(ctx: Context) -> bool:
    """Row: Transfer-Encoding other than chunked -> 501; chunked not last -> 400. Empty
    list members are no coding (their own row, te_empty_members)."""
    mine, theirs = error_of(ctx.cand), error_of(ctx.ref)
    if mine is None or mine.get("kind") != "remote" or mine == theirs:
        return False
    for head in current(ctx, "cand"):
        codings = [
            c.strip(b" \t").lower()
            for v in head.values(b"transfer-encoding")
            for c in v.split(b",")
            if c.strip(b" \t")
        ]
        if mine.get("hint") == 501 and any(c != b"chunked" for c in codings):
            return True
        if mine.get("hint") == 400 and b"chunked" in codings[:-1]:
            return True
    return False


def te_and_cl_closes(ctx: Context) -> bool:
    """Row: both Transfer-Encoding and Content-Length -> chunked wins, keep-alive off.

    The visible difference is only keep-alive: a state where h11 has DONE/IDLE and we
    MUST_CLOSE/CLOSED, start_next_cycle refused, or a sent head gaining Connection: close.
    """
    if not any(
        h.values(b"transfer-encoding") and h.values(b"content-length") for h in wire(ctx).heads
    ):
        return False
    c, r = ctx.cand, ctx.ref
    if c["result"] == r["result"]:
        pairs = []
        for k in c["state"]:
            if c["state"][k] == r["state"][k]:
                continue
            if k == "states":
                pairs += [(c["state"][k][p], r["state"][k][p]) for p in ("CLIENT", "SERVER")]
            elif k in ("our_state", "their_state"):
                pairs.append((c["state"][k], r["state"][k]))
            else:
                return False
        return all(
            mine in ("MUST_CLOSE", "CLOSED") and theirs in ("DONE", "IDLE", "MUST_CLOSE")
            for mine, theirs in pairs
            if mine != theirs
        )
    if ctx.step["op"] == "start_next_cycle":
        return bool(c["result"].get("kind") == "local" and r["result"] == {"ok": True})
    if ctx.step["op"] in ("drain", "next_event"):
        return data_after_closing_message(ctx)
    key = "bytes" if "bytes" in c["result"] else "parts"
    mine_bytes, their_bytes = c["result"].get(key), r["result"].get(key)
    if isinstance(mine_bytes, str) and isinstance(their_bytes, str):
        return closing_head_of(their_bytes) == mine_bytes
    return False


def data_after_closing_message(ctx: Context) -> bool:
    """Bytes after the TE+CL message: we refuse them (400) as h11 itself does after a
    `Connection: close` message (observed), h11 goes on since it keeps the connection."""
    mine, theirs = events_of(ctx.cand), events_of(ctx.ref)
    error = error_of(ctx.cand)
    if not mine or mine[-1]["type"] != "EndOfMessage" or theirs[: len(mine)] != mine:
        return False
    if error is None or error.get("kind") != "remote" or error.get("hint") != 400:
        return False
    heads = sum(
        item["type"] in ("Request", "Response", "InformationalResponse") for item in ctx.cand_items
    )
    done = wire(ctx).heads[heads - 1 : heads] if heads else []
    return any(h.values(b"transfer-encoding") and h.values(b"content-length") for h in done)


def closing_head_of(sent: str) -> str | None:
    """`sent` as h11 writes it when keep-alive is off: its Connection fields dropped and
    one `Connection: close` appended last (observed with h11 0.16 on a close request)."""
    head_end = sent.find("\r\n\r\n")
    if head_end < 0:
        return None
    start, *fields = sent[:head_end].split("\r\n")
    kept = [f for f in fields if f.split(":", 1)[0].strip().lower() != "connection"]
    if len(kept) == len(fields):
        # no Connection field of the user's: h11 appends one, nothing else moves
        return sent[:head_end] + "\r\nConnection: close" + sent[head_end:]
    if any(f.split(":", 1)[1].strip().lower() != "close" for f in fields if f not in kept):
        return None  # other connection options: not the shape this row explains
    return "\r\n".join([start, *kept, "Connection: close"]) + sent[head_end:]


def transfer_encoding_in_http10(ctx: Context) -> bool:
    """Row: Transfer-Encoding in an HTTP/1.0 request -> 400 (h11 accepts it, or refuses it
    for another reason: 501 for a coding it lacks). An HTTP/1.0 response's is decoded and
    checked as h11 does: no row."""
    if ctx.role != "SERVER" or not any(head.te_http10 for head in current(ctx, "cand")):
        return False
    mine, theirs = error_of(ctx.cand), error_of(ctx.ref)
    return cand_remote_error(ctx, 400) or (
        mine is not None
        and mine.get("kind") == "remote"
        and mine.get("hint") == 400
        and theirs is not None
        and theirs.get("hint") != 400
    )


#: Whitespace around `;` or `=` of a chunk extension (BWS, RFC 9112 7.1.1): refused in
#: requests, as llhttp strict does.
EXTENSION_BWS = re.compile(rb"[ \t][;=]|[;=][ \t]")


def request_chunk_line_problem(line: bytes) -> str | None:
    """chunk_line_problem, with BWS in an extension an "ext" problem (requests only)."""
    problem = chunk_line_problem(line)
    if problem is None and EXTENSION_BWS.search(line):
        return "ext"
    return problem


def chunk_line_refused(ctx: Context, problem: str) -> bool:
    """We answered 400 and a chunk-size line being read has `problem`; in a response
    only a line h11 refuses too."""
    if ctx.role == "SERVER":
        found = request_chunk_line_problem
    else:

        def found(line: bytes) -> str | None:
            return None if H11_CHUNK_LINE.fullmatch(line) else chunk_line_problem(line)

    return cand_remote_error(ctx, 400) and any(
        found(line) == problem for h in current(ctx, "cand") for line in h.chunk_lines
    )


def chunk_size_syntax(ctx: Context) -> bool:
    """Row: chunk size with sign, 0x, leading whitespace, or whitespace w/o extension -> 400
    (a response: whitespace after the size is accepted, as h11 does)."""
    return chunk_line_refused(ctx, "size")


def chunk_size_bws_before_extension(ctx: Context) -> bool:
    """Row (its other side): whitespace after the chunk size is refused only WITHOUT an
    extension; `1 ;x` is valid (RFC 9112 7.1.1 BWS before `;`), h11 rejects it. In
    responses only: a request's `1 ;x` is refused, as h11 does."""
    if ctx.role != "CLIENT":
        return False
    return ref_remote_error_cand_ok(ctx) and any(
        re.match(rb"[0-9A-Fa-f]+[ \t]+;", line) and chunk_line_problem(line) is None
        for h in current(ctx, "ref")
        for line in h.chunk_lines
    )


def chunk_extension_syntax(ctx: Context) -> bool:
    """Row: chunk extension with CR, LF or controls, or not ;name[=token/quoted] -> 400
    (a response: any extension h11 takes is accepted)."""
    return chunk_line_refused(ctx, "ext")


def chunk_data_without_crlf(ctx: Context) -> bool:
    """Row: chunk data not followed by CRLF -> 400."""
    return cand_remote_error(ctx, 400) and any(h.missing_crlf for h in current(ctx, "cand"))


def request_line_syntax(ctx: Context) -> bool:
    """Row: request line not `token SP target SP HTTP/1.d`; bad target bytes -> 400."""
    if ctx.role != "SERVER" or not cand_remote_error(ctx, 400):
        return False
    return any(not REQUEST_LINE_STRICT.match(head.start) for head in current(ctx, "cand"))


def http_major_not_1(ctx: Context) -> bool:
    """Row: HTTP major version other than 1 (HTTP/2.0, HTTP/0.9) -> 505."""
    if not cand_remote_error(ctx, 505):
        return False
    return any(re.fullmatch(rb"[02-9]\.\d", head.version) for head in current(ctx, "cand"))


def empty_lines_before_request(ctx: Context) -> bool:
    """Row: empty lines before a request line -> ignored (h11 rejects)."""
    if ctx.role != "SERVER" or not ref_remote_error_cand_ok(ctx):
        return False
    # Only CR/LF bytes so far ("\r" may still become an empty line) count as well.
    return any(
        head.leading_empty > 0 or (not head.complete and head.start == b"" and not head.fields)
        for head in current(ctx, "ref")
    )


def status_line_strict(ctx: Context) -> bool:
    """Row: status line of 3 digits + optional reason accepted; anything else 400."""
    if ctx.role != "CLIENT":
        return False
    # Only "we reject, h11 accepts": every form this row accepts is accepted by h11 too
    # (observed), so an h11 rejection that we accept is never explained by this row.
    return cand_remote_error(ctx, 400) and any(
        not STATUS_LINE_OK.match(h.start) for h in current(ctx, "cand")
    )


def head_beyond_limit(ctx: Context) -> bool:
    """We raised 431 and the head being read (or its trailers) exceeds the limit. The
    limit is checked as bytes arrive, before the start line's syntax (a garbage start
    line h11 refuses with 400 once the head is complete)."""
    if not (cand_remote_error(ctx, 431) or cand_error_instead(ctx, 431)):
        return False
    # An unfinished head already at the limit can only end up larger than it. Trailers
    # follow the same limit (table row "trailers: same rules and limit").
    return any(
        head.size > ctx.limit
        or (not head.complete and head.size >= ctx.limit)
        or head.trailer_size >= ctx.limit
        for head in current(ctx, "cand")
    )


def request_head_too_large(ctx: Context) -> bool:
    """Row: request head (with leading empty lines) or trailers beyond the limit -> 431."""
    return ctx.role == "SERVER" and head_beyond_limit(ctx)


def response_head_too_large(ctx: Context) -> bool:
    """Lead's decision: a RESPONSE head (or trailers) beyond the limit -> 431 as well,
    whatever the read sizes (h11 accepts an oversize head arriving in one read)."""
    return ctx.role == "CLIENT" and head_beyond_limit(ctx)


def construct_strips_whitespace(ctx: Context) -> bool:
    """Row: event construction with header value leading/trailing whitespace -> stripped."""
    step = ctx.step
    if step["op"] not in ("send", "send_passthrough"):
        return False
    theirs, mine = ctx.ref["result"], ctx.cand["result"]
    if theirs.get("construct", {}).get("exc") != "LocalProtocolError" or "construct" in mine:
        return False
    padded = [
        (n, v)
        for n, v in step["event"].get("headers", [])
        if v != v.strip(" \t") and not H11_REFUSED_CTL.search(v.strip(" \t").encode("latin-1"))
    ]
    if not padded:
        return False
    sent = mine.get("bytes", mine.get("parts"))
    if sent is None:  # refused for some other reason: only the construction may differ
        return "exc" in mine
    return all(n + ": " + v.strip(" \t") + "\r\n" in sent for n, v in padded)


def response_leading_empty_lines(ctx: Context) -> bool:
    """Lead's decision: empty lines before a STATUS line are refused (400) like h11, but
    we read the whole head first, so what each consumed before raising (trailing_data)
    differs."""
    return (
        ctx.role == "CLIENT"
        and ctx.step["op"] in ("drain", "next_event")
        and same_error_only_consumption_differs(ctx)
        and (error_of(ctx.cand) or {}).get("hint") == 400
        and any(head.leading_empty > 0 for head in current(ctx, "ref"))
    )


def bare_lf_in_chunked_framing(ctx: Context) -> bool:
    """Lead's decision: bare LF in chunked framing (chunk-size line, after chunk data,
    last chunk) -> 400 (h11 accepts some, or waits forever on `0\\n\\n`)."""
    return cand_remote_error(ctx, 400) and any(h.bare_lf_chunked for h in current(ctx, "cand"))


def partial_chunk_terminator(ctx: Context) -> bool:
    """Lead's decision: while a chunked body is read (SEND_BODY), trailing_data may hold
    the CR of a chunk terminator that h11 already consumed."""
    return (
        ctx.step["op"] in ("drain", "next_event", "receive")
        and same_received_outcome(ctx)
        and state_diff(ctx) == {"trailing_data"}
        and partial_terminator_only(ctx)
        and any(is_chunked(h) for h in current(ctx, "cand"))
    )


def event_is_chunked(event: dict[str, Any]) -> bool:
    """A received Request/Response record whose last transfer coding is chunked."""
    codings = [
        c.strip(" \t").lower()
        for name, value in event.get("headers", [])
        if name.lower() == "transfer-encoding"
        for c in value.split(",")
    ]
    return codings[-1:] == ["chunked"]


def repair_chunk_starts(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """h11's received items with its lost chunk starts put back: a Data that opens a
    chunked body, or follows a Data that h11 itself marked chunk_end, starts a chunk."""
    out = []
    chunked = boundary = False
    for item in items:
        kind = item["type"]
        if kind in ("Request", "Response"):
            chunked = boundary = event_is_chunked(item)
        elif kind == "Data":
            if boundary and not item["chunk_start"]:
                item = {**item, "chunk_start": True}
            boundary = chunked and bool(item["chunk_end"])
        elif kind not in ("NEED_DATA", "PAUSED", "InformationalResponse"):
            chunked = boundary = False
        out.append(item)
    return out


def with_h11_chunk_starts_repaired(ctx: Context) -> Context | None:
    """`ctx` with the reference's lost chunk starts put back, or None if none was lost."""
    items = repair_chunk_starts(ctx.ref_items)
    if items == ctx.ref_items:
        return None
    result = dict(ctx.ref["result"])
    if "events" in result:
        count = len(result["events"])
        tail = len(items) - (1 if "stop" in result else 0)
        result["events"] = items[tail - count : tail]
    return replace(ctx, ref={**ctx.ref, "result": result}, ref_items=items)


def h11_chunk_start_lost(ctx: Context) -> bool:
    """h11 bug (lead): when a chunk-size line and the chunk's data arrive in different
    reads, h11's first Data of that chunk has chunk_start=False; ours says True.

    Matches when putting back the chunk starts h11's own trace implies (see
    repair_chunk_starts) leaves no difference at this step (but the CR of
    partial_chunk_terminator). classify() also tries every other row on the repaired
    step, for a step where a second deliberate difference meets this one."""
    if ctx.step["op"] not in ("drain", "next_event"):
        return False
    fixed = with_h11_chunk_starts_repaired(ctx)
    if fixed is None or not same_received_outcome(fixed):
        return False
    diff = state_diff(fixed)
    return not diff or (diff == {"trailing_data"} and partial_terminator_only(fixed))


def h11_attribute_error(ctx: Context) -> bool:
    """h11 bug (lead): once the server side has left IDLE (it errored, or sent a response
    nobody asked for) while the client is still IDLE, h11 crashes with AttributeError on
    the client's next Request (received or sent); ours goes on."""
    theirs = ctx.ref["result"].get("stop", ctx.ref["result"])
    mine = ctx.cand["result"].get("stop", ctx.cand["result"])
    before = (ctx.ref_before or {}).get("states", {})
    return (
        theirs.get("exc") == "AttributeError"
        and mine.get("exc") != "AttributeError"
        and "harness_error" not in ctx.cand["result"]
        and before.get("CLIENT") == "IDLE"
        and before.get("SERVER") in ("ERROR", "SEND_BODY", "DONE", "MUST_CLOSE")
        and ctx.step["op"] in ("drain", "next_event", "send", "send_passthrough")
    )


def bytes_before_request(ctx: Context) -> bool:
    """README row (RFC 9112 9.3, response-queue poisoning): bytes a client had received
    before it sent its Request answer no request; the first read after the Request raises
    RemoteProtocolError (server ERROR) where h11 reads them as the answer."""
    if ctx.role != "CLIENT" or ctx.step["op"] not in ("drain", "next_event"):
        return False
    if ctx.last_request is None or not ctx.last_request[1]:
        return False
    sent_at = ctx.last_request[0]
    reads = [
        s
        for s in ctx.script["steps"][sent_at + 1 : ctx.index]
        if s["op"] in ("drain", "next_event")
    ]
    mine = error_of(ctx.cand)
    return (
        not reads
        and mine is not None
        and mine.get("exc") == "RemoteProtocolError"
        and mine.get("kind") == "remote"
        and not events_of(ctx.cand)
        and ctx.cand["state"].get("their_state") == "ERROR"
    )


def h11_refused_request_remembered(ctx: Context) -> bool:
    """h11 bug (README row): a Request that send() refused (LocalProtocolError) was never
    sent, yet h11 reads the next response as its answer (a refused CONNECT turns a 200
    to the earlier request into a switch: PAUSED, SWITCHED_PROTOCOL); ours reads it as
    the answer to the request that was sent."""
    if ctx.role != "CLIENT" or not ctx.refused_methods:
        return False
    theirs: str | None = ctx.ref["state"].get("states", {}).get("SERVER")
    mine: str | None = ctx.cand["state"].get("states", {}).get("SERVER")
    return theirs == "SWITCHED_PROTOCOL" and mine != "SWITCHED_PROTOCOL"


def reason_refused_at_construction(ctx: Context) -> bool:
    """Row: a Response/InformationalResponse reason with NUL, CR, LF, VT or FF raises
    LocalProtocolError at construction; h11 raises it at send (or, observed, even writes
    it out). Other control bytes are accepted, as h11 does."""
    step = ctx.step
    if step["op"] not in ("send", "send_passthrough"):
        return False
    event = step["event"]
    if event["type"] not in ("Response", "InformationalResponse"):
        return False
    if not H11_REFUSED_CTL.search(event.get("reason", "").encode("latin-1")):
        return False
    mine, theirs = ctx.cand["result"], ctx.ref["result"]
    if mine.get("construct", {}).get("exc") != "LocalProtocolError" or "construct" in theirs:
        return False
    # We never got to send: only our own side's state may differ (h11 moved on or
    # errored), and with h11's error the peer's DONE turns MUST_CLOSE.
    diff = state_diff(ctx)
    if "their_state" in diff and ctx.ref["state"].get("their_state") != "MUST_CLOSE":
        return False
    return diff <= {"our_state", "their_state", "states"}


# ------------------------------------------- issue #15: strict requests, tolerant responses


def cand_400_on_request(ctx: Context) -> bool:
    """We answered 400 to a request where h11 accepted, or where h11 refused the same
    head for another reason (its 501 for a coding, found later in the head than ours)."""
    return ctx.role == "SERVER" and (cand_remote_error(ctx, 400) or cand_error_instead(ctx, 400))


def request_obs_fold(ctx: Context) -> bool:
    """Row: obs-fold in a request's header or trailer section -> 400 (h11 unfolds it)."""
    if not cand_400_on_request(ctx):
        return False
    return any(
        line[:1] in (b" ", b"\t")
        for head in current(ctx, "cand")
        for line in head.fields + head.trailer
    )


def request_bare_lf(ctx: Context) -> bool:
    """Row: a bare LF as a line end in a request head, trailer section or the blank line
    ending a chunked body -> 400 (h11 accepts it)."""
    if not cand_400_on_request(ctx):
        return False
    return any(
        h.bare_lf_head or h.bare_lf_trailer or h.bare_lf_chunked for h in current(ctx, "cand")
    )


ORIGIN_FORM = re.compile(rb"/[\x21-\x7e]*")
ABSOLUTE_FORM = re.compile(rb"[A-Za-z][A-Za-z0-9+.\-]*://[\x21-\x7e]*")
AUTHORITY_FORM = re.compile(rb"(?:\[[^\]/@\s]+\]|[A-Za-z0-9\-._~!$&'()*+;=%]+):[0-9]*")


def target_form_ok(method: bytes, target: bytes) -> bool:
    """RFC 9112 3.2: origin-form, absolute-form (with "://"), `*` for OPTIONS,
    authority-form for CONNECT and only there."""
    if method == b"CONNECT":
        return AUTHORITY_FORM.fullmatch(target) is not None
    if target == b"*":
        return method == b"OPTIONS"
    return bool(ORIGIN_FORM.fullmatch(target) or ABSOLUTE_FORM.fullmatch(target))


def request_target_form(ctx: Context) -> bool:
    """Row: request-target not in the form its method allows -> 400 (h11 accepts any)."""
    if not cand_400_on_request(ctx):
        return False
    for head in current(ctx, "cand"):
        parts = head.start.split(b" ")
        if len(parts) == 3 and not target_form_ok(parts[0], parts[1]):
            return True
    return False


HOST_VALUE = re.compile(
    rb"(?:\[[0-9A-Fa-f:.]+\]|\[[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+;=:]+\]"
    rb"|[A-Za-z0-9\-._~!$&'()*+;=%]*)(?::[0-9]*)?"
)


def host_value_grammar(ctx: Context) -> bool:
    """Row: a request's Host value not `uri-host [":" port]` (a list, space, userinfo)
    -> 400 (h11 accepts any field value)."""
    if not cand_400_on_request(ctx):
        return False
    return any(
        HOST_VALUE.fullmatch(value) is None
        for head in current(ctx, "cand")
        for value in head.values(b"host")
    )


def transfer_encoding_empty_members(ctx: Context) -> bool:
    """Row: Transfer-Encoding with empty list members (`,chunked`, `chunked,`): a request
    is refused with 400 (llhttp strict; h11 answers 501); a response is framed as chunked
    (RFC 9110 5.6.1; h11 501). A 1xx on a connection whose client sent no request is
    refused by both (400: nothing to answer), h11 with its 501 for the coding first."""
    if ctx.role == "SERVER" and cand_error_instead(ctx, 400):
        side = "cand"
    elif ctx.role == "CLIENT" and (ref_remote_error_cand_ok(ctx) or informational_on_idle(ctx)):
        side = "ref"
    else:
        return False
    for head in current(ctx, side):
        members = [
            c.strip(b" \t").lower()
            for v in head.values(b"transfer-encoding")
            for c in v.split(b",")
        ]
        if b"" in members and [m for m in members if m] == [b"chunked"]:
            return True
    return False


#: Fields that route, frame, authenticate or modify a request: refused in its trailer
#: section (README row; RFC 9110 6.5.1, as llhttp does). Written out here from the row,
#: not imported from the implementation.
REQUEST_TRAILER_REFUSED = frozenset(
    {
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
    }
)
TRAILER_NAME = re.compile(rb"(" + TCHAR + rb"+):")


def request_trailer_field(ctx: Context) -> bool:
    """Row: a field that routes, frames, authenticates or modifies a request in its
    trailer section (Content-Length, Host, Cookie...) -> 400; h11 passes it on."""
    if not cand_400_on_request(ctx):
        return False
    for head in current(ctx, "cand"):
        for line in head.trailer:
            name = TRAILER_NAME.match(line)
            if name and name.group(1).lower() in REQUEST_TRAILER_REFUSED:
                return True
    return False


def informational_on_idle(ctx: Context) -> bool:
    """We refused (400) a 1xx head received while our client side was IDLE, where h11
    refused the same head with 501 after the same events."""
    theirs = error_of(ctx.ref) or {}
    before = (ctx.ref_before or {}).get("states", {})
    return (
        cand_error_instead(ctx, 400)
        and theirs.get("hint") == 501
        and before.get("CLIENT") == "IDLE"
        and any(re.match(rb"HTTP/\S+ 1\d\d", h.start) for h in current(ctx, "cand"))
    )


def te_and_cl_refused_on_send(ctx: Context) -> bool:
    """Row: sending a Request with both Transfer-Encoding and Content-Length
    -> LocalProtocolError (RFC 9112 6.2); h11 writes both. (A Response with both is
    completed as h11 completes it: no difference.)"""
    step = ctx.step
    if step["op"] not in ("send", "send_passthrough") or step["event"]["type"] != "Request":
        return False
    names = {n.lower() for n, _ in step["event"].get("headers", [])}
    if not {"transfer-encoding", "content-length"} <= names:
        return False
    mine, theirs = ctx.cand["result"], ctx.ref["result"]
    return (
        mine.get("exc") == "LocalProtocolError" and "exc" not in theirs and "construct" not in mine
    )


@dataclass(frozen=True)
class Known:
    name: str
    row: str
    test: Callable[[Context], bool]


KNOWN: list[Known] = [
    # First: when it matches, the refusal is the only reason we raised (the reader's step
    # raises it before looking at the bytes), whatever else those bytes hold.
    Known(
        "bytes_before_request",
        "bytes received before a client's Request answer no request -> error on read",
        bytes_before_request,
    ),
    Known(
        "ctl_in_field_value", "header value with NUL/CR/LF/control byte -> 400", ctl_in_field_value
    ),
    Known(
        "field_whitespace",
        "whitespace before colon / leading whitespace line -> 400",
        whitespace_before_colon_or_leading_ws,
    ),
    Known("bare_cr", "bare CR anywhere -> 400", bare_cr),
    Known("content_length_syntax", "Content-Length not 1*DIGIT -> 400", content_length_not_digits),
    Known(
        "content_length_equal_list",
        "Content-Length list of equal values accepted",
        content_length_equal_list,
    ),
    Known("number_too_big", "Content-Length / chunk size beyond 2**63-1 -> 400", number_too_big),
    Known(
        "transfer_encoding",
        "Transfer-Encoding other than chunked -> 501, not last -> 400",
        transfer_encoding_not_chunked,
    ),
    Known("te_and_cl", "TE and CL: chunked wins, keep-alive off", te_and_cl_closes),
    Known(
        "te_http10",
        "TE in an HTTP/1.0 request -> 400",
        transfer_encoding_in_http10,
    ),
    Known("chunk_size_syntax", "chunk size with sign/0x/whitespace -> 400", chunk_size_syntax),
    Known(
        "chunk_size_bws",
        "chunk size, BWS, then an extension: accepted",
        chunk_size_bws_before_extension,
    ),
    Known("chunk_extension_syntax", "bad chunk extension -> 400", chunk_extension_syntax),
    Known("chunk_data_crlf", "chunk data not followed by CRLF -> 400", chunk_data_without_crlf),
    Known(
        "request_line_syntax",
        "request line not token SP target SP HTTP/1.d -> 400",
        request_line_syntax,
    ),
    Known("http_major_version", "HTTP major version other than 1 -> 505", http_major_not_1),
    Known(
        "leading_empty_lines",
        "empty lines before a request line ignored",
        empty_lines_before_request,
    ),
    Known("status_line", "status line: 3 digits + optional reason; else 400", status_line_strict),
    Known(
        "head_too_large",
        "request head beyond the limit -> 431 whatever the reads",
        request_head_too_large,
    ),
    Known(
        "response_head_too_large",
        "response head beyond the limit -> 431 (lead)",
        response_head_too_large,
    ),
    Known(
        "response_leading_empty_lines",
        "empty lines before a status line: 400 after the whole head (lead)",
        response_leading_empty_lines,
    ),
    Known(
        "bare_lf_chunked",
        "bare LF in chunked framing -> 400 (lead)",
        bare_lf_in_chunked_framing,
    ),
    Known(
        "partial_chunk_terminator",
        "trailing_data keeps a CR of a chunk terminator (lead)",
        partial_chunk_terminator,
    ),
    Known("h11_chunk_start_lost", "h11 bug: chunk_start lost across reads", h11_chunk_start_lost),
    Known("h11_attribute_error", "h11 bug: AttributeError after ERROR", h11_attribute_error),
    Known(
        "h11_refused_request",
        "h11 bug: a Request send() refused frames the next response",
        h11_refused_request_remembered,
    ),
    Known(
        "reason_at_construction",
        "reason with NUL/CR/LF/VT/FF refused at construction (lead)",
        reason_refused_at_construction,
    ),
    Known(
        "construct_strip",
        "event header value with outer whitespace stripped",
        construct_strips_whitespace,
    ),
    Known("request_obs_fold", "obs-fold in a request -> 400 (#15)", request_obs_fold),
    Known("request_bare_lf", "bare LF line end in a request -> 400 (#15)", request_bare_lf),
    Known(
        "request_target_form", "request-target in a wrong form -> 400 (#15)", request_target_form
    ),
    Known("host_value", "Host not host[:port] -> 400 (#15)", host_value_grammar),
    Known(
        "te_empty_members",
        "empty Transfer-Encoding members: request 400, response chunked",
        transfer_encoding_empty_members,
    ),
    Known("te_and_cl_send", "a Request with TE and CL refused (#15)", te_and_cl_refused_on_send),
    Known(
        "request_trailer_field",
        "routing/framing/auth field in a request's trailers -> 400",
        request_trailer_field,
    ),
]


def classify(ctx: Context) -> str | None:
    """Name of the first deliberate difference that explains this step, else None.

    A step where h11 also lost a chunk start (h11_chunk_start_lost) is classified by
    the other rows on the repaired reference trace."""
    for known in KNOWN:
        if known.test(ctx):
            return known.name
    fixed = with_h11_chunk_starts_repaired(ctx)
    if fixed is not None:
        for known in KNOWN:
            if known.test(fixed):
                return known.name
    return None
