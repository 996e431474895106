"""Helpers for the interop checks: locate tools, start servers as subprocesses."""

from __future__ import annotations

import importlib.util
import os
import selectors
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
INTEROP = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(EXAMPLES))

#: Set by run.py --allow-missing: a missing tool is then a skip, not a failure.
ALLOW_MISSING = os.environ.get("INTEROP_ALLOW_MISSING") == "1"
START_TIMEOUT = 20.0


def missing(what: str, install: str) -> None:
    """Report a missing tool clearly: fail, or skip under --allow-missing."""
    message = f"MISSING {what}: install {install}"
    if ALLOW_MISSING:
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def require_module(name: str, install: str) -> None:
    """Missing is reported as missing; a module that is present but fails to import raises."""
    if importlib.util.find_spec(name) is None:
        missing(name, install)


def require_program(name: str, path: str | None, install: str) -> str:
    found = path if path and os.access(path, os.X_OK) else shutil.which(name)
    if found is None:
        missing(name, install)
    assert found is not None
    return found


class Spawned:
    """A server started as a subprocess whose first stdout line is ``listening on URL``."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT), bufsize=0
        )
        self.url = self._first_line()
        # Drain stderr so a chatty server can never block on a full pipe.
        self._stderr: list[bytes] = []
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    def _first_line(self) -> str:
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT
        line = b""
        try:
            while not line.endswith(b"\n") and time.monotonic() < deadline:
                if selector.select(timeout=max(0.0, deadline - time.monotonic())):
                    byte = self.process.stdout.read(1)
                    if not byte:
                        break
                    line += byte
        finally:
            selector.close()
        text = line.decode().strip()
        if not text.startswith("listening on http://"):
            self.stop()
            raise RuntimeError(f"{self.process.args!r} did not start: first line {text!r}")
        return text[len("listening on ") :]

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    def stop(self) -> int:
        """SIGTERM and a bounded wait; the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if hasattr(self, "_drain"):
            self._drain.join(10)  # stderr reaches EOF once the process has exited
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return self.process.returncode

    def stderr_text(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")
