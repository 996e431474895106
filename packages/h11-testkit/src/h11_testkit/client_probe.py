"""A hostile server for HTTP clients, and the judge of what a client made of it.

For every case of `h11_testkit.client_corpus`, the client under test makes two requests
through a `fetch(url)` function of yours (sync or async, returning ``(status, body)`` or
raising): the first gets the case's hostile response, the second a plain one. The
`HostileServer` on 127.0.0.1 records which connection each request arrived on, so the
verdict rests on what the server saw as well as on what `fetch` returned:

- whether the client sent a request on a connection it had to close (after ambiguous
  framing, `Connection: close`, an HTTP/1.0 answer, an unrequested 101);
- what it did with bytes left after a response: taking them as the answer to the next
  request is response-queue poisoning (RFC 9112 6.3), unsafe whatever else it did.

From Python::

    report = probe_client(fetch)        # fetch(url) -> (status, body), or async
    print(report.render())
    assert not report.unsafe

From pytest, one test per case (fixtures from the testkit's plugin)::

    @pytest.mark.parametrize("case", h11_client_cases())
    def test_my_client(case, h11_client_probe):
        result = h11_client_probe(my_fetch, case)
        assert result.verdict is not ClientVerdict.UNSAFE, result.explain()
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import inspect
import socket
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from h11_testkit._report import family_table
from h11_testkit.client_corpus import CASES, HOLD_SECONDS, SMUGGLED_BODY, Answer, ClientCase
from h11_testkit.server import LoopbackServer, _shutdown

__all__ = [
    "DEFAULT_TIMEOUT",
    "Arrival",
    "ClientCaseResult",
    "ClientReport",
    "ClientVerdict",
    "HostileServer",
    "Outcome",
    "h11_client_cases",
    "judge",
    "next_body",
    "probe_client",
    "probe_client_case",
    "select_client_cases",
]

#: Seconds the client is expected to give one request (its own timeout should be this).
DEFAULT_TIMEOUT = 3.0
#: Bound on a request head the hostile server reads (the clients send small GETs).
_MAX_REQUEST_HEAD = 65536
#: Seconds for the close of a case's connections to reach the client before the next case.
_SETTLE_SECONDS = 0.05
#: Seconds an idle kept-alive connection stays open on the hostile server.
_IDLE_SECONDS = 30.0

#: `fetch(url)` or `fetch(url, method=...)`: ``(status, body)``, or an awaitable of it.
Fetch = Callable[..., Any]


class ClientVerdict(str, enum.Enum):
    """How a client handled one hostile response.

    ``SAFE``: what a strict client does (or another outcome the RFC allows).
    ``REFUSED``: refused a response a strict client reads (stricter: safe, but servers
    send it). ``LENIENT``: accepted a response a strict client refuses, framing not at
    stake. ``UNSAFE``: framed a response otherwise than a strict client, took leftover
    bytes for the next answer, or reused a connection it had to close. ``TIMEOUT``: did
    not finish in time (for ``endless_head``: waited until the server gave up).
    ``ERROR``: the request never reached the server. ``SKIPPED``: not run (reason given).
    """

    SAFE = "safe"
    REFUSED = "refused"
    LENIENT = "lenient"
    UNSAFE = "unsafe"
    TIMEOUT = "timeout"
    ERROR = "error"
    SKIPPED = "skipped"


# --- the hostile server ---------------------------------------------------------------------


@dataclass
class Arrival:
    """One request the hostile server read."""

    connection: int
    #: Position on its connection (0: the first request on it).
    index: int
    method: str
    target: str
    #: The case whose response made this connection one to close, if any.
    poisoned_by: str | None = None


def next_body(name: str) -> bytes:
    """The body of the plain answer to a case's second request."""
    return b"next:" + name.encode()


def _plain(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


class HostileServer(LoopbackServer):
    """Serves the client corpus on 127.0.0.1 in its own threads until `stop()`.

    ``GET /<case>/first`` gets the case's hostile response, sent as the case says;
    ``GET /<case>/next`` a plain 200 whose body is ``next:<case>``. Every request is
    recorded in `arrivals` with its connection, so reuse shows. ``with HostileServer()
    as server:`` starts and stops it; `stop()` joins every thread it started.

    :param timeout: keyword only: the client's timeout in seconds; the ``endless_head``
        case trickles for 1.5 times as long before the server gives up.
    :param cases: keyword only: the cases it serves, by name (default: `CASES`); a case
        of your own joins them when `probe_client_case` runs it.
    """

    def __init__(
        self, *, timeout: float = DEFAULT_TIMEOUT, cases: Iterable[ClientCase] | None = None
    ) -> None:
        super().__init__(timeout=timeout)
        self.cases = {case.name: case for case in (CASES if cases is None else cases)}
        self.arrivals: list[Arrival] = []
        #: Each open connection's number (the order the serving threads started).
        self._numbers: dict[socket.socket, int] = {}

    def url_for(self, case: ClientCase, step: str = "first") -> str:
        """The URL of a case's first (hostile) or ``next`` (plain) request."""
        return f"{self.url}/{case.name}/{step}"

    def cut(self, case: ClientCase) -> None:
        """Close every connection that served `case` (a client stuck on one is freed, and
        the next case starts without connections this one may have left queued bytes on)."""
        with self._lock:
            ids = {a.connection for a in self.arrivals if _case_of(a.target) == case.name}
            doomed = [s for s, number in self._numbers.items() if number in ids]
        for sock in doomed:
            _shutdown(sock)

    def arrivals_for(self, case: ClientCase) -> list[Arrival]:
        """The requests of `case`, and those sent on a connection it should have ended."""
        with self._lock:
            return [
                a
                for a in self.arrivals
                if _case_of(a.target) == case.name or a.poisoned_by == case.name
            ]

    def _serve_connection(self, sock: socket.socket) -> None:
        with self._lock:
            connection = self._numbers[sock] = len(self._numbers) + 1
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = bytearray()
        poisoned: str | None = None
        wait = _IDLE_SECONDS
        try:
            for index in range(10_000):
                head = self._read_head(sock, buffer, wait)
                if head is None:
                    break
                method, target = head
                with self._lock:
                    self.arrivals.append(Arrival(connection, index, method, target, poisoned))
                case = self.cases.get(_case_of(target))
                if case is None or not target.endswith("/first"):
                    name = case.name if case is not None else "unknown"
                    sock.sendall(_plain(next_body(name)))
                    continue
                self._send(sock, case)
                if case.after == "close":
                    break
                if case.must_not_reuse:
                    poisoned = case.name
                wait = HOLD_SECONDS if case.after == "hold" else _IDLE_SECONDS
        except OSError:
            pass
        finally:
            self._finish(sock)

    def _finish(self, sock: socket.socket) -> None:
        """Close gently: EOF first, then drain briefly, so the client sees EOF, not a reset."""
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(0.5)
            while sock.recv(65536):
                pass
        except OSError:
            pass
        with self._lock:
            self._sockets.discard(sock)
        sock.close()

    def _read_head(
        self, sock: socket.socket, buffer: bytearray, wait: float
    ) -> tuple[str, str] | None:
        """(method, target) of the next request head, or None on EOF, timeout or stop."""
        deadline = time.monotonic() + wait
        while b"\r\n\r\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._stopping.is_set() or len(buffer) > _MAX_REQUEST_HEAD:
                return None
            sock.settimeout(min(remaining, 0.2))
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                return None
            buffer += chunk
        end = buffer.index(b"\r\n\r\n") + 4
        head = bytes(buffer[:end])
        del buffer[:end]
        words = head.split(b"\r\n", 1)[0].split(b" ")
        method = words[0].decode("latin-1")
        target = words[1].decode("latin-1") if len(words) > 1 else ""
        return method, target

    def _send(self, sock: socket.socket, case: ClientCase) -> None:
        pieces = case.pieces()
        for number, piece in enumerate(pieces):
            if number and case.pause and self._stopping.wait(case.pause):
                return
            sock.sendall(piece)
        if case.trickle:
            give_up = time.monotonic() + 1.5 * self.timeout
            while time.monotonic() < give_up and not self._stopping.wait(case.pause):
                sock.sendall(b"a")


def _case_of(target: str) -> str:
    return target.lstrip("/").split("/", 1)[0]


# --- running a fetch --------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one call of `fetch` gave: an answer, or the error it raised, or nothing in time."""

    answer: Answer | None = None
    error: str | None = None
    timed_out: bool = False
    elapsed: float = 0.0

    def __str__(self) -> str:
        if self.timed_out:
            return f"no result after {self.elapsed:.1f} s"
        if self.answer is None:
            return f"error: {self.error}"
        return str(self.answer)


def _as_answer(result: Any) -> Answer:
    """``(status, body)`` from what `fetch` returned."""
    if isinstance(result, Answer):
        return result
    if isinstance(result, tuple) and len(result) == 2:
        status, body = result
        return Answer(int(status), bytes(body))
    raise TypeError(f"fetch must return (status, body), not {type(result).__name__}")


class _Caller:
    """Calls `fetch` with a hard time limit; an async fetch runs on one loop for the run.

    A pooled async client (an aiohttp session) is bound to its loop, so every call
    of the run goes to the same loop, in a thread of its own.
    """

    def __init__(self, fetch: Fetch, close: Callable[[], Any] | None = None) -> None:
        self.fetch = fetch
        self.close_client = close
        self.takes_method = _takes_method(fetch)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        if inspect.iscoroutinefunction(fetch) or (
            close is not None and inspect.iscoroutinefunction(close)
        ):
            self._start_loop()

    def _start_loop(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def call(self, url: str, method: str, limit: float) -> Outcome:
        started = time.monotonic()
        done: Future[tuple[bool, Any]] = Future()
        kwargs = {"method": method} if method != "GET" else {}

        def run() -> None:
            # The client's own errors are data (TimeoutError included, which is also
            # what `done.result` raises when *we* give up): they travel as a result.
            try:
                result = self.fetch(url, **kwargs)
                if inspect.isawaitable(result):
                    result = self._await(result, limit)
                done.set_result((True, result))
            except BaseException as exc:
                done.set_result((False, exc))

        threading.Thread(target=run, daemon=True).start()
        try:
            ok, result = done.result(limit)
        except FutureTimeout:
            return Outcome(timed_out=True, elapsed=time.monotonic() - started)
        elapsed = time.monotonic() - started
        if not ok:
            text = f"{type(result).__name__}: {result}".strip()
            return Outcome(error=text[:300], elapsed=elapsed)
        try:
            answer = _as_answer(result)
        except (TypeError, ValueError) as exc:
            return Outcome(error=str(exc), elapsed=elapsed)
        return Outcome(answer=answer, elapsed=elapsed)

    def _await(self, awaitable: Awaitable[Any], limit: float) -> Any:
        if self.loop is None:
            self._start_loop()
        assert self.loop is not None

        async def wrapped() -> Any:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result(limit)

    def finish(self) -> None:
        """Close the client (if given a `close`) and stop the loop."""
        if self.close_client is not None:
            try:
                result = self.close_client()
                if inspect.isawaitable(result) and self.loop is not None:

                    async def wrapped() -> Any:
                        return await result

                    asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result(5)
            except Exception:
                pass
        if self.loop is not None and self.thread is not None:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
            if not self.thread.is_alive():
                self.loop.close()


def _takes_method(fetch: Fetch) -> bool:
    try:
        parameters = inspect.signature(fetch).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "method" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


# --- judging ----------------------------------------------------------------------------------


@dataclass
class ClientCaseResult:
    """The verdict on one case, with what the client returned and what the server saw.

    :param case: the hostile response (``case.response`` are its bytes).
    :param verdict: how the client handled it (a `ClientVerdict`).
    :param reason: why that verdict, in words.
    :param first: what `fetch` gave for the hostile response (None when skipped).
    :param next: what `fetch` gave for the plain request after it.
    :param arrivals: the requests the server saw for this case.
    """

    case: ClientCase
    verdict: ClientVerdict
    reason: str
    first: Outcome | None = None
    next: Outcome | None = None
    arrivals: list[Arrival] = field(default_factory=list)

    @property
    def families(self) -> tuple[str, ...]:
        """The report's families of the case (its tags)."""
        return self.case.tags or ("basic",)

    @property
    def unsafe(self) -> bool:
        """Whether the verdict is `ClientVerdict.UNSAFE`."""
        return self.verdict is ClientVerdict.UNSAFE

    def connection_story(self) -> str:
        """Which connection the requests after the hostile response arrived on, in words."""
        first = [a for a in self.arrivals if a.target.endswith("/first")]
        if not first:
            return "the first request never arrived"
        home, since = first[0].connection, first[0].index
        after = [a for a in self.arrivals if a.connection == home and a.index > since]
        if any(a.target.endswith("/next") for a in after):
            return "the next request came on the same connection"
        if not any(a.target.endswith("/next") for a in self.arrivals):
            return "the next request never arrived"
        if after:
            later = after[0].target
            return f"the next request came on a new connection, a later one ({later}) on this"
        return "the next request came on a new connection"

    def explain(self) -> str:
        """Several lines for a failing test or the report: verdict, why, sent, returned."""
        lines = [f"{self.case.name}: {self.verdict.value.upper()}: {self.reason}"]
        lines.append(f"  case:     {self.case.description}")
        sent = _show(self.case.response)
        if self.case.trickle:
            sent += " then one byte at a time"
        lines.append(f"  sent:     {sent} ({self.case.after})")
        if self.first is not None:
            lines.append(f"  returned: {self.first}; next request: {self.next}")
            lines.append(f"  server:   {self.connection_story()}")
        return "\n".join(lines)


def _show(data: bytes, limit: int = 300) -> str:
    text = repr(data[:limit])
    return text + (f" ... ({len(data)} bytes)" if len(data) > limit else "")


def judge(
    case: ClientCase,
    first: Outcome,
    following: Outcome,
    arrivals: Sequence[Arrival],
    *,
    timeout: float,
) -> tuple[ClientVerdict, str]:
    """The verdict on one case and a sentence saying why.

    :param case: the hostile response.
    :param first: what `fetch` gave for it.
    :param following: what `fetch` gave for the plain request after it.
    :param arrivals: what the server saw (`HostileServer.arrivals_for`).
    :param timeout: keyword only: the client's own timeout in seconds.
    """
    firsts = [a for a in arrivals if _case_of(a.target) == case.name and "first" in a.target]
    if not firsts:
        if first.answer is not None:
            return ClientVerdict.UNSAFE, (
                f"returned {first.answer} for a request that never reached the server: it "
                "took bytes queued from an earlier response as the answer"
            )
        return ClientVerdict.ERROR, f"the request never reached the server ({first})"
    home = firsts[0]
    later = [a for a in arrivals if a.connection == home.connection and a.index > home.index]
    if first.timed_out:
        return ClientVerdict.TIMEOUT, f"no result within {first.elapsed:.1f} s"
    if case.trickle:
        if first.answer is None and first.elapsed <= 1.25 * timeout:
            return ClientVerdict.SAFE, f"gave up after {first.elapsed:.1f} s ({first.error})"
        return ClientVerdict.TIMEOUT, (
            f"still waiting after {first.elapsed:.1f} s, until the server gave up: no overall "
            "timeout, so a server trickling bytes holds the client as long as it likes"
        )
    if case.must_not_reuse and later:
        return ClientVerdict.UNSAFE, (
            "sent its next request on the connection it had to close after this response"
        )
    expected = Answer(200, next_body(case.name))
    if following.answer is not None and following.answer != expected:
        got = following.answer
        where = " (the bytes left after the response)" if got.body == SMUGGLED_BODY else ""
        return ClientVerdict.UNSAFE, (
            f"answered its next request with {got} instead of {expected}{where}: it took "
            "bytes no request asked for as a response (response-queue poisoning)"
        )
    note = ""
    if later and case.name.startswith(("leftover", "body_on")):
        note = "; reused the connection and dropped the leftover bytes"
    verdict, why = _judge_answer(case, first, note)
    if following.timed_out and verdict is not ClientVerdict.UNSAFE:
        return ClientVerdict.TIMEOUT, (
            f"{why}; but its next request got no result within {following.elapsed:.1f} s"
        )
    return verdict, why


def _judge_answer(case: ClientCase, first: Outcome, note: str) -> tuple[ClientVerdict, str]:
    """The verdict on what the client made of the hostile response itself."""
    if first.answer is None:
        if case.strict is None:
            return ClientVerdict.SAFE, f"refused it, as a strict client does ({first.error})"
        return ClientVerdict.REFUSED, (
            f"refused a response a strict client reads as {case.strict} ({first.error})"
        )
    if case.is_safe(first.answer):
        return ClientVerdict.SAFE, f"read {first.answer}, as a strict client may{note}"
    if case.strict is None and not case.framing:
        return ClientVerdict.LENIENT, (
            f"read {first.answer} where a strict client refuses the response{note}"
        )
    if case.strict is None:
        return ClientVerdict.UNSAFE, (
            f"read {first.answer} where a strict client refuses the response: its framing "
            "is disputed, so the client and a strict peer disagree on where it ends"
        )
    what = f"read {first.answer} where a strict client reads {case.strict}"
    if not case.framing:
        return ClientVerdict.LENIENT, f"{what} (where it ends is not at stake)"
    return ClientVerdict.UNSAFE, f"{what}: it framed the response otherwise"


def skip_reason(case: ClientCase, takes_method: bool) -> str | None:
    """Why `case` cannot run with a fetch, or None."""
    if case.method != "GET" and not takes_method:
        return f"a {case.method} case: fetch takes no `method` keyword"
    return None


def probe_client_case(
    fetch: Fetch,
    case: ClientCase,
    *,
    server: HostileServer,
    timeout: float = DEFAULT_TIMEOUT,
    caller: _Caller | None = None,
) -> ClientCaseResult:
    """Run one case: two requests through `fetch` against `server`, then the verdict.

    :param fetch: ``fetch(url)`` (or ``fetch(url, method=...)``) returning
        ``(status, body)``, sync or async; it raises when the client refuses a response.
    :param case: a `ClientCase` of `h11_testkit.client_corpus.CASES`.
    :param server: keyword only: a running `HostileServer`.
    :param timeout: keyword only: the client's own timeout in seconds (3.0 by default);
        a call taking more than twice as long is a timeout.
    """
    own = caller is None
    runner = caller if caller is not None else _Caller(fetch)
    server.cases[case.name] = case
    try:
        reason = skip_reason(case, runner.takes_method)
        if reason is not None:
            return ClientCaseResult(case, ClientVerdict.SKIPPED, reason)
        limit = 2 * timeout + 2
        first = runner.call(server.url_for(case), case.method, limit)
        if first.timed_out:
            server.cut(case)
        following = runner.call(server.url_for(case, "next"), "GET", limit)
        arrivals = server.arrivals_for(case)
        verdict, why = judge(case, first, following, arrivals, timeout=timeout)
        # Each case starts clean: a connection a client kept with bytes still queued on
        # it would otherwise hand the next case an answer meant for this one.
        server.cut(case)
        time.sleep(_SETTLE_SECONDS)
        return ClientCaseResult(case, verdict, why, first, following, arrivals)
    finally:
        if own:
            runner.finish()


# --- the whole corpus -------------------------------------------------------------------------


def select_client_cases(
    *, names: Iterable[str] | None = None, only_families: Iterable[str] | None = None
) -> list[ClientCase]:
    """The cases to run: all, or those named, or those in the given families.

    :raises ValueError: a name that is no case.
    """
    chosen = list(CASES)
    if names is not None:
        wanted = set(names)
        unknown = wanted - {case.name for case in chosen}
        if unknown:
            raise ValueError(f"no client case named {', '.join(sorted(unknown))}")
        chosen = [case for case in chosen if case.name in wanted]
    if only_families is not None:
        families = set(only_families)
        chosen = [case for case in chosen if families & set(case.tags or ("basic",))]
    return chosen


@dataclass
class ClientReport:
    """Every case's result for one client, in corpus order (made by `probe_client`).

    ``render()`` is the report people read, ``to_json()`` the one for machines.

    :param client: the client's name, as the report shows it.
    :param results: one `ClientCaseResult` per case, in corpus order.
    :param elapsed: seconds the whole run took.
    :param timeout: the client's timeout the run assumed.
    """

    client: str
    results: list[ClientCaseResult] = field(default_factory=list)
    elapsed: float = 0.0
    timeout: float = DEFAULT_TIMEOUT

    @property
    def unsafe(self) -> list[ClientCaseResult]:
        """The results whose verdict is `ClientVerdict.UNSAFE`."""
        return [r for r in self.results if r.verdict is ClientVerdict.UNSAFE]

    def with_verdict(self, verdict: ClientVerdict) -> list[ClientCaseResult]:
        """The results with `verdict`, in corpus order."""
        return [r for r in self.results if r.verdict is verdict]

    def counts(self) -> Counter[ClientVerdict]:
        """How many results have each verdict."""
        return Counter(r.verdict for r in self.results)

    def by_family(self) -> dict[str, Counter[ClientVerdict]]:
        """Verdict counts per family (a case counts under each of its families)."""
        table: dict[str, Counter[ClientVerdict]] = {}
        for result in self.results:
            for family in result.families:
                table.setdefault(family, Counter())[result.verdict] += 1
        return table

    def unjudged_reason(self) -> str | None:
        """Why the run judged nothing (no request reached the server), or None."""
        counts = self.counts()
        judged = [
            v
            for v in (ClientVerdict.SAFE, ClientVerdict.REFUSED, ClientVerdict.LENIENT)
            if counts[v]
        ]
        if judged or counts[ClientVerdict.UNSAFE]:
            return None
        errors = self.with_verdict(ClientVerdict.ERROR)
        example = f"; first: {errors[0].reason}" if errors else ""
        shown = ", ".join(f"{counts[v]} {v.value}" for v in ClientVerdict if counts[v])
        return f"no case of {self.client} could be judged ({shown or 'no cases'}){example}"

    @property
    def exit_status(self) -> int:
        """1 when a case is unsafe, 2 when nothing could be judged, else 0."""
        if self.unsafe:
            return 1
        return 2 if self.unjudged_reason() is not None else 0

    def summary_line(self) -> str:
        """One line: the counts by verdict and the time taken."""
        counts = self.counts()
        shown = [
            f"{counts[v]} {v.value}"
            for v in ClientVerdict
            if v is not ClientVerdict.UNSAFE and counts[v]
        ]
        return (
            f"{self.client}: {len(self.results)} cases, {counts[ClientVerdict.UNSAFE]} unsafe"
            f" ({', '.join(shown)}) in {self.elapsed:.1f} s"
        )

    def render(self) -> str:
        """Table by family, then every unsafe case in full, then the others worth a look."""
        columns: list[ClientVerdict] = [v for v in ClientVerdict if v is not ClientVerdict.ERROR]
        if self.counts()[ClientVerdict.ERROR]:
            columns.append(ClientVerdict.ERROR)
        lines = [
            f"h11-testkit probe-client of {self.client}: {len(self.results)} hostile responses,"
            f" client timeout {self.timeout:g} s",
            "",
            *family_table(self.by_family(), len(self.results), self.counts(), columns),
        ]
        if self.unsafe:
            lines += ["", f"UNSAFE ({len(self.unsafe)}):", ""]
            for result in self.unsafe:
                lines += [result.explain(), ""]
        for verdict, title in (
            (ClientVerdict.LENIENT, "accepted responses a strict client refuses"),
            (ClientVerdict.REFUSED, "refused responses a strict client reads"),
            (ClientVerdict.TIMEOUT, "no result in time"),
            (ClientVerdict.ERROR, "never reached the server"),
            (ClientVerdict.SKIPPED, "not run"),
        ):
            chosen = self.with_verdict(verdict)
            if chosen:
                lines += ["", f"{verdict.value} ({len(chosen)}): {title}"]
                lines += [f"  {r.case.name}: {r.reason}" for r in chosen]
        lines += ["", self.summary_line()]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """Everything in the report as JSON-ready data (bytes as latin-1 strings)."""
        counts = self.counts()

        def outcome(o: Outcome | None) -> dict[str, Any] | None:
            if o is None:
                return None
            answer = o.answer
            return {
                "status": answer.status if answer else None,
                "body": answer.body.decode("latin-1") if answer else None,
                "error": o.error,
                "timed_out": o.timed_out,
                "elapsed": round(o.elapsed, 3),
            }

        return {
            "client": self.client,
            "timeout": self.timeout,
            "elapsed": round(self.elapsed, 3),
            "summary": {"cases": len(self.results), **{v.value: counts[v] for v in ClientVerdict}},
            "families": {
                family: {"cases": sum(c.values()), **{v.value: c[v] for v in ClientVerdict}}
                for family, c in self.by_family().items()
            },
            "cases": [
                {
                    "name": r.case.name,
                    "families": list(r.families),
                    "verdict": r.verdict.value,
                    "reason": r.reason,
                    "sent": r.case.response.decode("latin-1"),
                    "strict": None if r.case.strict is None else str(r.case.strict),
                    "first": outcome(r.first),
                    "next": outcome(r.next),
                    "server": r.connection_story() if r.first is not None else None,
                }
                for r in self.results
            ],
            "exit_status": self.exit_status,
        }


def probe_client(
    fetch: Fetch,
    *,
    cases: Sequence[ClientCase] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    name: str = "fetch",
    close: Callable[[], Any] | None = None,
    on_result: Callable[[ClientCaseResult], None] | None = None,
) -> ClientReport:
    """Run every case (or `cases`) through `fetch` against a fresh `HostileServer`.

    :param fetch: ``fetch(url)`` or ``fetch(url, method=...)`` returning ``(status, body)``
        (or an awaitable of it), raising when the client refuses a response. Keep its
        client (pool) between calls: connection reuse is what is judged.
    :param cases: keyword only: the cases to run (default: all of `CASES`).
    :param timeout: keyword only: the client's own timeout, in seconds (3.0 by default).
    :param name: keyword only: the client's name in the report.
    :param close: keyword only: called (or awaited) once at the end to close the client.
    :param on_result: keyword only: called with each result as it is judged.
    """
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    chosen = list(CASES if cases is None else cases)
    caller = _Caller(fetch, close)
    started = time.monotonic()
    results = []
    try:
        with HostileServer(timeout=timeout) as server:
            for case in chosen:
                result = probe_client_case(
                    fetch, case, server=server, timeout=timeout, caller=caller
                )
                results.append(result)
                if on_result is not None:
                    on_result(result)
            # Requests sent later on a connection an earlier case should have ended count
            # against that case: judge again with everything the server saw.
            for index, result in enumerate(results):
                if result.first is None or result.next is None:
                    continue
                arrivals = server.arrivals_for(result.case)
                verdict, why = judge(
                    result.case, result.first, result.next, arrivals, timeout=timeout
                )
                results[index] = ClientCaseResult(
                    result.case, verdict, why, result.first, result.next, arrivals
                )
    finally:
        caller.finish()
    return ClientReport(name, results, time.monotonic() - started, timeout)


def h11_client_cases(*, only_families: Iterable[str] | None = None) -> list[Any]:
    """`pytest.param`s of the client cases (ids are their names) for ``parametrize``."""
    import pytest

    return [
        pytest.param(case, id=case.name)
        for case in select_client_cases(only_families=only_families)
    ]


# --- the command ----------------------------------------------------------------------------


def command(args: argparse.Namespace, emit: Callable[[Any], None]) -> int:
    """Run ``probe-client`` with parsed `args`; `emit` prints the report."""
    import sys

    from h11_testkit._client_libraries import load_client

    try:
        if args.timeout <= 0:
            raise ValueError("--timeout must be positive")
        cases = select_client_cases(names=args.case, only_families=args.family)
        fetch, close, label = load_client(args.client, args.timeout)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = probe_client(fetch, cases=cases, timeout=args.timeout, name=label, close=close)
    why = report.unjudged_reason()
    if why is not None and not report.unsafe:
        print(f"error: {why}", file=sys.stderr)
        return 2
    emit(report.to_json() if args.json else report.render())
    return report.exit_status
