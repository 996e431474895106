"""The probe's report: a table by family for people, and the same facts as JSON for machines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from h11_testkit._verdict import Expectation, Verdict

if TYPE_CHECKING:
    from h11_testkit.probe import CaseResult, ProbeReport

#: Table columns, in order (ERROR only appears when a case could not connect).
COLUMNS = (
    Verdict.SERVED,
    Verdict.REJECTED,
    Verdict.LENIENT,
    Verdict.UNSAFE,
    Verdict.TIMEOUT,
    Verdict.SKIPPED,
)


def summary_line(report: ProbeReport) -> str:
    """One line, e.g. `http://127.0.0.1:8000: 125 cases, 0 unsafe (51 served, ...)`."""
    counts = report.counts()
    shown = [
        f"{counts[v]} {v.value}"
        for v in (*COLUMNS, Verdict.ERROR)
        if v is not Verdict.UNSAFE and counts[v]
    ]
    return (
        f"{report.url}: {len(report.results)} cases, {counts[Verdict.UNSAFE]} unsafe"
        f" ({', '.join(shown)}) in {report.elapsed:.1f} s"
    )


def render(report: ProbeReport) -> str:
    """Table by family, then each unsafe case in full, then the other cases worth a look."""
    columns = list(COLUMNS)
    if report.counts()[Verdict.ERROR]:
        columns.append(Verdict.ERROR)
    lines = [
        f"h11-testkit probe of {report.url}: {len(report.results)} request cases,"
        f" timeout {report.timeout:g} s per case, head limit {report.head_limit} bytes",
        "",
        *family_table(report.by_family(), len(report.results), report.counts(), columns),
    ]
    unsafe = report.unsafe
    if unsafe:
        lines += [
            "",
            f"UNSAFE ({len(unsafe)}): the server framed these differently from a strict server",
            "",
        ]
        for result in unsafe:
            lines += [result.explain(), ""]
    for verdict, title in (
        (Verdict.LENIENT, "served although a strict server rejects them (framing not at stake)"),
        (Verdict.TIMEOUT, "no answer and no close within the timeout"),
        (Verdict.ERROR, "could not be sent"),
        (Verdict.SKIPPED, "not sent"),
    ):
        chosen = report.with_verdict(verdict)
        if chosen:
            lines += ["", f"{verdict.value} ({len(chosen)}): {title}"]
            lines += [f"  {_one_line(result)}" for result in chosen]
    lingering = [
        r.case.name
        for r in report.results
        if r.observation is not None
        and r.observation.timed_out
        and r.verdict in (Verdict.SERVED, Verdict.REJECTED)
    ]
    if lingering:
        lines += [
            "",
            f"note: in {len(lingering)} cases the server kept the connection open after the"
            f" client's EOF until the {report.timeout:g} s timeout (answered in full, so not"
            " judged on it)",
        ]
    lines += ["", summary_line(report)]
    return "\n".join(lines)


def family_table(
    table: Mapping[str, Counter[Any]], total: int, counts: Counter[Any], columns: Sequence[Any]
) -> list[str]:
    """The lines of a verdict table: one row per family, then the total.

    Shared by the server probe and the client probe; `columns` are verdict enum members.
    """
    width = max([len("family"), len("total"), *map(len, table)])
    header = f"{'family':<{width}}  {'cases':>5}" + "".join(f"  {v.value:>8}" for v in columns)

    def row(name: str, cases: int, found: Counter[Any]) -> str:
        cells = "".join(f"  {found[v] or '.':>8}" for v in columns)
        return f"{name:<{width}}  {cases:>5}{cells}"

    rule = "-" * len(header)
    lines = [header, rule]
    lines += [row(family, sum(found.values()), found) for family, found in table.items()]
    lines += [rule, row("total", total, counts)]
    lines.append("(a case counts under each of its families; the total counts it once)")
    return lines


def _one_line(result: CaseResult) -> str:
    seen = result.observation
    described = seen.describe() if seen is not None else result.reason
    answered = f" [{described}]" if described != result.reason else ""
    return f"{result.case.name}: {result.reason}{answered}"


def _result_json(result: CaseResult) -> dict[str, Any]:
    seen = result.observation
    expect = Expectation.of(result.case)
    entry: dict[str, Any] = {
        "name": result.case.name,
        "families": list(result.families),
        "tags": list(result.case.tags),
        "verdict": result.verdict.value,
        "reason": result.reason,
        "sent": result.case.data.decode("latin-1"),
        "strict": {
            "serves": expect.served,
            "then_rejects_with": expect.error,
            "must_close": expect.must_close,
            "switches_protocol": expect.switches,
        },
        "elapsed": round(result.elapsed, 4),
    }
    if seen is not None:
        entry["answered"] = {
            "responses": [
                {
                    "status": r.status,
                    "reason": r.reason.decode("latin-1"),
                    "http_version": r.http_version.decode("latin-1"),
                    "complete": r.complete,
                    "keep_alive": r.keep_alive,
                }
                for r in seen.responses
            ],
            "closed": seen.closed,
            "timed_out": seen.timed_out,
            "switched": seen.switched,
            "parse_error": seen.parse_error,
            "connect_error": seen.connect_error,
            "received": seen.raw.decode("latin-1"),
        }
    return entry


def to_json(report: ProbeReport) -> dict[str, Any]:
    """Everything in the report as JSON-ready data (bytes as latin-1 strings)."""
    counts = report.counts()
    return {
        "url": report.url,
        "timeout": report.timeout,
        "head_limit": report.head_limit,
        "elapsed": round(report.elapsed, 3),
        "summary": {"cases": len(report.results), **{v.value: counts[v] for v in Verdict}},
        "families": {
            family: {"cases": sum(c.values()), **{v.value: c[v] for v in Verdict}}
            for family, c in report.by_family().items()
        },
        "cases": [_result_json(result) for result in report.results],
        "exit_status": report.exit_status,
    }
