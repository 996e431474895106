"""Time-bounded, coverage-guided fuzzing of both parsers and both Connection roles.

    python tools/fuzz/run.py [--seconds N] [--engine auto|atheris|hypothesis] [--any-status]
                             [--target request-parser|response-parser|server|client|all]
    python tools/fuzz/run.py --target T --reproduce FILE   # replay one input, show the failure
    python tools/fuzz/run.py --target T --minimize FILE    # shrink a failing input

The invariants are in ``harness.py``. With atheris (libFuzzer) each target runs
in a child process for its share of ``--seconds``; the grown corpus is kept in
``tools/fuzz/.corpus/`` and crashing inputs go to ``tools/fuzz/crashes/`` (both
gitignored). Without atheris, hypothesis generates mutated seeds and random bytes
in batches until the time is up, with its database in ``tools/fuzz/.hypothesis``;
the shrunk failing input is written to ``crashes/`` as well. Seeds: the attack
corpus of ``h11_testkit.corpus`` (when importable) and ``tools/fuzz/seeds/``.
Prints one summary line per target and a total; exits 1 if anything crashed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SRC_DIRS = [
    REPO / "packages" / name / "src"
    for name in ("h11-events", "h11-parser", "h11-connection", "h11-testkit")
]
CORPUS_DIR = HERE / ".corpus"
CRASH_DIR = HERE / "crashes"
HYPOTHESIS_DIR = HERE / ".hypothesis"
TARGETS = ("request-parser", "response-parser", "server", "client")
#: Which seed kind each target reads.
KIND = {
    "request-parser": "request",
    "server": "request",
    "response-parser": "response",
    "client": "response",
}
#: Instrumented for coverage: the code under test, not the harness or the fuzzer.
INSTRUMENTED = ["h11_events", "h11_parser", "h11_connection"]
MAX_INPUT = 4096


def _use_repo_sources() -> None:
    """Import this checkout's packages (not an installed PyPI h11)."""
    for path in reversed(SRC_DIRS):
        sys.path.insert(0, str(path))
    sys.path.insert(0, str(HERE))


def _load_harness(instrument: bool) -> Any:
    if instrument:
        import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

        with atheris.instrument_imports(include=INSTRUMENTED):
            import h11_connection  # noqa: F401
            import h11_parser  # noqa: F401
    import harness

    return harness


def raw_seeds(kind: str) -> list[bytes]:
    """Seed payloads: the testkit attack corpus plus the shipped seed files."""
    out: list[bytes] = []
    try:
        from h11_testkit import corpus
    except ImportError:
        pass
    else:
        out += [case.data for case in (corpus.REQUESTS if kind == "request" else corpus.RESPONSES)]
    out += [p.read_bytes() for p in sorted((HERE / "seeds" / f"{kind}s").glob("*"))]
    return [s[: MAX_INPUT - 2] for s in out]


def seed_inputs(harness: Any, kind: str) -> list[bytes]:
    """Seeds as fuzz inputs: each payload under a few configurations."""
    configs = (0x00, 0x01, 0x06, 0x0B, 0x2C, 0x95, 0xE2)
    return [
        harness.encode(payload, config_byte=config, split_byte=config)
        for payload in raw_seeds(kind)
        for config in configs
    ]


# -- atheris ---------------------------------------------------------------------------


def atheris_worker(target: str, args: list[str]) -> None:
    """Child process: fuzz one target with libFuzzer arguments ``args``."""
    import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

    harness = _load_harness(instrument=True)
    same_status = os.environ.get("H11_FUZZ_ANY_STATUS") != "1"

    def one_input(data: bytes) -> None:
        harness.check(target, data, same_status=same_status)

    atheris.Setup([sys.argv[0], *args], one_input)
    atheris.Fuzz()


def _write_seed_dir(harness: Any, target: str) -> Path:
    seed_dir = CORPUS_DIR / f"seeds-{KIND[target]}"
    seed_dir.mkdir(parents=True, exist_ok=True)
    for data in seed_inputs(harness, KIND[target]):
        path = seed_dir / hashlib.sha1(data).hexdigest()
        if not path.exists():
            path.write_bytes(data)
    return seed_dir


def atheris_run(target: str, seconds: int) -> tuple[int, float, int]:
    """Fuzz ``target`` in a child for ``seconds``; return (executions, seconds, crashes)."""
    harness = _load_harness(instrument=False)
    work = CORPUS_DIR / target
    work.mkdir(parents=True, exist_ok=True)
    CRASH_DIR.mkdir(exist_ok=True)
    seed_dir = _write_seed_dir(harness, target)
    libfuzzer = [
        f"-max_total_time={seconds}",
        f"-max_len={MAX_INPUT}",
        f"-artifact_prefix={CRASH_DIR}/{target}-",
        "-print_final_stats=1",
        "-timeout=10",
        "-rss_limit_mb=2048",
        str(work),
        str(seed_dir),
    ]
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", target, "--", *libfuzzer],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=seconds + 120,
        check=False,
    )
    elapsed = time.monotonic() - started
    log = proc.stdout + proc.stderr
    runs = re.search(r"stat::number_of_executed_units: (\d+)", log) or re.search(
        r"Done (\d+) runs", log
    )
    executions = int(runs.group(1)) if runs else 0
    crashed = proc.returncode != 0
    if crashed:
        sys.stderr.write(log[-6000:])
        artifact = re.search(r"Test unit written to (\S+)", log)
        if artifact:
            print(
                f"{target}: crashing input {artifact.group(1)}; replay with "
                f"python tools/fuzz/run.py --target {target} --reproduce {artifact.group(1)}"
            )
    return executions, elapsed, int(crashed)


def _failure(harness: Any, target: str, data: bytes) -> str | None:
    """The kind of failure ``data`` causes (exception type, first line), or None."""
    try:
        harness.check(target, data)
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


def minimize(target: str, path: Path, max_checks: int = 20_000) -> int:
    """Delta-debug a failing input: drop ever smaller runs of payload bytes while
    the failure stays the same kind. Engine independent (libFuzzer's own
    minimizer re-executes argv[0], which a Python script is not)."""
    harness = _load_harness(instrument=False)
    data = path.read_bytes()
    kind = _failure(harness, target, data)
    if kind is None:
        print("the input does not fail")
        return 1
    checks = 0
    step = max(1, (len(data) - 2) // 2)
    while step and checks < max_checks:
        index = 2  # the two configuration bytes stay
        while index < len(data) and checks < max_checks:
            candidate = data[:index] + data[index + step :]
            checks += 1
            if _failure(harness, target, candidate) == kind:
                data = candidate
            else:
                index += step
        step //= 2
    out = path.with_name(path.name + ".min")
    out.write_bytes(data)
    print(f"{kind}\nminimized input ({len(data)} bytes): {out}\n{data!r}")
    return 0


# -- hypothesis fallback -----------------------------------------------------------------


def hypothesis_run(target: str, seconds: float, same_status: bool) -> tuple[int, float, int]:
    """Batches of hypothesis examples until ``seconds`` are spent."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from hypothesis.database import DirectoryBasedExampleDatabase

    harness = _load_harness(instrument=False)
    seeds = raw_seeds(KIND[target])
    try:
        from h11_testkit.strategies import mutations
    except ImportError:
        payloads = st.one_of(st.binary(max_size=512), st.sampled_from(seeds))
    else:
        payloads = st.one_of(
            st.binary(max_size=512),
            st.sampled_from(seeds).flatmap(lambda s: mutations(s, max_edits=6)),
        )
    inputs = st.builds(
        harness.encode, payloads, config_byte=st.integers(0, 255), split_byte=st.integers(0, 255)
    )
    executions = 0
    failing: list[bytes] = []

    @settings(
        max_examples=2000,
        deadline=None,
        database=DirectoryBasedExampleDatabase(str(HYPOTHESIS_DIR / target)),
        suppress_health_check=list(HealthCheck),
        phases=[Phase.reuse, Phase.generate, Phase.shrink],
        derandomize=False,
    )
    @given(inputs)
    def fuzz(data: bytes) -> None:
        nonlocal executions
        executions += 1
        try:
            harness.check(target, data, same_status=same_status)
        except BaseException:
            failing.append(data)
            raise

    def batch() -> int:
        """One batch of examples; 1 if it found (and shrank) a failure."""
        try:
            fuzz()
        except Exception:
            traceback.print_exc()
            CRASH_DIR.mkdir(exist_ok=True)
            data = failing[-1]  # the last failing input is the shrunk one
            path = CRASH_DIR / f"{target}-{hashlib.sha1(data).hexdigest()}"
            path.write_bytes(data)
            print(f"{target}: shrunk crashing input {path} = {data!r}")
            return 1
        return 0

    started = time.monotonic()
    crashes = 0
    while not crashes and time.monotonic() - started < seconds:
        crashes = batch()
    return executions, time.monotonic() - started, crashes


# -- command line --------------------------------------------------------------------------


def reproduce(target: str, path: Path) -> int:
    harness = _load_harness(instrument=False)
    data = path.read_bytes()
    config, payload = harness.decode(data)
    print(f"config {config}\npayload {payload!r}")
    outcome = harness.check(target, data)
    print(f"no failure; outcome {outcome}")
    return 0


def main(argv: list[str]) -> int:
    if "--worker" in argv:
        index = argv.index("--worker")
        _use_repo_sources()
        extra = argv[argv.index("--") + 1 :] if "--" in argv else []
        atheris_worker(argv[index + 1], extra)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="total time (default 60)")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    parser.add_argument(
        "--any-status",
        action="store_true",
        help="accept a split-dependent error status (to fuzz past a known issue)",
    )
    parser.add_argument("--reproduce", type=Path, help="replay one input file and exit")
    parser.add_argument("--minimize", type=Path, help="shrink a failing input and exit")
    args = parser.parse_args(argv)
    _use_repo_sources()
    if args.any_status:
        os.environ["H11_FUZZ_ANY_STATUS"] = "1"
    if args.reproduce or args.minimize:
        if args.target == "all":
            parser.error("--reproduce/--minimize need one --target")
        if args.reproduce:
            return reproduce(args.target, args.reproduce)
        return minimize(args.target, args.minimize)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: F401
        except ImportError:
            engine = "hypothesis"
        else:
            engine = "atheris"
    targets = TARGETS if args.target == "all" else (args.target,)
    share = max(1.0, args.seconds / len(targets))
    total_runs, total_seconds, total_crashes = 0, 0.0, 0
    for target in targets:
        if engine == "atheris":
            runs, seconds, crashes = atheris_run(target, max(1, int(share)))
        else:
            runs, seconds, crashes = hypothesis_run(target, share, not args.any_status)
        print(
            f"fuzz {target}: engine={engine} executions={runs} "
            f"seconds={seconds:.1f} crashes={crashes}",
            flush=True,
        )
        total_runs += runs
        total_seconds += seconds
        total_crashes += crashes
    print(
        f"fuzz summary: executions={total_runs} seconds={total_seconds:.1f} crashes={total_crashes}"
    )
    return 1 if total_crashes else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main(sys.argv[1:]))
