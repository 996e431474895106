"""Tests of the differential harness itself (needs h11 importable in this interpreter).

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

import h11  # noqa: F401  (the harness tests need a reference h11 in this venv)
import pytest

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

import known_differences as kd  # noqa: E402
import run  # noqa: E402
from generator import MUTATIONS, generate  # noqa: E402
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


# ----------------------------------------------------------------- end to end

MUTANT = """
import os

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
