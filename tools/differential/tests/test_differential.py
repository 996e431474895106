"""Tests of the differential harness itself (needs an h11 implementation in this interpreter:
``h11_connection``, or PyPI's ``h11``; driver.py imports the same one).

The end-to-end tests run the harness against "mutants": this interpreter with h11 patched
at startup (sitecustomize) through its public API only, so the harness must notice the
change (or, for a Data re-split, must not).
"""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

try:  # the harness tests need an implementation in this venv: the one driver.py imports
    import h11_connection  # noqa: F401
except ImportError:
    import h11  # noqa: F401

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

import known_differences as kd  # noqa: E402
import run  # noqa: E402
from generator import (  # noqa: E402
    MUTATIONS,
    SWEEP_RESPONSES,
    full_response_sweep,
    generate,
    sweep_mutants,
)
from scan import scan  # noqa: E402

# ----------------------------------------------------------------- generator


def test_generation_is_deterministic_and_json() -> None:
    a, b, c = generate(5, 120), generate(5, 120), generate(6, 120)
    assert a == b
    assert a != c
    assert json.loads(json.dumps(a)) == a
    ops = {"receive", "drain", "next_event", "send", "send_passthrough"}
    ops |= {"start_next_cycle", "send_failed"}
    assert all(step["op"] in ops for script in a for step in script["steps"])
    assert {script["role"] for script in a} == {"CLIENT", "SERVER"}


def test_generator_covers_scenarios() -> None:
    names = " ".join(script["name"] for script in generate(0, 600))
    for word in ("server:", "client:", "eof:", "misuse:", "limit:", "pipelined", "mutate"):
        assert word in names
    for kind in ("upgrade", "connect", "expect100", "http10", "chunked"):
        assert kind in names


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutations_change_some_message(name: str) -> None:
    import random

    raws = [
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na",
    ]
    rng = random.Random(1)
    assert any(MUTATIONS[name](rng, raw) != raw for raw in raws for _ in range(5))


def test_response_sweep_covers_every_element_and_read_mode() -> None:
    scripts = generate(0, 0, 600)
    assert len(scripts) == 600
    assert all(s["role"] == "CLIENT" and s["name"].startswith("sweep:") for s in scripts)
    labels = {label for _, segments in SWEEP_RESPONSES.values() for label, _ in segments}
    seen = " ".join(s["name"] for s in scripts)
    assert all(f" at {label} (byte " in seen for label in labels)
    assert {s["name"].rsplit(":", 1)[1] for s in scripts} == {"whole", "split", "bytewise"}
    assert generate(0, 0, 600) == scripts
    assert generate(0, 100, 5)[:100] == generate(0, 100)


def test_sweep_mutants_are_one_byte_edits() -> None:
    segments = [("status", b"200"), ("eol", b"\r\n")]
    mutants = {what: raw for _, what, raw in sweep_mutants(segments)}
    assert mutants["valid"] == b"200\r\n"
    assert mutants["delete at status (byte 0)"] == b"00\r\n"
    assert mutants["insert 0x01 at eol (byte 3)"] == b"200\x01\r\n"
    assert mutants["replace by 0x3a at eol (byte 4)"] == b"200\r:"
    assert mutants["insert 0x20 at end (byte 5)"] == b"200\r\n "
    # 22 bytes inserted at 6 places, replacing 5 bytes, 5 deletions, and the original
    assert len(mutants) == 1 + 22 * 6 + 22 * 5 + 5
    whole = full_response_sweep(0)
    assert len({(s["steps"][0]["event"]["method"], s["steps"][2]["data"]) for s in whole}) == len(
        whole
    )


# --------------------------------------------------------------- normalising


def data(payload: str, start: bool = False, end: bool = False) -> dict[str, Any]:
    return {"type": "Data", "data": payload, "chunk_start": start, "chunk_end": end}


def test_merge_data_ignores_read_splits_but_not_content_or_chunks() -> None:
    eom = {"type": "EndOfMessage", "headers": []}
    one = [data("abcd", True, True), eom]
    two = [data("ab", True), data("cd", False, True), eom]
    assert run.merge_data(one, True) == run.merge_data(two, True)
    assert run.merge_data(one, True) != run.merge_data([data("abce", True, True), eom], True)
    moved = [data("ab", True, True), data("cd", True, True), eom]
    assert run.merge_data(one, True) != run.merge_data(moved, True)


def test_open_data_run_is_compared_only_at_the_end() -> None:
    assert run.merge_data([data("ab")], False) == []
    assert run.merge_data([data("ab")], True)[0]["data"] == "ab"


# ---------------------------------------------------------------------- scan


def test_scan_skips_bodies_and_keeps_trailers() -> None:
    raw = (
        b"POST / HTTP/1.1\r\nContent-Length: 8\r\n\r\nX: a\x01b\r\n\r\n"
        b"\r\nPUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;x=y\r\nY:\x01\r\n\r\n0\r\nT: 1\r\n\r\nGET"
    )
    heads = scan(raw, True, []).heads
    assert [h.start for h in heads] == [b"POST / HTTP/1.1", b"PUT / HTTP/1.1", b"GET"]
    assert heads[0].fields == [b"Content-Length: 8"]
    assert heads[1].leading_empty == 4
    assert heads[1].chunk_lines == [b"5;x=y", b"0"]
    assert heads[1].trailer == [b"T: 1"]
    assert not heads[2].complete


def test_scan_responses_follow_request_methods() -> None:
    raw = (
        b"HTTP/1.1 100 Go\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nHTTP/1.1 204 \r\n\r\n"
    )
    assert [h.start for h in scan(raw, False, [b"HEAD", b"GET"]).heads] == [
        b"HTTP/1.1 100 Go",
        b"HTTP/1.1 200 OK",
        b"HTTP/1.1 204 ",
    ]
    swallowed = scan(raw, False, [b"GET"])  # 3 body bytes eat into the 3rd head
    assert swallowed.heads[2].start == b"P/1.1 204 "
    assert swallowed.stopped == "status"


# ---------------------------------------------------------------- predicates

STATE = {"our_state": "IDLE", "their_state": "IDLE"}
RAISE_400 = {"events": [], "stop": {"exc": "RemoteProtocolError", "hint": 400, "kind": "remote"}}


def raised(hint: int) -> dict[str, Any]:
    return {"events": [], "stop": {"exc": "RemoteProtocolError", "hint": hint, "kind": "remote"}}


ACCEPTED = {"events": [{"type": "Request"}, {"type": "NEED_DATA"}]}


def ctx(
    received: bytes,
    cand: dict[str, Any],
    ref: dict[str, Any],
    role: str = "SERVER",
    before: list[dict[str, Any]] | None = None,
    limit: int | None = None,
) -> kd.Context:
    """A context whose differing step is a drain after receiving `received`."""
    script = {
        "role": role,
        "max_incomplete_event_size": limit,
        "steps": [{"op": "receive", "data": received.decode("latin-1")}, {"op": "drain"}],
    }
    items = before or []
    return kd.Context(
        script=script,
        index=1,
        cand={"result": cand, "state": STATE},
        ref={"result": ref, "state": STATE},
        received=received,
        sent_methods=[b"GET"],
        cand_items=items + run.stream_items({"result": cand}),
        ref_items=items + run.stream_items({"result": ref}),
    )


GOOD = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
RESPONSE = {"events": [{"type": "Response"}, {"type": "NEED_DATA"}]}
NEED = {"events": [{"type": "NEED_DATA"}]}
CHUNKED_RESPONSE = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
FOLDED = b"HTTP/1.1 200 OK\r\nX: a \r\n b\r\n\r\n"


def folded(value: str) -> dict[str, Any]:
    """A drain that received a Response whose field x has `value`."""
    head = {"type": "Response", "headers": [["x", value]], "raw_headers": [["X", value]]}
    return {"events": [head, {"type": "NEED_DATA"}]}


CHUNKED_REQUEST = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

CASES: list[tuple[str, kd.Context, str | None]] = [
    ("ctl", ctx(b"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n", RAISE_400, ACCEPTED), "ctl_in_field_value"),
    # the control byte is in a body, not a field value: not deliberate
    (
        "ctl-body",
        ctx(GOOD[:-2] + b"Content-Length: 3\r\n\r\n\x01\x01\x01", RAISE_400, ACCEPTED),
        None,
    ),
    # a 400 where h11 also raised is no difference this predicate explains
    ("ctl-both", ctx(b"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n", RAISE_400, raised(431)), None),
    ("colon", ctx(b"GET / HTTP/1.1\r\nX : v\r\n\r\n", RAISE_400, ACCEPTED), "field_whitespace"),
    ("lead-ws", ctx(b"GET / HTTP/1.1\r\n X: v\r\n\r\n", RAISE_400, ACCEPTED), "field_whitespace"),
    ("bare-cr", ctx(b"GET / HTTP/1.1\rHost: a\r\n\r\n", RAISE_400, ACCEPTED), "bare_cr"),
    ("cr-pending", ctx(b"GET / HTTP/1.1\r", RAISE_400, ACCEPTED), None),
    (
        "cl+5",
        ctx(GOOD[:-2] + b"Content-Length: +5\r\n\r\n", RAISE_400, ACCEPTED),
        "content_length_syntax",
    ),
    ("cl-ok", ctx(GOOD[:-2] + b"Content-Length: 5\r\n\r\n", RAISE_400, ACCEPTED), None),
    (
        "cl-list",
        ctx(GOOD[:-2] + b"Content-Length: 0, 0\r\n\r\n", ACCEPTED, RAISE_400),
        "content_length_equal_list",
    ),
    ("cl-list-diff", ctx(GOOD[:-2] + b"Content-Length: 0, 1\r\n\r\n", ACCEPTED, RAISE_400), None),
    (
        "cl-huge",
        ctx(GOOD[:-2] + b"Content-Length: 9223372036854775808\r\n\r\n", RAISE_400, ACCEPTED),
        "number_too_big",
    ),
    (
        "te-gzip",
        ctx(GOOD[:-2] + b"Transfer-Encoding: gzip\r\n\r\n", raised(501), ACCEPTED),
        "transfer_encoding",
    ),
    ("te-gzip-400", ctx(GOOD[:-2] + b"Transfer-Encoding: gzip\r\n\r\n", RAISE_400, ACCEPTED), None),
    (
        "te-not-last",
        ctx(GOOD[:-2] + b"Transfer-Encoding: chunked, gzip\r\n\r\n", RAISE_400, raised(501)),
        "transfer_encoding",
    ),
    (
        "te-http10",
        ctx(b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", RAISE_400, ACCEPTED),
        "te_http10",
    ),
    (
        "chunk-size",
        ctx(
            GOOD[:-2] + b"Transfer-Encoding: chunked\r\n\r\n0x1\r\na\r\n",
            RAISE_400,
            ACCEPTED,
            before=[{"type": "Request"}],
        ),
        "chunk_size_syntax",
    ),
    (
        "chunk-ext",
        ctx(
            GOOD[:-2] + b"Transfer-Encoding: chunked\r\n\r\n1;a\rb\r\na\r\n",
            RAISE_400,
            ACCEPTED,
            before=[{"type": "Request"}],
        ),
        "bare_cr",  # a CR in a chunk line is first of all a bare CR
    ),
    (
        "chunk-ext-ctl",
        ctx(
            GOOD[:-2] + b"Transfer-Encoding: chunked\r\n\r\n1;a=\x01\r\na\r\n",
            RAISE_400,
            ACCEPTED,
            before=[{"type": "Request"}],
        ),
        "chunk_extension_syntax",
    ),
    (
        "chunk-crlf",
        ctx(
            GOOD[:-2] + b"Transfer-Encoding: chunked\r\n\r\n1\r\naX\r\n",
            RAISE_400,
            ACCEPTED,
            before=[{"type": "Request"}],
        ),
        "chunk_data_crlf",
    ),
    ("reqline", ctx(b"GET  / HTTP/1.1\r\n\r\n", RAISE_400, ACCEPTED), "request_line_syntax"),
    ("h2", ctx(b"GET / HTTP/2.0\r\n\r\n", raised(505), ACCEPTED), "http_major_version"),
    # the table promises 505 for another major version, so a 400 there is not deliberate
    ("h2-400", ctx(b"GET / HTTP/2.0\r\n\r\n", RAISE_400, ACCEPTED), None),
    ("empty-lines", ctx(b"\r\n" + GOOD, ACCEPTED, RAISE_400), "leading_empty_lines"),
    ("no-empty-lines", ctx(GOOD, ACCEPTED, RAISE_400), None),
    (
        "status",
        ctx(b"HTTP/1.1 20 OK\r\n\r\n", RAISE_400, ACCEPTED, role="CLIENT"),
        "status_line",
    ),
    ("status-ok", ctx(b"HTTP/1.1 200 OK\r\n\r\n", RAISE_400, ACCEPTED, role="CLIENT"), None),
    # h11 rejecting what we accept is not this row (h11 accepts all the forms it allows)
    (
        "status-h11-rejects",
        ctx(b"\r\nHTTP/1.1 200 OK\r\n\r\n", ACCEPTED, RAISE_400, "CLIENT"),
        None,
    ),
    ("cr-only", ctx(b"\r", {"events": [{"type": "NEED_DATA"}]}, RAISE_400), "leading_empty_lines"),
    (
        "big-head",
        ctx(GOOD[:-2] + b"X: " + b"a" * 100 + b"\r\n\r\n", raised(431), ACCEPTED, limit=64),
        "head_too_large",
    ),
    ("small-head", ctx(GOOD, raised(431), ACCEPTED, limit=64), None),
    # Response side: we take what h11 takes, so only what h11 refuses too is a row; a 400
    # of ours for a byte h11 takes is unexpected.
    (
        "response-nul",
        ctx(b"HTTP/1.1 200 OK\r\nX: a\x00b\r\n\r\n", RAISE_400, RESPONSE, "CLIENT"),
        "ctl_in_field_value",
    ),
    (
        "response-ctl",
        ctx(b"HTTP/1.1 200 OK\r\nX: a\x01b\r\n\r\n", RAISE_400, RESPONSE, "CLIENT"),
        None,
    ),
    (
        "response-reason-ctl",
        ctx(b"HTTP/1.1 200 O\x7fK\r\n\r\n", RAISE_400, RESPONSE, "CLIENT"),
        None,
    ),
    (
        "response-ctl-in-body",
        ctx(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n\x01", RAISE_400, RESPONSE, "CLIENT"),
        None,
    ),
    # a control byte in a request value, h11 501 for the coding that follows: both refuse
    (
        "ctl-then-501",
        ctx(b"GET / HTTP/1.1\r\nTransfer-Encoding: c\x01\r\n\r\n", RAISE_400, raised(501)),
        "ctl_in_field_value",
    ),
    ("response-chunk-ws", ctx(CHUNKED_RESPONSE + b"5 \r\n", RAISE_400, RESPONSE, "CLIENT"), None),
    (
        "response-chunk-ext",
        ctx(CHUNKED_RESPONSE + b"5;a=\r\n", RAISE_400, RESPONSE, "CLIENT"),
        None,
    ),
    # h11 refuses a signed size too: the row
    (
        "response-chunk-sign",
        ctx(CHUNKED_RESPONSE + b"+5\r\n", RAISE_400, RESPONSE, "CLIENT"),
        "chunk_size_syntax",
    ),
    (
        "request-chunk-ws",
        ctx(CHUNKED_REQUEST + b"5 \r\n", RAISE_400, ACCEPTED),
        "chunk_size_syntax",
    ),
    (
        "response-http10-chunked",
        ctx(
            b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n",
            {"events": [{"type": "Response"}, data("1\r\na\r\n"), {"type": "NEED_DATA"}]},
            {"events": [{"type": "Response"}, data("a", True, True), {"type": "NEED_DATA"}]},
            "CLIENT",
        ),
        None,  # an HTTP/1.0 response's chunks are decoded, as h11 does
    ),
    (
        "response-http10-gzip",
        ctx(
            b"HTTP/1.0 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nab",
            {"events": [{"type": "Response"}, data("ab"), {"type": "NEED_DATA"}]},
            raised(501),
            "CLIENT",
        ),
        None,  # an HTTP/1.0 response's coding is checked (501), as h11 does
    ),
    # bare LF in an HTTP/1.0 response's chunk framing: decoded, so the row applies
    (
        "response-http10-chunk-lf",
        ctx(
            b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\na\r\n",
            RAISE_400,
            NEED,
            "CLIENT",
            before=[{"type": "Response"}],
        ),
        "bare_lf_chunked",
    ),
    (
        "response-http10-chunk-crlf",
        ctx(
            b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naX\r\n",
            RAISE_400,
            NEED,
            "CLIENT",
            before=[{"type": "Response"}],
        ),
        "chunk_data_crlf",
    ),
    # the same bytes read until close (no Transfer-Encoding): no chunk framing, no row
    (
        "response-http10-close-lf",
        ctx(
            b"HTTP/1.0 200 OK\r\n\r\n1\na\r\n",
            RAISE_400,
            NEED,
            "CLIENT",
            before=[{"type": "Response"}],
        ),
        None,
    ),
    (
        "response-obs-fold-ws",
        ctx(FOLDED, folded("a b"), folded("a  b"), "CLIENT"),
        None,
    ),
    # a value that differs in more than whitespace is not that
    ("response-obs-fold-other", ctx(FOLDED, folded("a b"), folded("a  c"), "CLIENT"), None),
    # the construct sits in the first message, the candidate failed on the second one
    (
        "earlier-message",
        ctx(
            b"GET / HTTP/1.1\r\nX: a\x01\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            RAISE_400,
            ACCEPTED,
            before=[{"type": "Request"}, {"type": "EndOfMessage"}],
        ),
        None,
    ),
]


@pytest.mark.parametrize(("label", "context", "expected"), CASES, ids=[c[0] for c in CASES])
def test_classify(label: str, context: kd.Context, expected: str | None) -> None:
    assert kd.classify(context) == expected


def send_ctx(headers: list[list[str]], cand: dict[str, Any]) -> kd.Context:
    event = {"type": "Response", "status_code": 200, "headers": headers}
    script = {"role": "SERVER", "steps": [{"op": "send", "event": event}]}
    construct_error = {"construct": {"exc": "LocalProtocolError", "hint": 400, "kind": "local"}}
    return kd.Context(
        script=script,
        index=0,
        cand={"result": cand, "state": STATE},
        ref={"result": construct_error, "state": STATE},
        received=b"",
        sent_methods=[],
        cand_items=[],
        ref_items=[],
    )


def test_construct_strip_requires_the_stripped_value_on_the_wire() -> None:
    good = {"bytes": "HTTP/1.1 200 \r\nX: v\r\n\r\n"}
    assert kd.classify(send_ctx([["X", " v "]], good)) == "construct_strip"
    assert (
        kd.classify(send_ctx([["X", " v "]], {"bytes": "HTTP/1.1 200 \r\nX:  v \r\n\r\n"})) is None
    )
    assert kd.classify(send_ctx([["X", "v"]], good)) is None
    # a control byte h11 takes in a value does not change that (we send it as h11 does)
    ctl = {"bytes": "HTTP/1.1 200 \r\nX: a\x01\r\n\r\n"}
    assert kd.classify(send_ctx([["X", " a\x01 "]], ctl)) == "construct_strip"
    # one h11 refuses (VT) is not sent by us either
    vt = {"bytes": "HTTP/1.1 200 \r\nX: a\x0b\r\n\r\n"}
    assert kd.classify(send_ctx([["X", " a\x0b "]], vt)) is None


def test_te_and_cl_only_explains_keep_alive() -> None:
    received = (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"
    )
    same = {"events": [{"type": "EndOfMessage"}]}
    c = ctx(received, same, same)
    c.cand = {"result": same, "state": {"our_state": "SEND_RESPONSE", "their_state": "MUST_CLOSE"}}
    c.ref = {"result": same, "state": {"our_state": "SEND_RESPONSE", "their_state": "DONE"}}
    assert kd.classify(c) == "te_and_cl"
    c.cand = {"result": same, "state": {"our_state": "ERROR", "their_state": "DONE"}}
    assert kd.classify(c) is None


# ------------------------------------------- predicates added in the follow-up


def test_scan_marks_bare_lf_in_chunk_framing_only() -> None:
    te = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert scan(te + b"1\na\r\n0\r\n\r\n", True, []).heads[0].bare_lf_chunked
    assert scan(te + b"1\r\na\n0\r\n\r\n", True, []).heads[0].bare_lf_chunked
    assert scan(te + b"1\r\na\r\n0\r\n\n", True, []).heads[0].bare_lf_chunked
    assert not scan(te + b"1\r\na\r\n0\r\n\r\n", True, []).heads[0].bare_lf_chunked
    # bare LF in the head is the "as h11" row, not chunk framing
    lf_head = b"POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n1\r\na\r\n0\r\n\r\n"
    assert not scan(lf_head, True, []).heads[0].bare_lf_chunked


def test_scan_reads_on_after_a_switch_request_and_marks_te_in_http10() -> None:
    raw = b"GET / HTTP/1.1\r\nUpgrade: x\r\n\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"
    heads = scan(raw, True, []).heads
    assert [h.start for h in heads] == [b"GET / HTTP/1.1", b"GET /2 HTTP/1.1"]
    assert heads[1].leading_empty == 2
    bodiless = b"HTTP/1.0 304 \r\nTransfer-Encoding: gzip\r\n\r\nHTTP/1.1 200 OK\r\n"
    found = scan(bodiless, False, [b"GET", b"GET"])
    assert found.heads[0].te_http10
    assert not found.heads[1].te_http10
    assert len(found.heads) == 2


def state(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "our_state": "DONE",
        "their_state": "SEND_BODY",
        "states": {"CLIENT": "DONE", "SERVER": "SEND_BODY"},
        "trailing_data": ["", False],
    }
    return {**base, **changes}


def with_states(c: kd.Context, cand: dict[str, Any], ref: dict[str, Any]) -> kd.Context:
    c.cand = {"result": c.cand["result"], "state": cand}
    c.ref = {"result": c.ref["result"], "state": ref}
    return c


CHUNKED_REQ = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"


def test_same_error_with_other_consumption_counts_for_a_row() -> None:
    received = CHUNKED_REQ + b"0x1\r\na\r\n"
    c = ctx(received, RAISE_400, RAISE_400, before=[{"type": "Request"}])
    mine, theirs = (
        state(trailing_data=["0x1\r\na\r\n", False]),
        state(trailing_data=["a\r\n", False]),
    )
    assert kd.classify(with_states(c, mine, theirs)) == "chunk_size_syntax"
    # the same outcome in every respect but consumption, for a well-formed chunk: no row
    fine = ctx(CHUNKED_REQ + b"1\r\na\r\n", RAISE_400, RAISE_400, before=[{"type": "Request"}])
    assert kd.classify(with_states(fine, mine, theirs)) is None
    # another state difference besides trailing_data is more than consumption
    assert kd.classify(with_states(c, {**mine, "their_state": "ERROR"}, theirs)) is None


def test_bare_lf_in_chunked_framing() -> None:
    before = [{"type": "Request"}]
    assert (
        kd.classify(ctx(CHUNKED_REQ + b"1\na\r\n0\r\n\r\n", RAISE_400, NEED, before=before))
        == "bare_lf_chunked"
    )
    assert (
        kd.classify(ctx(CHUNKED_REQ + b"1\r\na\r\n0\r\n\r\n", RAISE_400, NEED, before=before))
        is None
    )
    # bare LF in a head: refused in a request (issue #15), accepted in a response
    lf_head = b"POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n1\r\na\r\n"
    assert kd.classify(ctx(lf_head, RAISE_400, NEED, before=before)) == "request_bare_lf"
    lf_response = b"HTTP/1.1 200 OK\nContent-Length: 1\n\na"
    assert kd.classify(ctx(lf_response, RAISE_400, ACCEPTED, role="CLIENT")) is None


def test_partial_chunk_terminator() -> None:
    events = {"events": [{"type": "Data", "data": "abc", "chunk_start": True, "chunk_end": True}]}
    c = ctx(CHUNKED_REQ + b"3\r\nabc\r", events, events, before=[{"type": "Request"}])
    ok = with_states(c, state(trailing_data=["\r", False]), state())
    assert kd.classify(ok) == "partial_chunk_terminator"
    # more than a CR kept, or not in SEND_BODY: not this rule
    more = with_states(c, state(trailing_data=["\rX", False]), state())
    assert kd.classify(more) is None
    done = with_states(
        c, state(their_state="DONE", trailing_data=["\r", False]), state(their_state="DONE")
    )
    assert kd.classify(done) is None
    # a Content-Length body has no chunk terminator
    cl = ctx(
        GOOD[:-2] + b"Content-Length: 4\r\n\r\nabc\r", events, events, before=[{"type": "Request"}]
    )
    assert kd.classify(with_states(cl, state(trailing_data=["\r", False]), state())) is None


def eom_after(start: bool, h11_start: bool, h11_prev_end: bool = True) -> kd.Context:
    first = data("ab", True, h11_prev_end)
    mine = {"events": [data("cd", start, True), {"type": "EndOfMessage"}]}
    theirs = {"events": [data("cd", h11_start, True), {"type": "EndOfMessage"}]}
    received = CHUNKED_REQ + b"2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n"
    head = {"type": "Request", "headers": [["transfer-encoding", "chunked"]]}
    c = ctx(received, mine, theirs, before=[head, first])
    return with_states(c, state(), state())


def test_h11_chunk_start_lost() -> None:
    assert kd.classify(eom_after(True, False)) == "h11_chunk_start_lost"
    # with the chunk start put back, another row may explain what else differs
    closing = eom_after(True, False)
    closing.received = (
        CHUNKED_REQ[:-2] + b"Content-Length: 4\r\n\r\n" + closing.received[len(CHUNKED_REQ) :]
    )
    closing.cand = {"result": closing.cand["result"], "state": state(their_state="MUST_CLOSE")}
    closing.ref = {"result": closing.ref["result"], "state": state(their_state="DONE")}
    assert kd.classify(closing) == "te_and_cl"
    # the same state difference without the TE+CL construct stays unexplained
    plain = eom_after(True, False)
    plain.cand, plain.ref = closing.cand, closing.ref
    assert kd.classify(plain) is None
    # h11 did not end a chunk there: a chunk start of ours at that offset is no h11 bug
    assert kd.classify(eom_after(True, False, h11_prev_end=False)) is None
    # the other way round (we lose a chunk start) is never deliberate
    assert kd.classify(eom_after(False, True)) is None


def attribute_ctx(before_states: dict[str, str], cand: dict[str, Any]) -> kd.Context:
    c = ctx(GOOD, cand, {"events": [], "stop": {"exc": "AttributeError"}})
    c.ref_before = {"states": before_states}
    return c


def test_h11_attribute_error_only_after_the_server_left_idle() -> None:
    accepted = {"events": [{"type": "Request"}, {"type": "EndOfMessage"}]}
    errored = {"CLIENT": "IDLE", "SERVER": "ERROR"}
    assert kd.classify(attribute_ctx(errored, accepted)) == "h11_attribute_error"
    assert kd.classify(attribute_ctx({"CLIENT": "IDLE", "SERVER": "IDLE"}, accepted)) is None
    crashed = {"events": [], "stop": {"exc": "AttributeError"}}
    assert kd.classify(attribute_ctx(errored, crashed)) is None


def reason_ctx(reason: str, ref: dict[str, Any], ref_state: dict[str, Any]) -> kd.Context:
    event = {"type": "Response", "status_code": 200, "headers": [], "reason": reason}
    script = {"role": "SERVER", "steps": [{"op": "send", "event": event}]}
    construct_error = {"construct": {"exc": "LocalProtocolError", "hint": 400, "kind": "local"}}
    return kd.Context(
        script=script,
        index=0,
        cand={"result": construct_error, "state": state(our_state="SEND_RESPONSE")},
        ref={"result": ref, "state": ref_state},
        received=b"",
        sent_methods=[],
        cand_items=[],
        ref_items=[],
    )


def test_reason_refused_at_construction() -> None:
    at_send = {"exc": "LocalProtocolError", "hint": 400, "kind": "local"}
    errored = state(our_state="ERROR")
    assert kd.classify(reason_ctx("a\r\nb", at_send, errored)) == "reason_at_construction"
    written = {"bytes": "HTTP/1.1 200 a\x0bb\r\n\r\n"}
    sent_state = state(our_state="SEND_BODY")
    assert kd.classify(reason_ctx("a\x0bb", written, sent_state)) == "reason_at_construction"
    # any other control byte is a reason we construct, as h11 does: refusing it is no row
    written = {"bytes": "HTTP/1.1 200 a\x01b\r\n\r\n"}
    assert kd.classify(reason_ctx("a\x01b", written, sent_state)) is None
    # a clean reason is no reason to refuse
    assert kd.classify(reason_ctx("a b", at_send, errored)) is None
    # the peer's side must not differ: we never got to send anything
    other = {**errored, "their_state": "ERROR"}
    assert kd.classify(reason_ctx("a\r\nb", at_send, other)) is None


def test_response_head_too_large_and_request_row_stay_apart() -> None:
    big = b"HTTP/1.1 200 OK\r\nX: " + b"a" * 100 + b"\r\n\r\n"
    got = {"events": [{"type": "Response"}, {"type": "EndOfMessage"}]}
    assert kd.classify(ctx(big, raised(431), got, "CLIENT", limit=64)) == "response_head_too_large"
    small = b"HTTP/1.1 200 OK\r\n\r\n"
    assert kd.classify(ctx(small, raised(431), got, "CLIENT", limit=64)) is None


def test_response_leading_empty_lines_trailing_data() -> None:
    c = ctx(b"\r\nHTTP/1.1 200 OK\r\n\r\n", RAISE_400, RAISE_400, "CLIENT")
    mine, theirs = state(trailing_data=["", False]), state(trailing_data=["HTTP/1.1", False])
    assert kd.classify(with_states(c, mine, theirs)) == "response_leading_empty_lines"
    plain = ctx(b"HTTP/1.1 200 OK\r\n\r\n", RAISE_400, RAISE_400, "CLIENT")
    assert kd.classify(with_states(plain, mine, theirs)) is None
    # a request is another row (ignored there), never this one
    req = ctx(b"\r\n" + GOOD, RAISE_400, RAISE_400)
    assert kd.classify(with_states(req, mine, theirs)) is None


def test_chunk_size_bws_before_an_extension() -> None:
    before = [{"type": "Response"}]
    bws = CHUNKED_RESPONSE + b"1 ;x\r\na\r\n"
    assert kd.classify(ctx(bws, NEED, RAISE_400, "CLIENT", before=before)) == "chunk_size_bws"
    # a chunk-size line without BWS before `;` is not this row
    plain = CHUNKED_RESPONSE + b"1;x\r\na\r\n"
    assert kd.classify(ctx(plain, NEED, RAISE_400, "CLIENT", before=before)) is None
    # a request's `1 ;x` is refused, as h11 does: our acceptance is no row
    request = [{"type": "Request"}]
    assert kd.classify(ctx(CHUNKED_REQ + b"1 ;x\r\na\r\n", NEED, RAISE_400, before=request)) is None


def test_te_in_http10_is_a_row_for_requests_only() -> None:
    got = {"events": [{"type": "Response"}, {"type": "EndOfMessage"}, {"type": "NEED_DATA"}]}
    # a response's Transfer-Encoding is checked as h11 checks it, in HTTP/1.0 too
    for version in (b"1.0", b"1.1"):
        head = b"HTTP/" + version + b" 304 \r\nTransfer-Encoding: gzip\r\n\r\n"
        assert kd.classify(ctx(head, got, raised(501), "CLIENT")) is None
    # empty members in a bodiless HTTP/1.0 response: that row, not te_http10
    empty = b"HTTP/1.0 304 \r\nTransfer-Encoding: ,chunked\r\n\r\n"
    assert kd.classify(ctx(empty, got, raised(501), "CLIENT")) == "te_empty_members"
    request = b"POST / HTTP/1.0\r\nTransfer-Encoding: gzip\r\n\r\n"
    assert kd.classify(ctx(request, RAISE_400, raised(501))) == "te_http10"


def test_te_and_cl_data_after_the_closing_message() -> None:
    te_cl = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n"
    nxt = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    req = {"type": "Request"}
    eom = {"type": "EndOfMessage"}
    mine = {"events": [req, eom], "stop": RAISE_400["stop"]}
    theirs = {"events": [req, eom, req, eom, {"type": "NEED_DATA"}]}
    assert kd.classify(ctx(te_cl + nxt, mine, theirs)) == "te_and_cl"
    # a plain message followed by another: refusing the second one is no row
    plain = GOOD[:-2] + b"Content-Length: 0\r\n\r\n"
    assert kd.classify(ctx(plain + nxt, mine, theirs)) is None


def test_h11_refusing_what_we_accepted_before_failing_later() -> None:
    # empty line, then a message we accept and a second one we refuse; h11 refuses at once
    got = {"events": [{"type": "Request"}, {"type": "EndOfMessage"}], "stop": RAISE_400["stop"]}
    received = b"\r\n" + GOOD + b"\x01"
    assert kd.classify(ctx(received, got, RAISE_400)) == "leading_empty_lines"
    assert kd.classify(ctx(GOOD + b"\x01", got, RAISE_400)) is None


def test_reason_lets_h11_close_the_peer_after_its_error() -> None:
    at_send = {"exc": "LocalProtocolError", "hint": 400, "kind": "local"}
    closed = state(our_state="ERROR", their_state="MUST_CLOSE")
    assert kd.classify(reason_ctx("a\r\nb", at_send, closed)) == "reason_at_construction"
    other = state(our_state="ERROR", their_state="CLOSED")
    assert kd.classify(reason_ctx("a\r\nb", at_send, other)) is None


def te_cl_send(cand_bytes: str, ref_bytes: str) -> kd.Context:
    received = (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"
    )
    event = {"type": "Response", "status_code": 200, "headers": []}
    script = {"role": "SERVER", "steps": [{"op": "send_passthrough", "event": event}]}
    return kd.Context(
        script=script,
        index=0,
        cand={"result": {"parts": cand_bytes}, "state": STATE},
        ref={"result": {"parts": ref_bytes}, "state": STATE},
        received=received,
        sent_methods=[],
        cand_items=[],
        ref_items=[],
    )


def test_te_and_cl_closing_head_shapes() -> None:
    theirs = "HTTP/1.1 200 \r\nConnection: close\r\nX: 1\r\n\r\n"
    moved = "HTTP/1.1 200 \r\nX: 1\r\nConnection: close\r\n\r\n"
    assert kd.classify(te_cl_send(moved, theirs)) == "te_and_cl"
    appended = "HTTP/1.1 200 \r\nX: 1\r\nConnection: close\r\n\r\n"
    assert kd.classify(te_cl_send(appended, "HTTP/1.1 200 \r\nX: 1\r\n\r\n")) == "te_and_cl"
    # anything else changed in the head is no keep-alive consequence
    assert kd.classify(te_cl_send("HTTP/1.1 200 \r\nConnection: close\r\n\r\n", theirs)) is None
    keep = "HTTP/1.1 200 \r\nConnection: keep-alive\r\nX: 1\r\n\r\n"
    assert kd.classify(te_cl_send(moved, keep)) is None


# ----------------------------------------------------------------- end to end

MUTANT = """
import os

try:  # the class driver.py uses: h11_connection where installed, else h11
    import h11_connection as h11
except ImportError:
    import h11

MODE = os.environ["H6_MUT"]
_next, _send = h11.Connection.next_event, h11.Connection.send


def next_event(self):
    pending = getattr(self, "_mut_pending", None)
    if pending is not None:
        self._mut_pending = None
        return pending
    event = _next(self)
    if MODE == "split" and isinstance(event, h11.Data) and len(event.data) > 1:
        self._mut_pending = h11.Data(event.data[1:], False, event.chunk_end)
        return h11.Data(event.data[:1], event.chunk_start, False)
    return event


def send(self, event):
    out = _send(self, event)
    if MODE == "sendbytes" and isinstance(event, h11.Response) and out:
        out = out.replace(b"\\r\\n\\r\\n", b"\\r\\nX-Mut: 1\\r\\n\\r\\n", 1)
    return out


h11.Connection.next_event = next_event
h11.Connection.send = send
"""


def mutant(tmp_path: Path, mode: str) -> str:
    (tmp_path / "sitecustomize.py").write_text(MUTANT)
    wrapper = tmp_path / "python"
    wrapper.write_text(
        f'#!/bin/sh\nH6_MUT={mode} PYTHONPATH={tmp_path} exec {sys.executable} "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return str(wrapper)


def test_identical_implementations_agree(capsys: pytest.CaptureFixture[str]) -> None:
    py = sys.executable
    assert run.main(["--candidate", py, "--reference", py, "--cases", "300"]) == 0
    out = capsys.readouterr().out
    assert "unexpected:             0" in out
    assert "differing:              0" in out


def test_resplit_data_is_not_a_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    py = mutant(tmp_path, "split")
    assert run.main(["--candidate", py, "--reference", sys.executable, "--cases", "300"]) == 0
    out = capsys.readouterr().out
    assert "equal after Data merge: 0\n" not in out


def test_changed_send_bytes_are_unexpected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    py = mutant(tmp_path, "sendbytes")
    report = tmp_path / "report.json"
    argv = ["--candidate", py, "--reference", sys.executable, "--cases", "300"]
    assert run.main([*argv, "--show", "1", "--json", str(report)]) == 1
    out = capsys.readouterr().out
    assert "X-Mut: 1" in out
    cases = json.loads(report.read_text())
    assert cases
    assert all(case["category"] is None for case in cases)
    # the report replays: the same differences come back
    assert run.main(["--candidate", py, "--reference", sys.executable, "--replay", str(report)])


# ------------------------------------------------- issue #15 rows (strict requests)

ISSUE_15_CASES: list[tuple[bytes, dict[str, Any], dict[str, Any], str | None]] = [
    (b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", RAISE_400, ACCEPTED, "request_obs_fold"),
    (b"GET / HTTP/1.1\r\nHost: a\r\n\n", RAISE_400, ACCEPTED, "request_bare_lf"),
    (b"GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", RAISE_400, ACCEPTED, "request_target_form"),
    (b"GET * HTTP/1.1\r\nHost: a\r\n\r\n", RAISE_400, ACCEPTED, "request_target_form"),
    (b"CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", RAISE_400, ACCEPTED, "request_target_form"),
    # h11 refuses the same head with 501 (a coding), we first see the target: 400
    (
        b"POST * HTTP/1.1\r\nTransfer-Encoding: gzip\r\nHost: a\r\n\r\n",
        RAISE_400,
        raised(501),
        "request_target_form",
    ),
    (b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", RAISE_400, ACCEPTED, None),
    (b"GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", RAISE_400, ACCEPTED, None),
    (b"GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", RAISE_400, ACCEPTED, "host_value"),
    (b"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", RAISE_400, ACCEPTED, "host_value"),
    (b"GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", RAISE_400, ACCEPTED, None),
    (
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n",
        RAISE_400,
        raised(501),
        "te_empty_members",
    ),
    (
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip,\r\n\r\n0\r\n\r\n",
        ACCEPTED,
        raised(501),
        None,
    ),
]


@pytest.mark.parametrize(("received", "cand", "ref", "expected"), ISSUE_15_CASES)
def test_issue_15_rows(
    received: bytes, cand: dict[str, Any], ref: dict[str, Any], expected: str | None
) -> None:
    assert kd.classify(ctx(received, cand, ref)) == expected


TE_EMPTY_REQUEST = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n"
TE_EMPTY_RESPONSE = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked,\r\n\r\n0\r\n\r\n"


def test_te_empty_members_row() -> None:
    # a request with empty members is refused (our 400, h11's 501) ...
    assert kd.classify(ctx(TE_EMPTY_REQUEST, RAISE_400, raised(501))) == "te_empty_members"
    # ... so a request framed as chunked is no row
    assert kd.classify(ctx(TE_EMPTY_REQUEST, ACCEPTED, raised(501))) is None
    # a response is framed as chunked (h11 501); refusing it is no row
    assert kd.classify(ctx(TE_EMPTY_RESPONSE, RESPONSE, raised(501), "CLIENT")) == (
        "te_empty_members"
    )
    assert kd.classify(ctx(TE_EMPTY_RESPONSE, RAISE_400, raised(501), "CLIENT")) is None
    # without an empty member it is not this row
    plain = TE_EMPTY_REQUEST.replace(b",chunked", b"chunked")
    assert kd.classify(ctx(plain, RAISE_400, raised(501))) is None


def test_chunk_extension_bws_refused_in_requests_accepted_in_responses() -> None:
    bws_request = ctx(CHUNKED_REQUEST + b"1 ;x\r\n", ACCEPTED, RAISE_400)
    bws_response = ctx(CHUNKED_RESPONSE + b"1 ;x\r\n", RESPONSE, RAISE_400, "CLIENT")
    # requests: whitespace around `;`/`=` refused (h11 takes some of it: `5; a`)
    assert kd.classify(bws_request) is None
    for line in (b"5; a", b"5;a =b", b"5;a= b"):
        refused = ctx(CHUNKED_REQUEST + line + b"\r\n", RAISE_400, ACCEPTED)
        assert kd.classify(refused) == "chunk_extension_syntax", line
    # responses: accepted, as RFC 9112 7.1.1 allows; refusing it is no row
    assert kd.classify(bws_response) == "chunk_size_bws"
    spaced = ctx(CHUNKED_RESPONSE + b"5; a\r\n", RAISE_400, RESPONSE, "CLIENT")
    assert kd.classify(spaced) is None


def test_scan_decodes_http10_chunked_responses() -> None:
    raw = b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nT: 1\r\n\r\n"
    decoded = scan(raw, False, [b"GET"])
    assert decoded.heads[0].chunk_lines == [b"1", b"0"]
    assert decoded.heads[0].trailer == [b"T: 1"]
    assert decoded.stopped == "te-http10"
    # a HEAD response has no body, another coding no known framing
    assert scan(raw, False, [b"HEAD"]).heads[0].chunk_lines == []
    gzip = raw.replace(b"chunked", b"gzip")
    assert scan(gzip, False, [b"GET"]).heads[0].chunk_lines == []


def test_issue_15_request_rows_are_for_requests_only() -> None:
    folded = b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n"
    assert kd.classify(ctx(folded, RAISE_400, ACCEPTED, role="CLIENT")) is None


def test_te_and_cl_refused_on_send() -> None:
    event = {
        "type": "Request",
        "method": "POST",
        "target": "/",
        "headers": [["Host", "a"], ["Transfer-Encoding", "chunked"], ["Content-Length", "3"]],
    }
    script = {"role": "CLIENT", "steps": [{"op": "send", "event": event}]}
    mine = {"result": {"exc": "LocalProtocolError"}, "state": state()}
    theirs = {"result": {"bytes": "POST / HTTP/1.1\r\n..."}, "state": state()}
    c = kd.Context(script, 0, mine, theirs, b"", [], [], [])
    assert kd.classify(c) == "te_and_cl_send"
    event["headers"] = [["Host", "a"], ["Content-Length", "3"]]
    assert kd.classify(c) is None
    # a Response with both is completed as h11 completes it: never a deliberate difference
    response = {
        "type": "Response",
        "status_code": 200,
        "headers": [["Transfer-Encoding", "chunked"], ["Content-Length", "3"]],
    }
    c.script = {"role": "SERVER", "steps": [{"op": "send", "event": response}]}
    assert kd.classify(c) is None


LEFTOVER = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nEVIL"


def leftover_traces(
    buffered: str, cand_result: dict[str, Any], *, read_between: bool = False
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], int]:
    """A client that received `buffered`, then sent a GET (and maybe read), then drained:
    (script, candidate trace, reference trace, index of the last drain)."""
    request = {"type": "Request", "method": "GET", "target": "/", "headers": [["Host", "a"]]}
    steps: list[dict[str, Any]] = [
        {"op": "receive", "data": buffered},
        {"op": "send", "event": request},
        {"op": "send", "event": {"type": "EndOfMessage", "headers": []}},
    ]
    if read_between:
        steps.append({"op": "drain"})
    steps.append({"op": "drain"})
    held = state(trailing_data=[buffered, False])
    shared = [
        {"result": {"ok": True}, "state": held},
        {"result": {"bytes": "GET / HTTP/1.1\r\nHost: a\r\n\r\n"}, "state": held},
        {"result": {"bytes": ""}, "state": held},
    ]
    if read_between:
        shared.append({"result": {"events": [{"type": "NEED_DATA"}]}, "state": held})
    theirs = {"events": [{"type": "Response"}, {"type": "Data"}, {"type": "EndOfMessage"}]}
    ref = {"init": {}, "steps": [*shared, {"result": theirs, "state": state()}]}
    cand = {
        "init": {},
        "steps": [*shared, {"result": cand_result, "state": state(their_state="ERROR")}],
    }
    return {"role": "CLIENT", "steps": steps}, cand, ref, len(steps) - 1


def test_bytes_before_request_only_for_bytes_buffered_when_the_request_went_out() -> None:
    script, cand, ref, last = leftover_traces(LEFTOVER, RAISE_400)
    assert run.classify_first(script, cand, ref, last) == "bytes_before_request"
    # nothing buffered when the Request went out: the answer came after it
    script, cand, ref, last = leftover_traces("", RAISE_400)
    assert run.classify_first(script, cand, ref, last) is None
    # a read between the Request and this step: the refusal would have come there
    script, cand, ref, last = leftover_traces(LEFTOVER, RAISE_400, read_between=True)
    assert run.classify_first(script, cand, ref, last) is None
    # we read a head first: not the refusal of bytes before the request
    script, cand, ref, last = leftover_traces(
        LEFTOVER, {**RAISE_400, "events": [{"type": "Response"}]}
    )
    assert run.classify_first(script, cand, ref, last) is None
    # a server reading requests is never this row
    script, cand, ref, last = leftover_traces(LEFTOVER, RAISE_400)
    script["role"] = "SERVER"
    assert run.classify_first(script, cand, ref, last) != "bytes_before_request"


def test_request_trailer_field() -> None:
    before = [{"type": "Request"}, data("a", True, True)]
    framed = CHUNKED_REQ + b"1\r\na\r\n0\r\nContent-Length: 5\r\n\r\n"
    assert kd.classify(ctx(framed, RAISE_400, NEED, before=before)) == "request_trailer_field"
    cookie = CHUNKED_REQ + b"1\r\na\r\n0\r\ncookie: a=1\r\n\r\n"
    assert kd.classify(ctx(cookie, RAISE_400, NEED, before=before)) == "request_trailer_field"
    # a field that governs nothing, or the same field in the head: not this row
    plain = CHUNKED_REQ + b"1\r\na\r\n0\r\nX-Checksum: 5\r\n\r\n"
    assert kd.classify(ctx(plain, RAISE_400, NEED, before=before)) is None
    # a response's trailers are passed on: refusing them is no row
    response = CHUNKED_RESPONSE + b"1\r\na\r\n0\r\nContent-Length: 5\r\n\r\n"
    got = [{"type": "Response"}, data("a", True, True)]
    assert kd.classify(ctx(response, RAISE_400, NEED, "CLIENT", before=got)) is None


def test_te_empty_members_on_a_1xx_nobody_asked_for() -> None:
    head = b"HTTP/1.1 100 Go\r\nTransfer-Encoding: chunked,\r\n\r\n"
    idle = ctx(head, RAISE_400, raised(501), "CLIENT")
    idle.ref_before = {"states": {"CLIENT": "IDLE", "SERVER": "IDLE"}}
    assert kd.classify(idle) == "te_empty_members"
    # after a request the 1xx is read (ours) where h11 501s: the plain row
    asked = ctx(head, {"events": [{"type": "InformationalResponse"}]}, raised(501), "CLIENT")
    assert kd.classify(asked) == "te_empty_members"
    # a 400 for it while a request is outstanding is no row
    waiting = ctx(head, RAISE_400, raised(501), "CLIENT")
    waiting.ref_before = {"states": {"CLIENT": "DONE", "SERVER": "SEND_RESPONSE"}}
    assert kd.classify(waiting) is None
    # nor without an empty member (h11 would not answer 501 there)
    gzip = ctx(head.replace(b"chunked,", b"chunked"), RAISE_400, raised(501), "CLIENT")
    gzip.ref_before = idle.ref_before
    assert kd.classify(gzip) is None


def test_h11_refused_request_remembered() -> None:
    # a CONNECT that send() refused was never sent: h11 still takes the next 200 as its
    # answer (a switch), we read it as the answer to the request that was sent
    received = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
    ours = {"events": [{"type": "Response"}, data("hi", False, False), {"type": "NEED_DATA"}]}
    h11s = {"events": [{"type": "Response"}, {"type": "PAUSED"}]}
    c = ctx(received, ours, h11s, "CLIENT")
    c.cand["state"] = {**STATE, "states": {"CLIENT": "ERROR", "SERVER": "MUST_CLOSE"}}
    c.ref["state"] = {**STATE, "states": {"CLIENT": "ERROR", "SERVER": "SWITCHED_PROTOCOL"}}
    assert kd.classify(c) is None  # no refused Request: not this row
    c.refused_methods = [b"CONNECT"]
    assert kd.classify(c) == "h11_refused_request"
    # both switched: no difference this row explains
    c.cand["state"] = c.ref["state"]
    assert kd.h11_refused_request_remembered(c) is False
    # the server side never has this row
    c.cand["state"] = {**STATE, "states": {"CLIENT": "ERROR", "SERVER": "MUST_CLOSE"}}
    c.script["role"] = "SERVER"
    assert kd.h11_refused_request_remembered(c) is False


def test_refused_methods_reads_the_reference_trace() -> None:
    script = {
        "role": "CLIENT",
        "steps": [
            {"op": "send", "event": {"type": "Request", "method": "GET"}},
            {"op": "send", "event": {"type": "Request", "method": "CONNECT"}},
            {"op": "drain"},
        ],
    }
    trace = {
        "steps": [
            {"result": {"bytes": "GET / HTTP/1.1\r\n\r\n"}},
            {"result": {"exc": "LocalProtocolError", "hint": 400, "kind": "local"}},
            {"result": {"events": []}},
        ]
    }
    assert run.refused_methods(script, trace, 2) == [b"CONNECT"]
    assert run.refused_methods(script, trace, 1) == []
