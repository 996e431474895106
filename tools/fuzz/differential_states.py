"""Replay random call sequences on a client/server pair and print every step's result.

    python tools/fuzz/differential_states.py [--sequences N] [--steps N] [--seed S] > ours.txt
    /path/to/pypi-h11-venv/bin/python tools/fuzz/differential_states.py --pypi > h11.txt
    python tools/fuzz/differential_states.py --compare ours.txt h11.txt

Run once against this repository (default: imports packages/*/src) and once with
``--pypi`` in a venv holding PyPI h11 0.16; the two outputs must be identical except
where h11 crashes (a line with ``crash``: the rest of that sequence is skipped in
both; ``--compare`` does that and exits 1 on a difference). Each line is one call
and what came of it: events read, error type, and both connections' states.
Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent.parent


def _events(h11: Any) -> tuple[list[Any], list[Any]]:
    host = [("Host", "a")]
    client = [
        h11.Request(method="GET", target="/", headers=host),
        h11.Request(method="POST", target="/", headers=[*host, ("Content-Length", "3")]),
        h11.Request(method="POST", target="/", headers=[*host, ("Transfer-Encoding", "chunked")]),
        h11.Request(method="GET", target="/", headers=[*host, ("Connection", "close")]),
        h11.Request(
            method="GET", target="/", headers=[*host, ("Connection", "upgrade"), ("Upgrade", "x")]
        ),
        h11.Request(method="CONNECT", target="a:1", headers=host),
        h11.Request(
            method="PUT",
            target="/",
            headers=[*host, ("Expect", "100-continue"), ("Content-Length", "1")],
        ),
        h11.Request(method="HEAD", target="/", headers=host),
        h11.Data(data=b"x"),
        h11.Data(data=b"abc"),
        h11.EndOfMessage(),
        h11.EndOfMessage(headers=[("T", "v")]),
        h11.ConnectionClosed(),
    ]
    server = [
        h11.InformationalResponse(status_code=100, headers=[]),
        h11.InformationalResponse(status_code=101, headers=[("Upgrade", "x")]),
        h11.Response(status_code=200, headers=[]),
        h11.Response(status_code=200, headers=[("Content-Length", "2")]),
        h11.Response(status_code=204, headers=[]),
        h11.Response(status_code=404, headers=[("Connection", "close")]),
        h11.Response(status_code=200, headers=[("Transfer-Encoding", "chunked")]),
        h11.Data(data=b"x"),
        h11.Data(data=b"ab"),
        h11.EndOfMessage(),
        h11.EndOfMessage(headers=[("T", "v")]),
        h11.ConnectionClosed(),
    ]
    return client, server


def _states(h11: Any, conns: dict[str, Any]) -> str:
    return " ".join(
        f"{side}:{conn.states[h11.CLIENT]}/{conn.states[h11.SERVER]}"
        for side, conn in conns.items()
    )


def run(h11: Any, sequences: int, steps: int, seed: int) -> None:
    client_events, server_events = _events(h11)
    for number in range(sequences):
        rnd = random.Random(seed * 1_000_003 + number)
        conns = {"c": h11.Connection(h11.CLIENT), "s": h11.Connection(h11.SERVER)}
        pending = {"c": b"", "s": b""}
        closed = {"c": False, "s": False}
        done = {"c": False, "s": False}  # EOF delivered or receive error: stop reading
        print(f"# sequence {number}")
        for _ in range(steps):
            action = rnd.choice(["send-c", "send-s", "send-c", "send-s", "deliver", "cycle"])
            sender = rnd.choice(["c", "s"])
            receiver = "s" if sender == "c" else "c"
            pool = client_events if sender == "c" else server_events
            event = rnd.choice(pool)
            amount = rnd.randint(1, 120)
            try:
                if action.startswith("send"):
                    sender = action[-1]
                    event = rnd.choice(client_events if sender == "c" else server_events)
                    label = f"{sender} sends {type(event).__name__}{_args(event)}"
                    data = conns[sender].send(event)
                    if data is None:
                        closed[sender] = True
                    else:
                        pending[sender] += data
                    result = "ok"
                elif action == "deliver":
                    label = f"deliver {amount} from {sender}"
                    result = _deliver(h11, conns, pending, closed, done, sender, receiver, amount)
                else:
                    label = f"{sender} start_next_cycle"
                    conns[sender].start_next_cycle()
                    result = "ok"
            except h11.ProtocolError as exc:
                result = type(exc).__name__
                if isinstance(exc, h11.RemoteProtocolError):
                    done[receiver] = True
            except Exception as exc:  # a crash of the implementation under test
                print(f"{label} -> crash {type(exc).__name__}")
                break
            print(f"{label} -> {result} | {_states(h11, conns)}")


def _args(event: Any) -> str:
    if hasattr(event, "status_code"):
        return f"({event.status_code} {list(event.headers)})"
    if hasattr(event, "method"):
        return f"({event.method!r} {list(event.headers)})"
    if hasattr(event, "data"):
        return f"({bytes(event.data)!r})"
    return ""


def _deliver(
    h11: Any,
    conns: dict[str, Any],
    pending: dict[str, bytes],
    closed: dict[str, bool],
    done: dict[str, bool],
    sender: str,
    receiver: str,
    amount: int,
) -> str:
    if done[receiver]:
        return "skipped"
    conn = conns[receiver]
    piece, pending[sender] = pending[sender][:amount], pending[sender][amount:]
    if piece:
        conn.receive_data(piece)
    elif closed[sender]:
        conn.receive_data(b"")
        done[receiver] = True
    else:
        return "nothing"
    seen = []
    for _ in range(1000):
        event = conn.next_event()
        if event is h11.NEED_DATA or event is h11.PAUSED:
            seen.append("NEED_DATA" if event is h11.NEED_DATA else "PAUSED")
            break
        seen.append(type(event).__name__)
        if type(event) is h11.ConnectionClosed:
            break
    return ",".join(seen)


def compare(ours: Path, theirs: Path) -> int:
    """Compare two outputs sequence by sequence, up to the first crash of either side."""

    def sequences(path: Path) -> list[list[str]]:
        out: list[list[str]] = []
        for line in path.read_text().splitlines():
            if line.startswith("# sequence"):
                out.append([])
            else:
                out[-1].append(line)
        return out

    differences = crashes = 0
    for number, (a, b) in enumerate(zip(sequences(ours), sequences(theirs), strict=True)):
        for line_a, line_b in zip(a, b, strict=False):  # one side may have crashed
            if "-> crash" in line_a or "-> crash" in line_b:
                crashes += 1
                if line_a.split(" -> ")[0] != line_b.split(" -> ")[0]:
                    differences += 1
                break
            if line_a != line_b:
                differences += 1
                print(f"sequence {number}:\n  {line_a}\n  {line_b}")
                break
    print(f"differences={differences} crashes={crashes}")
    return 1 if differences else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pypi", action="store_true", help="use the installed h11")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OURS", "THEIRS"))
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if not args.pypi:
        for name in ("h11-connection", "h11-parser", "h11-events"):
            sys.path.insert(0, str(REPO / "packages" / name / "src"))
    implementation = importlib.import_module("h11" if args.pypi else "h11_connection")
    run(implementation, args.sequences, args.steps, args.seed)


if __name__ == "__main__":
    main()
