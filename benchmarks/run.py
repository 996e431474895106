"""Compare this project's `h11` with PyPI's h11 0.16 on the same workloads (issue #7).

    python benchmarks/run.py --candidate VENV1/bin/python --reference VENV2/bin/python \
        [--also NAME=VENV3/bin/python ...] \
        [--rounds N] [--quick] [--json results.json] [--check] [--only NAME,...]

One long-lived worker (workloads.py) runs in each venv; the runner asks them for
measurements in alternating order, round after round, so drift of the machine
(thermal, other load) hits both alike, then keeps the best round of each side.
Each ``--also`` build (e.g. the compiled build, h11-mypyc) is measured in the same
workload rounds and reported side by side as its ratio to the reference.
Timings never fail the run: the exit status is 1 only if a workload crashed or
produced wrong events, and with --check 2 if a target was missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKER = HERE / "workloads.py"


@dataclass(frozen=True)
class Workload:
    name: str  # as known to workloads.py
    label: str
    op: str  # what one operation is, for ops/s
    target: float  # minimum candidate/reference ratio


WORKLOADS = [
    Workload("basic_cycle", "1 basic cycle (GET, 200 + 13 B)", "request/response cycle", 3.0),
    Workload("browser_get", "2 server: 13-field GET -> 204", "request/response cycle", 3.0),
    Workload("pipelined_100", "3 server: 100 pipelined GETs", "batch of 100 requests", 3.0),
    Workload("chunked_1000x100", "4 client: 1000 x 100 B chunks", "chunked response", 3.0),
    Workload("body_8mib", "5 client: 8 MiB in 64 KiB reads", "8 MiB response", 2.0),
    Workload("head_40_bytewise", "6 server: 40-field head, 1 B/read", "request head", 2.5),
    Workload("server_write", "7 server writes 10-field resp", "response written", 2.5),
]


@dataclass(frozen=True)
class Scaling:
    name: str
    label: str
    unit: str
    sizes: tuple[int, ...]


SCALINGS = [
    Scaling("scale_head_bytewise", "head byte by byte", "header field", (100, 400, 1600)),
    Scaling("scale_one_byte_chunks", "1-byte chunks, one read", "chunk", (1000, 10000, 100000)),
]
#: A slope ratio (time per unit at the largest size / at the smallest) up to this is linear.
LINEAR_LIMIT = 2.0
#: How much worse than the reference's slope ratio the candidate's may be (noise allowance).
SLOPE_TOLERANCE = 1.25

MEMORY_KINDS = [
    ("idle", "idle server Connection"),
    ("after_request", "after one request (DONE)"),
    ("after_cycle", "after one cycle (next cycle)"),
]
SECTIONS = ("scaling", "memory", "plugin")

#: Operations per callgrind count (--callgrind): each workload's count is taken twice, after
#: the same warm-up, with 1 and with 1 + N operations; the difference / N is one operation.
CALLGRIND_OPS = {
    "basic_cycle": 400,
    "browser_get": 400,
    "pipelined_100": 8,
    "chunked_1000x100": 8,
    "body_8mib": 4,
    "head_40_bytewise": 8,
    "server_write": 400,
}
#: Counted beside a workload and taken from its count: work it does outside its timed part.
CALLGRIND_UNTIMED = {"server_write": "server_ready"}


class WorkerError(Exception):
    """The worker process died, hung or spoke nonsense."""


class Worker:
    """One workloads.py process in a venv, answering JSON commands line by line."""

    def __init__(self, role: str, python: str, timeout: float) -> None:
        self.role = role
        self.timeout = timeout
        self.dead: str | None = None
        self.process = subprocess.Popen(
            [python, "-I", str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def ask(self, **command: Any) -> dict[str, Any]:
        """Send one command and wait (bounded) for its answer."""
        if self.dead is not None:
            raise WorkerError(self.dead)
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(command) + "\n")
            self.process.stdin.flush()
            line = self.lines.get(timeout=self.timeout)
        except queue.Empty:
            self._kill(f"{self.role} worker: no answer within {self.timeout:g} s to {command}")
            raise WorkerError(self.dead) from None
        except OSError as exc:
            self._kill(f"{self.role} worker: {exc}")
            raise WorkerError(self.dead) from exc
        if line is None:
            self._kill(f"{self.role} worker exited (status {self.process.wait(10)})")
            raise WorkerError(self.dead)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _kill(self, reason: str) -> None:
        self.dead = reason
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def close(self) -> None:
        if self.dead is None and self.process.poll() is None:
            try:
                self.ask(cmd="quit")
            except WorkerError:
                pass
        if self.process.poll() is None:
            self._kill("closed")
        self.process.wait(10)


@dataclass
class Series:
    """The rounds of one measurement on one side."""

    values: list[float] = field(default_factory=list)
    error: str | None = None
    unavailable: str | None = None
    stats: dict[str, float] = field(default_factory=dict)

    def spread(self) -> float:
        """(max - min) / median over the rounds: how noisy this series was."""
        if len(self.values) < 2:
            return 0.0
        return (max(self.values) - min(self.values)) / statistics.median(self.values)


class Runner:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.quick: bool = args.quick
        self.rounds: int = args.rounds or (2 if self.quick else 5)
        self.scale_rounds = 1 if self.quick else min(self.rounds, 3)
        self.min_time = 0.05 if self.quick else 0.2
        self.memory_count = 300 if self.quick else 2000
        self.clock: str = args.clock
        self.only: set[str] | None = set(args.only.split(",")) if args.only else None
        #: One ratio every workload must reach, instead of each workload's own (--target-ratio).
        self.target_ratio: float | None = args.target_ratio
        self.failures: list[str] = []
        self.missed: list[str] = []
        self.started = time.monotonic()
        #: Further builds measured in the workload rounds only (--also NAME=PYTHON).
        self.also: list[str] = [name for name, _ in args.also]
        self.workers = {
            "candidate": Worker("candidate", args.candidate, args.timeout),
            **{name: Worker(name, python, args.timeout) for name, python in args.also},
            "reference": Worker("reference", args.reference, args.timeout),
        }

    def wanted(self, name: str) -> bool:
        return self.only is None or name in self.only

    def progress(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {text}", file=sys.stderr, flush=True)

    def order(self, round_index: int, sides: list[str] | None = None) -> list[str]:
        """Each side first in turn: with two, candidate in even rounds, reference in odd."""
        sides = sides or ["candidate", "reference"]
        first = round_index % len(sides)
        return sides[first:] + sides[:first]

    def measure(self, series: Series, side: str, **command: Any) -> None:
        """One measurement into `series` (ops/s); failures are recorded, never raised."""
        if series.error is not None or series.unavailable is not None:
            return
        try:
            answer = self.workers[side].ask(**command)
        except WorkerError as exc:
            series.error = str(exc)
            return
        if answer.get("ok"):
            if "bytes" in answer:
                series.values.append(float(answer["bytes"]))
            else:
                series.values.append(answer["ops"] / answer["seconds"])
            series.stats = answer.get("stats", {})
        elif "unavailable" in answer:
            series.unavailable = answer["unavailable"]
        else:
            series.error = answer.get("error", "unknown error")
            print(f"{side} {command}: {answer.get('traceback', '')}", file=sys.stderr)

    def fail(self, where: str, side: str, series: Series) -> None:
        self.failures.append(f"{where} [{side}]: {series.error}")

    # ------------------------------------------------------------------ sections

    def info(self) -> dict[str, Any]:
        infos = {}
        for side, worker in self.workers.items():
            answer = worker.ask(cmd="info")
            if not answer.get("ok"):
                raise WorkerError(f"{side}: {answer}")
            infos[side] = answer
        for name in self.also:
            if infos[name]["python"] != infos["reference"]["python"]:
                print(f"WARNING: {name} runs another Python than the reference", file=sys.stderr)
        cand, ref = infos["candidate"], infos["reference"]
        if cand["python"] != ref["python"] or cand["implementation"] != ref["implementation"]:
            print(
                f"WARNING: different interpreters ({cand['python']} vs {ref['python']}): "
                "ratios mix library and interpreter speed",
                file=sys.stderr,
            )
        if os.path.realpath(cand["h11_file"]) == os.path.realpath(ref["h11_file"]):
            print(
                "WARNING: both sides import the same h11: ratios show only noise", file=sys.stderr
            )
        return infos

    def run_workloads(self) -> list[dict[str, Any]]:
        chosen = [w for w in WORKLOADS if self.wanted(w.name)]
        every_side = ["candidate", *self.also, "reference"]
        results = {w.name: {side: Series() for side in every_side} for w in chosen}
        for index in range(self.rounds):
            self.progress(f"workloads: round {index + 1}/{self.rounds}")
            for workload in chosen:
                for side in self.order(index, every_side):
                    self.measure(
                        results[workload.name][side],
                        side,
                        cmd="bench",
                        name=workload.name,
                        min_time=self.min_time,
                        clock=self.clock,
                    )
        rows = []
        for workload in chosen:
            sides = results[workload.name]
            target = workload.target if self.target_ratio is None else self.target_ratio
            row: dict[str, Any] = {
                "name": workload.name,
                "label": workload.label,
                "op": workload.op,
                "target": target,
            }
            for side, series in sides.items():
                if series.error is not None:
                    self.fail(workload.label, side, series)
                row[side] = _summary(series, best=max)
            cand, ref = row["candidate"], row["reference"]
            row["also"] = {}
            for name in self.also:
                other = row.pop(name)
                if other["best"] is not None and ref["best"] is not None:
                    other["ratio"] = other["best"] / ref["best"]
                else:
                    other["ratio"] = None
                row["also"][name] = other
            if cand["best"] is not None and ref["best"] is not None:
                row["ratio"] = cand["best"] / ref["best"]
                row["ratio_of_medians"] = cand["median"] / ref["median"]
                row["met"] = row["ratio"] >= target
                if not row["met"]:
                    self.missed.append(workload.label)
            else:
                row["ratio"] = row["met"] = None
            row["noise"] = max(s.spread() for s in sides.values())
            rows.append(row)
        return rows

    def run_scaling(self) -> list[dict[str, Any]]:
        rows = []
        for scaling in SCALINGS:
            series = {
                (side, size): Series()
                for side in ("candidate", "reference")
                for size in scaling.sizes
            }
            for index in range(self.scale_rounds):
                self.progress(f"scaling {scaling.name}: round {index + 1}/{self.scale_rounds}")
                for size in scaling.sizes:
                    for side in self.order(index):
                        self.measure(
                            series[side, size],
                            side,
                            cmd="bench",
                            name=scaling.name,
                            size=size,
                            min_time=self.min_time,
                            clock=self.clock,
                        )
            row: dict[str, Any] = {"name": scaling.name, "label": scaling.label}
            row["unit"] = scaling.unit
            row["failed"] = any(one.error is not None for one in series.values())
            for side in ("candidate", "reference"):
                per_unit: dict[int, float] = {}
                for size in scaling.sizes:
                    one = series[side, size]
                    if one.error is not None:
                        self.fail(f"{scaling.label} ({size})", side, one)
                    elif one.values:
                        per_unit[size] = 1.0 / max(one.values) / size
                slope = None
                if len(per_unit) == len(scaling.sizes):
                    slope = per_unit[scaling.sizes[-1]] / per_unit[scaling.sizes[0]]
                row[side] = {
                    "seconds_per_unit": {str(k): v for k, v in per_unit.items()},
                    "slope_ratio": slope,
                    "noise": max(series[side, size].spread() for size in scaling.sizes),
                }
            cand_slope = row["candidate"]["slope_ratio"]
            ref_slope = row["reference"]["slope_ratio"]
            if cand_slope is not None and ref_slope is not None:
                row["met"] = (
                    cand_slope <= LINEAR_LIMIT
                    and cand_slope <= max(ref_slope, 1.0) * SLOPE_TOLERANCE
                )
                if not row["met"]:
                    self.missed.append(f"scaling {scaling.label}")
            else:
                row["met"] = None
            rows.append(row)
        return rows

    def run_memory(self) -> list[dict[str, Any]]:
        self.progress("memory")
        rows = []
        for kind, label in MEMORY_KINDS:
            row: dict[str, Any] = {"name": kind, "label": label, "count": self.memory_count}
            for side in ("candidate", "reference"):
                one = Series()
                self.measure(one, side, cmd="memory", kind=kind, count=self.memory_count)
                if one.error is not None:
                    self.fail(f"memory {label}", side, one)
                row[side] = one.values[0] if one.values else None
            if row["candidate"] is not None and row["reference"] is not None:
                row["ratio"] = row["candidate"] / row["reference"]
                row["met"] = round(row["candidate"]) <= round(row["reference"])
                if not row["met"]:
                    self.missed.append(f"memory {label}")
            else:
                row["ratio"] = row["met"] = None
            rows.append(row)
        return rows

    def run_plugin(self, has_hookimpl: bool) -> dict[str, Any]:
        if not has_hookimpl:
            return {"available": False, "reason": "h11.hookimpl is missing in the candidate"}
        without, with_plugin = Series(), Series()
        for index in range(self.rounds):
            self.progress(f"plugin overhead: round {index + 1}/{self.rounds}")
            pair = [("basic_cycle", without), ("basic_cycle_plugin", with_plugin)]
            for name, series in pair if index % 2 == 0 else pair[::-1]:
                self.measure(
                    series,
                    "candidate",
                    cmd="bench",
                    name=name,
                    min_time=self.min_time,
                    clock=self.clock,
                )
        if with_plugin.unavailable is not None:
            return {"available": False, "reason": with_plugin.unavailable}
        for label, series in (("without plugin", without), ("with plugin", with_plugin)):
            if series.error is not None:
                self.fail(f"plugin overhead, {label}", "candidate", series)
        result: dict[str, Any] = {
            "available": True,
            "without": _summary(without, best=max),
            "with": _summary(with_plugin, best=max),
            "stats": with_plugin.stats,
        }
        dispatch = with_plugin.stats.get("dispatch_calls_per_op", 0.0)
        if without.values and with_plugin.values:
            extra = 1.0 / max(with_plugin.values) - 1.0 / max(without.values)
            result["overhead_per_cycle_us"] = extra * 1e6
            result["slowdown"] = max(without.values) / max(with_plugin.values) - 1.0
            if dispatch > 0:
                result["overhead_per_event_us"] = extra * 1e6 / dispatch
            else:
                self.failures.append("plugin overhead [candidate]: the plugin was never called")
        return result

    def run_callgrind(self, rows: list[dict[str, Any]]) -> None:
        """Instructions per operation of each side (callgrind), into each workload's row."""
        pythons = {"candidate": self.args.candidate, **dict(self.args.also)}
        pythons["reference"] = self.args.reference
        for row in rows:
            ops = CALLGRIND_OPS[row["name"]]
            row["instructions"] = {}
            for side, python in pythons.items():
                self.progress(f"callgrind: {row['name']} [{side}]")
                try:
                    count = instructions_per_op(python, row["name"], ops)
                    untimed = CALLGRIND_UNTIMED.get(row["name"])
                    if untimed is not None:
                        count -= instructions_per_op(python, untimed, ops)
                except WorkerError as exc:
                    self.failures.append(f"callgrind {row['label']} [{side}]: {exc}")
                    count = None
                row["instructions"][side] = count

    def run(self) -> dict[str, Any]:
        infos = self.info()
        report: dict[str, Any] = {
            "machine": machine(),
            "valgrind": valgrind_version() if self.args.callgrind else None,
            "candidate_name": self.args.candidate_name,
            "candidate": infos["candidate"],
            "reference": infos["reference"],
            "also": {name: infos[name] for name in self.also},
            "config": {
                "rounds": self.rounds,
                "scale_rounds": self.scale_rounds,
                "min_time": self.min_time,
                "clock": self.clock,
                "memory_count": self.memory_count,
                "quick": self.quick,
                "statistic": "best round (max ops/s, min time)",
            },
        }
        report["workloads"] = self.run_workloads()
        if self.args.callgrind:
            self.run_callgrind(report["workloads"])
        if self.wanted("scaling"):
            report["scaling"] = self.run_scaling()
        if self.wanted("memory"):
            report["memory"] = self.run_memory()
        if self.wanted("plugin"):
            report["plugin"] = self.run_plugin(bool(infos["candidate"]["has_hookimpl"]))
        report["failures"] = self.failures
        report["missed_targets"] = self.missed
        report["elapsed_s"] = time.monotonic() - self.started
        return report

    def close(self) -> None:
        for worker in self.workers.values():
            worker.close()


def _summary(series: Series, best: Any) -> dict[str, Any]:
    return {
        "rounds": series.values,
        "best": best(series.values) if series.values else None,
        "median": statistics.median(series.values) if series.values else None,
        "error": series.error,
    }


#: The environment of a counted run: no PYTHON* variable but a fixed hash seed, so both
#: runs of a count start up alike (``-I`` would ignore the seed: str hashes would vary).
_FIXED_HASH_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
    "PYTHONHASHSEED": "0",
}


def _instructions(python: str, name: str, warm_up: int, ops: int) -> int:
    """Instructions callgrind counts for one run of ``workloads.py --ops`` (whole process)."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        python,
        "-s",
        str(WORKER),
        "--ops",
        name,
        str(warm_up),
        str(ops),
    ]
    try:
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=1800, env=_FIXED_HASH_ENV
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WorkerError(f"valgrind: {exc}") from exc
    found = [line for line in proc.stderr.splitlines() if "Collected :" in line]
    if proc.returncode != 0 or not found:
        raise WorkerError(f"valgrind exited {proc.returncode}: {proc.stderr[-1000:]}")
    return int(found[-1].rsplit(":", 1)[1].strip())


def instructions_per_op(python: str, name: str, ops: int) -> float:
    """Instructions of one operation: two counts with the same warm-up, ``ops`` apart."""
    warm_up = max(1, ops // 4)
    # Once outside valgrind first: writes any missing byte-code cache, which would otherwise
    # be compiled in the first counted run only.
    subprocess.run(
        [python, "-s", str(WORKER), "--ops", name, "1", "1"],
        capture_output=True,
        env=_FIXED_HASH_ENV,
        check=False,
    )
    few = _instructions(python, name, warm_up, 1)
    many = _instructions(python, name, warm_up, 1 + ops)
    return (many - few) / ops


def valgrind_version() -> str:
    proc = subprocess.run(["valgrind", "--version"], capture_output=True, text=True)
    return proc.stdout.strip() or "valgrind"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Hardware", "Processor") and value.strip():
                cpu = value.strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform()}


# ---------------------------------------------------------------------- printing


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _met(value: bool | None, error: bool = False) -> str:
    if error:
        return "FAILED"
    return "-" if value is None else ("yes" if value else "NO")


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for index, row in enumerate([header, *rows]):
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render(report: dict[str, Any]) -> str:
    out = []
    m, cand, ref = report["machine"], report["candidate"], report["reference"]
    cfg = report["config"]
    out.append(f"machine: {m['cpu']} ({m['cores']} cores), {m['platform']}")
    out.append(
        f"candidate: Python {cand['python']}, h11 {cand['h11_version']} ({cand['h11_file']})"
    )
    out.append(f"reference: Python {ref['python']}, h11 {ref['h11_version']} ({ref['h11_file']})")
    out.append(
        f"rounds: {cfg['rounds']} (scaling {cfg['scale_rounds']}), >= {cfg['min_time']} s "
        f"{cfg['clock']} time each; "
        "best round per side; noise = (max - min) / median over rounds, worse side"
    )
    out.append("")
    rows = []
    for row in report["workloads"]:
        failed = row["candidate"]["error"] is not None or row["reference"]["error"] is not None
        ratio = row["ratio"]
        rows.append(
            [
                row["label"],
                _num(row["candidate"]["best"]),
                _num(row["reference"]["best"]),
                "-" if ratio is None else f"{ratio:.2f}x",
                f">= {row['target']:g}x",
                _met(row["met"], failed),
                f"{row['noise'] * 100:.0f}%",
            ]
        )
    header = ["workload", "candidate ops/s", "reference ops/s", "ratio", "target", "met?", "noise"]
    out.append(_table(header, rows))
    if report.get("also"):
        out.append("")
        out.extend(_side_by_side(report))
    if any("instructions" in row for row in report["workloads"]):
        out.append("")
        out.extend(_instruction_table(report))
    for row in report.get("scaling", []):
        out.append("")
        out.append(f"scaling: {row['label']} (time per {row['unit']})")
        cand_units, ref_units = row["candidate"], row["reference"]
        lines = []
        for size in cand_units["seconds_per_unit"] | ref_units["seconds_per_unit"]:
            c = cand_units["seconds_per_unit"].get(size)
            r = ref_units["seconds_per_unit"].get(size)
            lines.append(
                [
                    f"{int(size):,}",
                    "-" if c is None else f"{c * 1e6:.3f} us",
                    "-" if r is None else f"{r * 1e6:.3f} us",
                    "-" if c is None or r is None else f"{r / c:.2f}x",
                ]
            )
        cs, rs = cand_units["slope_ratio"], ref_units["slope_ratio"]
        lines.append(
            [
                "slope large/small",
                "-" if cs is None else f"{cs:.2f}",
                "-" if rs is None else f"{rs:.2f}",
                f"met? {_met(row['met'], row['failed'])}",
            ]
        )
        out.append(_table(["size", "candidate", "reference", "speed ratio"], lines))
    if report.get("scaling"):
        out.append(
            f"  (target: slope <= {LINEAR_LIMIT:g}, i.e. linear, "
            f"and <= {SLOPE_TOLERANCE:g} x max(h11's slope, 1))"
        )
    if "memory" in report:
        out.append("")
        lines = []
        for row in report["memory"]:
            ratio = row["ratio"]
            lines.append(
                [
                    row["label"],
                    _num(row["candidate"]),
                    _num(row["reference"]),
                    "-" if ratio is None else f"{ratio:.2f}x",
                    "<= h11",
                    _met(row["met"], row["candidate"] is None or row["reference"] is None),
                ]
            )
        header = ["memory (tracemalloc)", "candidate B", "reference B", "ratio", "target", "met?"]
        out.append(_table(header, lines))
    plugin = report.get("plugin")
    if plugin is not None:
        out.append("")
        if not plugin["available"]:
            out.append(f"plugin overhead: not available ({plugin['reason']})")
        elif "overhead_per_event_us" in plugin:
            stats = plugin["stats"]
            out.append(
                "plugin overhead (candidate, basic cycle, one observer on both hooks): "
                f"{plugin['overhead_per_event_us']:.2f} us per event "
                f"({plugin['overhead_per_cycle_us']:.1f} us per cycle, "
                f"{plugin['slowdown'] * 100:.0f}% slower; "
                f"{_num(plugin['without']['best'])} -> {_num(plugin['with']['best'])} cycles/s; "
                f"{stats.get('dispatch_calls_per_op', 0):.0f} dispatch and "
                f"{stats.get('validate_calls_per_op', 0):.0f} validate calls per cycle)"
            )
        else:
            out.append("plugin overhead: FAILED (see failures)")
    out.append("")
    out.append(f"total time: {report['elapsed_s']:.0f} s")
    out.extend(f"FAILED: {failure}" for failure in report["failures"])
    return "\n".join(out)


def _side_by_side(report: dict[str, Any]) -> list[str]:
    """Every build's ratio to the reference, workload by workload (same rounds)."""
    names = list(report["also"])
    out = [
        f"{name}: Python {info['python']}, h11 {info['h11_version']} ({info['h11_file']})"
        for name, info in report["also"].items()
    ]
    out.append("side by side, ratio to the reference (best rounds of the same run):")
    rows = []
    for row in report["workloads"]:
        cells = [row["label"], _num(row["reference"]["best"])]
        ratios = [row["ratio"], *(row["also"][name]["ratio"] for name in names)]
        cells += ["-" if ratio is None else f"{ratio:.2f}x" for ratio in ratios]
        rows.append(cells)
    out.append(_table(["workload", "reference ops/s", "candidate", *names], rows))
    return out


def _instruction_table(report: dict[str, Any]) -> list[str]:
    """Instructions per operation of each side, and the reference's count over each build's."""
    sides = ["candidate", *report["also"]]
    rows = []
    for row in report["workloads"]:
        counts = row.get("instructions", {})
        ref = counts.get("reference")
        cells = [row["label"], _num(ref)]
        for side in sides:
            count = counts.get(side)
            ratio = "-" if not count or ref is None else f"{ref / count:.2f}x"
            cells.append(f"{_num(count)} ({ratio})")
        rows.append(cells)
    header = ["instructions per operation", "reference", *sides]
    return [
        f"callgrind ({report['valgrind']}): instructions per operation, and the reference's"
        " count over each build's (above 1: fewer instructions than the reference)",
        _table(header, rows),
    ]


def _k(count: float | None) -> str:
    if count is None:
        return "-"
    return f"{count / 1000:,.1f}k" if count < 100_000 else f"{count / 1e6:,.2f}M"


def render_markdown(report: dict[str, Any]) -> str:
    """The README's performance table: every build against the reference, in time and
    (with --callgrind) in instructions, under the machine and Python it came from."""
    m, ref = report["machine"], report["reference"]
    names = {"candidate": report["candidate_name"], **{n: n for n in report["also"]}}
    cfg = report["config"]
    with_counts = any("instructions" in row for row in report["workloads"])
    out = [
        f"CPU: {m['cpu']} ({m['cores']} cores); Python {ref['python']}; reference: PyPI h11"
        f" {ref['h11_version']}; times: best of {cfg['rounds']} rounds of {cfg['clock']} time"
        + (f"; instructions: {report['valgrind']}" if with_counts else ""),
        "",
    ]
    header = ["workload (one operation)", "h11 ops/s"]
    header += [f"{name} (time)" for name in names.values()]
    if with_counts:
        header += ["h11 instructions"]
        header += [f"{name} (instructions)" for name in names.values()]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|")
    for row in report["workloads"]:
        ratios = {"candidate": row["ratio"], **{n: row["also"][n]["ratio"] for n in row["also"]}}
        cells = [row["label"], _num(row["reference"]["best"])]
        cells += ["-" if ratios[s] is None else f"{ratios[s]:.2f}x" for s in names]
        if with_counts:
            counts = row.get("instructions", {})
            reference = counts.get("reference")
            cells.append(_k(reference))
            for side in names:
                count = counts.get(side)
                if not count or reference is None:
                    cells.append("-")
                else:
                    cells.append(f"{reference / count:.2f}x ({_k(count)})")
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def _also(text: str) -> tuple[str, str]:
    name, sep, python = text.partition("=")
    if not sep or not name or not python or name in ("candidate", "reference"):
        raise argparse.ArgumentTypeError(f"expected NAME=PYTHON, not {text!r}")
    return name, python


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidate", required=True, help="python of the venv with our h11")
    parser.add_argument("--reference", required=True, help="python of the venv with PyPI h11")
    parser.add_argument(
        "--also",
        type=_also,
        action="append",
        default=[],
        metavar="NAME=PYTHON",
        help="another build, measured in the same workload rounds (repeatable)",
    )
    parser.add_argument("--rounds", type=int, help="rounds per workload (default 5, quick 2)")
    parser.add_argument("--quick", action="store_true", help="short run (under 30 s)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--check", action="store_true", help="exit 2 if a target is missed")
    parser.add_argument(
        "--only",
        help="comma-separated workload names and/or sections (" + ", ".join(SECTIONS) + ")",
    )
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="time measurements by the worker thread's CPU time (default) or wall time",
    )
    parser.add_argument(
        "--target-ratio",
        type=float,
        help="one target ratio for every workload (e.g. 1 against h11-mypyc: beat it)",
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="max seconds per answer")
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="also count instructions per operation of each workload and side (valgrind)",
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the workloads as the README's performance table (Markdown)",
    )
    parser.add_argument(
        "--candidate-name", default="candidate", help="the candidate's name in --markdown"
    )
    args = parser.parse_args(argv)
    if args.callgrind and shutil.which("valgrind") is None:
        parser.error("--callgrind needs valgrind on PATH (Debian: apt-get install valgrind)")
    if args.rounds is not None and not 1 <= args.rounds <= 100:
        parser.error("--rounds must be between 1 and 100")
    known = {w.name for w in WORKLOADS} | set(SECTIONS)
    if args.only and not set(args.only.split(",")) <= known:
        parser.error(f"--only takes names from: {', '.join(sorted(known))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runner = Runner(args)
    try:
        report = runner.run()
    except WorkerError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        runner.close()
    print(render(report))
    if args.markdown:
        print()
        print(render_markdown(report))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    if report["failures"]:
        return 1
    if args.check and report["missed_targets"]:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
