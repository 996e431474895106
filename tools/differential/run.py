"""Differential test: the same scripted conversations against two `h11`s, compared step by step.

    python tools/differential/run.py --candidate PY1 --reference PY2 [--seed S] [--cases N]

PY1/PY2 are interpreters of venvs holding the candidate h11 and PyPI h11 0.16. Both run
driver.py on the same JSON batch; this process generates the batch (generator.py), compares
the traces and classifies every difference (known_differences.py). Exit status 1 if any
difference is unexpected (or a driver failed), else 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generator import full_response_sweep, generate  # noqa: E402
from known_differences import Context, classify, merged  # noqa: E402

DRIVER = HERE / "driver.py"
#: Scripts per driver process (several processes run in parallel per interpreter).
BATCH = 250
TIMEOUT = 300


def run_driver(python: str, scripts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run driver.py under `python` on the scripts; return one trace per script."""
    proc = subprocess.run(
        [python, str(DRIVER)],
        input=json.dumps({"scripts": scripts}),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        cwd="/",  # never import an h11 from the working directory by accident
    )
    if proc.returncode != 0:
        raise RuntimeError(f"driver failed under {python}:\n{proc.stderr[-3000:]}")
    traces: list[dict[str, Any]] = json.loads(proc.stdout)["traces"]
    return traces


def run_both(
    candidate: str, reference: str, scripts: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    batches = [scripts[i : i + BATCH] for i in range(0, len(scripts), BATCH)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        cand = pool.map(lambda b: run_driver(candidate, b), batches)
        ref = pool.map(lambda b: run_driver(reference, b), batches)
        return [t for ts in cand for t in ts], [t for ts in ref for t in ts]


# ------------------------------------------------------------------ normalising


def stream_items(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Received events of one step, plus the exception it ended with, in order."""
    result = record["result"]
    items = list(result.get("events", []))
    if "stop" in result:
        items.append({"type": "raised", **result["stop"]})
    return items


def merge_data(items: list[dict[str, Any]], close_open: bool) -> list[dict[str, Any]]:
    """Concatenate each run of Data events into one, keeping chunk boundaries as offsets.

    h11 splits Data at read boundaries, so only the payload of a run (one message body
    between other events) and where chunks start/end in it are compared. A run still
    open at the end of the prefix is left out unless `close_open`. (Shared with the
    predicates, which must see the steps exactly as they are compared here.)
    """
    return merged(items, close_open)


def step_view(record: dict[str, Any]) -> dict[str, Any]:
    """A step's record with received Data events removed (they are compared merged)."""
    result = dict(record["result"])
    if "events" in result:
        result["events"] = [e for e in result["events"] if e["type"] != "Data"]
    return {"result": result, "state": record["state"]}


def compare(
    script: dict[str, Any], cand: dict[str, Any], ref: dict[str, Any]
) -> tuple[int, int, int | None]:
    """(steps identical as recorded, steps equal after Data merging, first differing step)."""
    if cand["init"] != ref["init"]:
        return 0, 0, -1
    identical = equal = 0
    first: int | None = None
    c_items: list[dict[str, Any]] = []
    r_items: list[dict[str, Any]] = []
    last = len(script["steps"]) - 1
    for i, (c, r) in enumerate(zip(cand["steps"], ref["steps"], strict=True)):
        c_items += stream_items(c)
        r_items += stream_items(r)
        if c == r:
            identical += 1
            equal += 1
            continue
        same = step_view(c) == step_view(r) and merge_data(c_items, i == last) == merge_data(
            r_items, i == last
        )
        if same:
            equal += 1
        elif first is None:
            first = i
    return identical, equal, first


def received_until(script: dict[str, Any], index: int) -> bytes:
    return b"".join(
        s["data"].encode("latin-1") for s in script["steps"][: index + 1] if s["op"] == "receive"
    )


def sent_methods(script: dict[str, Any], trace: dict[str, Any], index: int) -> list[bytes]:
    """Methods of the Requests the reference actually sent before step `index`."""
    out = []
    for step, record in zip(script["steps"][:index], trace["steps"], strict=False):
        sent = record["result"].get("bytes") or record["result"].get("parts")
        if (
            step["op"] in ("send", "send_passthrough")
            and step["event"]["type"] == "Request"
            and sent
        ):
            out.append(step["event"]["method"].encode("latin-1"))
    return out


def refused_methods(script: dict[str, Any], trace: dict[str, Any], index: int) -> list[bytes]:
    """Methods of the Requests whose send() the reference refused before step `index`."""
    return [
        step["event"]["method"].encode("latin-1")
        for step, record in zip(script["steps"][:index], trace["steps"], strict=False)
        if step["op"] in ("send", "send_passthrough")
        and step["event"]["type"] == "Request"
        and record["result"].get("exc") == "LocalProtocolError"
    ]


def last_request(
    script: dict[str, Any], trace: dict[str, Any], index: int
) -> tuple[int, bytes] | None:
    """(step, bytes buffered then) of the last Request the reference sent before step
    `index`, from its trailing_data right after that send."""
    for i in range(index - 1, -1, -1):
        step, record = script["steps"][i], trace["steps"][i]
        sent = record["result"].get("bytes") or record["result"].get("parts")
        if step["op"] in ("send", "send_passthrough") and step["event"]["type"] == "Request":
            if not sent:
                return None
            return i, record["state"]["trailing_data"][0].encode("latin-1")
    return None


def classify_first(
    script: dict[str, Any], cand: dict[str, Any], ref: dict[str, Any], first: int
) -> str | None:
    if first < 0:
        return None
    ctx = Context(
        script=script,
        index=first,
        cand=cand["steps"][first],
        ref=ref["steps"][first],
        received=received_until(script, first),
        sent_methods=sent_methods(script, ref, first),
        cand_items=[i for step in cand["steps"][: first + 1] for i in stream_items(step)],
        ref_items=[i for step in ref["steps"][: first + 1] for i in stream_items(step)],
        ref_before=ref["steps"][first - 1]["state"] if first > 0 else None,
        last_request=last_request(script, ref, first),
        refused_methods=refused_methods(script, ref, first),
    )
    return classify(ctx)


# ------------------------------------------------------------------- minimising


def unsplit(script: dict[str, Any], upto: int) -> dict[str, Any]:
    """Steps up to `upto` with each run of receives (and drains between) fed as one read."""
    steps: list[dict[str, Any]] = []
    pending: list[str] = []
    for step in script["steps"][: upto + 1]:
        if step["op"] == "receive" and step["data"]:
            pending.append(step["data"])
            continue
        if step["op"] == "drain" and pending:
            continue
        if pending:
            steps += [{"op": "receive", "data": "".join(pending)}, {"op": "drain"}]
            pending = []
        steps.append(step)
    if pending:
        steps += [{"op": "receive", "data": "".join(pending)}, {"op": "drain"}]
    return {**script, "name": script["name"] + ":minimised", "steps": steps}


def minimise(
    candidate: str, reference: str, script: dict[str, Any], first: int
) -> dict[str, Any] | None:
    """Truncate after the first difference and feed unsplit; keep it if still unexpected."""
    for small in (unsplit(script, first), {**script, "steps": script["steps"][: first + 1]}):
        (c,), (r,) = run_driver(candidate, [small]), run_driver(reference, [small])
        _, _, f = compare(small, c, r)
        if f is not None and classify_first(small, c, r, f) is None:
            return {"script": small, "first": f, "candidate": c, "reference": r}
    return None


# ----------------------------------------------------------------------- report


def outline(result: dict[str, Any]) -> str:
    """A receiving step's outcome as a short string: event types, then what it raised."""
    kinds = [e["type"] for e in result.get("events", [])]
    if "stop" in result:
        kinds.append(f"{result['stop']['exc']}({result['stop'].get('hint')})")
    return ",".join(kinds)


def signature(case: dict[str, Any]) -> str:
    """What differs at the first differing step, coarsely, to group unexpected cases."""
    first = case["first"]
    if first < 0:
        return "Connection() itself"
    step = case["script"]["steps"][first]
    c, r = case["candidate"]["steps"][first], case["reference"]["steps"][first]
    op = step["op"] + (f" {step['event']['type']}" if "event" in step else "")
    parts = []
    if c["result"] != r["result"]:
        if "events" in c["result"] and "events" in r["result"]:
            mine, theirs = outline(c["result"]), outline(r["result"])
            if mine != theirs:
                parts.append(f"events {mine} vs h11 {theirs}")
            else:
                fields = {
                    key
                    for a, b in zip(c["result"]["events"], r["result"]["events"], strict=True)
                    for key in a
                    if a.get(key) != b.get(key)
                }
                parts.append("event fields " + ",".join(sorted(fields)))
        else:
            parts.append("result " + ",".join(sorted(set(c["result"]) | set(r["result"]))))
    parts += [f"{k}" for k in c["state"] if c["state"][k] != r["state"].get(k)]
    return f"{case['script']['role']} {op}: " + "; ".join(parts)


def show(case: dict[str, Any]) -> str:
    script, first = case["script"], case["first"]
    lines = [f"--- {script['name']} (role {script['role']}, first difference at step {first})"]
    if first < 0:
        lines.append(
            f"  init: candidate {case['candidate']['init']} reference {case['reference']['init']}"
        )
        return "\n".join(lines)
    for i, step in enumerate(script["steps"][: first + 1]):
        c, r = case["candidate"]["steps"][i], case["reference"]["steps"][i]
        mark = "!!" if i == first else "  "
        lines.append(f"{mark} [{i}] {json.dumps(step)}")
        if c == r:
            lines.append(f"       both:      {json.dumps(c)}")
        else:
            lines.append(f"       candidate: {json.dumps(c)}")
            lines.append(f"       reference: {json.dumps(r)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidate", required=True, help="python of the venv under test")
    parser.add_argument("--reference", required=True, help="python of a venv with h11 0.16")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--sweep", type=int, default=400, help="response-sweep conversations added")
    parser.add_argument(
        "--sweep-all",
        action="store_true",
        help="instead: every one-byte mutant of every sweep response, read whole",
    )
    parser.add_argument("--show", type=int, default=3, help="unexpected cases printed in full")
    parser.add_argument("--json", type=Path, help="also write every difference here")
    parser.add_argument(
        "--replay",
        type=Path,
        help="run the scripts of this JSON file (a list of scripts, or a "
        "--json report) instead of generating",
    )
    args = parser.parse_args(argv)

    started = time.monotonic()
    if args.replay:
        loaded = json.loads(args.replay.read_text())
        scripts = [item.get("script", item) for item in loaded]
    elif args.sweep_all:
        scripts = full_response_sweep(args.seed)
    else:
        scripts = generate(args.seed, args.cases, args.sweep)
    try:
        cands, refs = run_both(args.candidate, args.reference, scripts)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2

    steps = identical = equal = 0
    deliberate: Counter[str] = Counter()
    consequences: Counter[str] = Counter()
    unexpected: list[dict[str, Any]] = []
    report: list[dict[str, Any]] = []
    for script, c, r in zip(scripts, cands, refs, strict=True):
        n = len(script["steps"])
        same, eq, first = compare(script, c, r)
        steps += n
        identical += same
        equal += eq
        if first is None:
            continue
        category = classify_first(script, c, r, first)
        differing = n - eq
        case: dict[str, Any] = {
            "script": script,
            "first": first,
            "candidate": c,
            "reference": r,
            "category": category,
        }
        report.append(case)
        if category is None:
            unexpected.append(case)
        else:
            deliberate[category] += 1
            consequences[category] += max(0, differing - 1)

    elapsed = time.monotonic() - started
    print(f"differential: seed={args.seed} candidate={args.candidate} reference={args.reference}")
    print(f"conversations run:        {len(scripts)}")
    print(f"steps compared:           {steps}")
    print(f"  identical:              {identical}")
    print(f"  equal after Data merge: {equal - identical}")
    print(f"  differing:              {steps - equal}")
    print(f"conversations differing:  {len(report)}")
    print(f"  deliberate:             {sum(deliberate.values())}")
    for name, count in sorted(deliberate.items()):
        print(f"    {name:28} {count:5} (+{consequences[name]} later steps)")
    print(f"  unexpected:             {len(unexpected)}")
    print(f"time: {elapsed:.1f}s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    if unexpected:
        kinds = Counter(u["script"]["name"].split(":")[0] for u in unexpected)
        print(f"unexpected by scenario: {dict(kinds)}")
        print("unexpected by what differs first (most common first):")
        for sig, count in Counter(signature(u) for u in unexpected).most_common(25):
            print(f"  {count:5}  {sig}")
        for case in unexpected[: args.show]:
            small = minimise(args.candidate, args.reference, case["script"], case["first"])
            print()
            print(show(case))
            if small is not None and small["script"]["steps"] != case["script"]["steps"]:
                print("  minimised (reads unsplit / truncated), still unexpected:")
                print(show(small))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
