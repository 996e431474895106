"""`nox -s probe-clients`: the testkit's hostile server against HTTP client libraries.

Runs ``python -m h11_testkit probe-client NAME --json`` for each client, each in a
process of its own: this project's careful `h11_connection` client, `http.client`,
urllib3, requests, aiohttp and httpx on this project's `h11` (this venv), and with
`--reference-python`, httpx on PyPI h11 0.16 (another venv). Prints each report, then
a Markdown table (the one docs/testkit.md shows) with every unsafe case by name.
Unsafe findings in other projects are reported, never failing the run; it exits 1 only
when a client could not be probed (exit status 2) or this project's own client
(`h11_connection`) has an unsafe case.

    python tools/probe/clients.py [--only NAME] [--timeout S] [--json-dir DIR]
                                  [--reference-python PYTHON]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Seconds one whole client run may take (about 40 cases, a few seconds each at worst).
RUN_TIMEOUT = 600


@dataclass
class Client:
    """One client library in one venv."""

    #: Name in the table.
    label: str
    #: The `probe-client` argument.
    name: str
    python: str
    #: Framing done by this project: an unsafe case is our bug.
    ours: bool
    #: Words the report's client label must hold (which h11 it runs on), if any.
    expect: str = ""


def _run(client: Client, timeout: float) -> tuple[int, dict[str, object] | None, str]:
    """Exit status, the JSON report (None when the probe could not run) and what to print."""
    command = [client.python, "-m", "h11_testkit", "probe-client", client.name, "--json"]
    # Each venv's own `import h11` is what is measured: no PYTHONPATH leaks into it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [*command, "--timeout", str(timeout)],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
        env=env,
    )
    if done.returncode == 2 or not done.stdout.strip():
        return 2, None, done.stderr.strip()
    data = json.loads(done.stdout)
    lines = []
    for case in data["cases"]:
        if case["verdict"] in ("unsafe", "lenient", "refused", "timeout"):
            lines.append(f"{case['verdict'].upper()} {case['name']}: {case['reason']}")
            if case["verdict"] == "unsafe":
                lines.append(f"    sent: {case['sent'].encode('latin-1')[:200]!r}")
    summary = data["summary"]
    counts = ", ".join(f"{summary[k]} {k}" for k in summary if k != "cases" and summary[k])
    lines.append(f"{data['client']}: {summary['cases']} cases ({counts})")
    return done.returncode, data, "\n".join(lines)


def _row(client: Client, data: dict[str, object]) -> str:
    summary = data["summary"]
    assert isinstance(summary, dict)
    cases = data["cases"]
    assert isinstance(cases, list)
    unsafe = [c["name"] for c in cases if c["verdict"] == "unsafe"]
    cells = [
        f"{data['client']}",
        *(str(summary[k]) for k in ("cases", "safe", "refused", "lenient", "unsafe", "timeout")),
        ", ".join(f"`{name}`" for name in unsafe) or "-",
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="only this client (repeatable)")
    parser.add_argument("--timeout", type=float, default=3.0, help="the clients' timeout")
    parser.add_argument("--json-dir", type=Path, help="write each report as LABEL.json here")
    parser.add_argument("--reference-python", help="a Python with httpx on PyPI h11 0.16")
    args = parser.parse_args()
    here = sys.executable
    clients = [
        Client("h11_connection", "h11_connection", here, ours=True),
        # httpcore keeps the connection once h11 says both sides are DONE: what it does
        # with bytes left in the Connection is h11's API contract, reported here.
        Client("httpx", "httpx", here, ours=False, expect="this project's h11"),
        Client("http.client", "http.client", here, ours=False),
        Client("urllib3", "urllib3", here, ours=False),
        Client("requests", "requests", here, ours=False),
        Client("aiohttp", "aiohttp", here, ours=False),
    ]
    if args.reference_python:
        clients.append(
            Client("httpx-pypi-h11", "httpx", args.reference_python, ours=False, expect="PyPI h11")
        )
    chosen = [c for c in clients if not args.only or c.label in args.only]
    rows = [
        "| client | cases | safe | refused | lenient | unsafe | timeout | unsafe cases |",
        "|---|---|---|---|---|---|---|---|",
    ]
    failed = False
    for client in chosen:
        print(f"\n=== {client.label} ({client.python})", flush=True)
        status, data, output = _run(client, args.timeout)
        print(output)
        if data is None:
            rows.append(f"| {client.label} | could not be probed: {output} |")
            failed = True
            continue
        if args.json_dir is not None:
            args.json_dir.mkdir(parents=True, exist_ok=True)
            (args.json_dir / f"{client.label}.json").write_text(json.dumps(data, indent=2))
        rows.append(_row(client, data))
        if client.expect not in str(data["client"]):
            failed = True
            rows[-1] += f"  <- expected a client {client.expect!r}"
        if client.ours and status != 0:
            failed = True
            rows[-1] += "  <- our framing: must be 0 unsafe"
    print("\n=== table (docs/testkit.md)\n")
    print("\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
