"""Probe a live HTTP/1.1 server with the attack corpus and judge it from the server's side.

Every request case of `h11_testkit.corpus` goes to the server over its own TCP
connection: the case's bytes exactly as they are, then EOF (a write shutdown), then
everything the server answers is read until it closes or the case's timeout. What came
back is parsed as HTTP/1.1 responses and judged against the outcome a strict RFC 9112
server gives (`h11_testkit._verdict`). Only the host and port of the URL are ever
contacted; nothing is followed.

From Python::

    report = probe("http://127.0.0.1:8000")
    print(report.render())
    assert not report.unsafe

From pytest (a server fixture of your own gives the URL)::

    @pytest.mark.parametrize("case", h11_probe_cases())
    def test_framing(my_server_url, case, h11_probe):
        result = h11_probe(my_server_url, case)
        assert result.verdict is not Verdict.UNSAFE, result.explain()
"""

from __future__ import annotations

import asyncio
import functools
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import h11_connection
from h11_connection import CLIENT, DONE, MUST_CLOSE, Connection
from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    InformationalResponse,
    ProtocolError,
    Request,
    Response,
)

from h11_testkit import corpus
from h11_testkit._families import families, family_sort_key
from h11_testkit._verdict import Observation, ObservedResponse, Verdict, judge

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_HEAD_LIMIT",
    "DEFAULT_TIMEOUT",
    "CaseResult",
    "ProbeReport",
    "Verdict",
    "h11_probe_cases",
    "parse_url",
    "probe",
    "probe_async",
    "probe_case",
    "probe_case_async",
    "select_cases",
    "unreachable",
]

#: Seconds one case may take: connect, send, and read until the server closes.
DEFAULT_TIMEOUT = 3.0
#: Cases in flight at once.
DEFAULT_CONCURRENCY = 8
#: The head limit the server is assumed to have (h11's default `max_incomplete_event_size`,
#: also uvicorn's and hypercorn's): cases written for another limit are skipped.
DEFAULT_HEAD_LIMIT = 16384
#: Bytes read from the server per case at most: a server that streams forever is cut off.
MAX_RESPONSE_BYTES = 1 << 20
#: Bound on parser events per case (no loop is unbounded, whatever the server sends).
_MAX_EVENTS = 100_000


def parse_url(url: str) -> tuple[str, int]:
    """(host, port) of `http://host[:port][/...]` or `host:port`; https is refused.

    :param url: the server to probe; the port defaults to 80, a path is ignored.
    :raises ValueError: not an ``http://`` URL, or no host in it.
    """
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise ValueError(f"only http:// URLs can be probed (the corpus is cleartext), not {url!r}")
    if not parts.hostname:
        raise ValueError(f"no host in {url!r}")
    return parts.hostname, parts.port or 80


# --- one case ---------------------------------------------------------------------------


@dataclass
class CaseResult:
    """The verdict on one case, with what was sent and what the server answered.

    Made by `probe_case`, `probe_case_async` and the `probe` functions.

    :param case: the corpus case that was sent (``case.data`` are its bytes).
    :param verdict: how the server handled it (a `Verdict`).
    :param reason: why that verdict, in words.
    :param observation: the server's answer, parsed (None when the case was skipped).
    :param elapsed: seconds the case took.
    """

    case: corpus.Case
    verdict: Verdict
    reason: str
    #: None when the case was skipped.
    observation: Observation | None = None
    elapsed: float = 0.0

    @property
    def families(self) -> tuple[str, ...]:
        """The report's families of the case (from its corpus tags)."""
        return families(self.case.tags)

    @property
    def unsafe(self) -> bool:
        """Whether the verdict is `Verdict.UNSAFE`."""
        return self.verdict is Verdict.UNSAFE

    def explain(self) -> str:
        """Several lines for a failing test or the report: verdict, why, sent, answered."""
        lines = [f"{self.case.name}: {self.verdict.value.upper()}: {self.reason}"]
        lines.append(f"  case:     {self.case.description}")
        lines.append(f"  sent:     {_show(self.case.data)} then EOF")
        if self.observation is not None:
            lines.append(f"  answered: {self.observation.describe()}")
            if self.observation.raw:
                lines.append(f"  received: {_show(self.observation.raw)}")
        return "\n".join(lines)


def _show(data: bytes, limit: int = 300) -> str:
    text = repr(data[:limit])
    return text + (f" ... ({len(data)} bytes)" if len(data) > limit else "")


def unreachable(url: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """Why nothing can connect to `url`, in one line, or None when a connection opens.

    The command asks this once before the run, so a typo or a server that is not up
    yields one line instead of a report of one connection error per case.

    :param url: the server, ``http://host[:port]`` (see `parse_url`).
    :param timeout: seconds to wait for the connection (3.0 by default).
    :raises ValueError: a URL that is not ``http://``.
    """
    host, port = parse_url(url)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        return f"cannot connect to {host}:{port}: {type(exc).__name__}: {exc}"
    return None


def skip_reason(case: corpus.Case, head_limit: int = DEFAULT_HEAD_LIMIT) -> str | None:
    """Why `case` cannot be judged against a server with `head_limit`, or None.

    :param case: a request case of the corpus.
    :param head_limit: the server's limit on a request head, in bytes (16384 by default,
        h11's); cases written for another limit cannot be judged.
    """
    if case.kind != "request":
        return "a response case (the probe sends requests)"
    if case.max_head_size != head_limit:
        return (
            f"written for a {case.max_head_size}-byte head limit; the server's is taken to be "
            f"{head_limit} (--head-limit)"
        )
    return None


def _requests_of(case: corpus.Case) -> list[tuple[bytes, list[tuple[bytes, bytes]]]]:
    """Method and upgrade headers of each request a strict server sees, to parse the replies.

    A client Connection only accepts a 101 after proposing an upgrade and only reads a
    CONNECT reply as a tunnel after sending CONNECT, so the parser plays the same requests.
    """
    found = []
    for event in case.expected.events:
        if event[0] == "request":
            extra = [(n, v) for n, v in event[4] if n in (b"connection", b"upgrade")]
            found.append((bytes(event[1]), extra))
    if not found:
        # A strict server sees no request, but a lenient one may answer the first: read
        # that answer as one to the method the bytes start with (HEAD and CONNECT matter).
        words = case.data.lstrip(b"\r\n").split(b" ", 1)
        if len(words) == 2 and words[0].upper() in (b"HEAD", b"CONNECT"):
            found.append((words[0].upper(), []))
    return found


def parse_responses(raw: bytes, case: corpus.Case, *, eof: bool) -> Observation:
    """The HTTP/1.1 responses in `raw` (what the server sent for `case`), parsed with h11.

    :param raw: every byte the server sent.
    :param case: the case that was sent (its requests tell how to parse the answers:
        a response to HEAD has no body, a 101 or a 2xx to CONNECT switches protocols).
    :param eof: keyword only: whether the server closed the connection after `raw`.
    """
    seen = Observation(raw=raw, closed=eof)
    plays = _requests_of(case)
    conn = Connection(CLIENT)

    def play(client: Connection, index: int) -> None:
        method, extra = plays[index] if index < len(plays) else (b"GET", [])
        target = b"a:443" if method == b"CONNECT" else b"/"
        client.send(Request(method=method, target=target, headers=[(b"host", b"a"), *extra]))
        client.send(EndOfMessage())

    if raw:
        play(conn, 0)  # with nothing received, EOF is a clean close, not a missing response
    current: ObservedResponse | None = None
    try:
        conn.receive_data(raw)
        if eof:
            conn.receive_data(b"")
        for _ in range(_MAX_EVENTS):
            event = conn.next_event()
            if event is NEED_DATA:
                break
            if event is PAUSED:
                seen.switched = True
                if current is not None:
                    current.complete = True
                break
            if isinstance(event, InformationalResponse):
                if event.status_code == 101:
                    current = _observed(event, keep_alive=False)
                    seen.responses.append(current)
                continue
            if isinstance(event, Response):
                current = _observed(event, keep_alive=_keeps_alive(event))
                seen.responses.append(current)
            elif isinstance(event, EndOfMessage) and current is not None:
                current.complete = True
                current = None
                if conn.our_state is DONE and conn.their_state is DONE:
                    conn.start_next_cycle()
                    if conn.trailing_data[0]:
                        conn = corpus.next_pipelined_client(
                            conn, h11_connection, functools.partial(play, index=len(seen.responses))
                        )
                elif conn.their_state is MUST_CLOSE and conn.trailing_data[0]:
                    seen.parse_error = "bytes after a response that closes the connection"
                    seen.responses.append(_unparsable())
                    break
            elif isinstance(event, ConnectionClosed):
                break
            elif not isinstance(event, Data):
                raise AssertionError(f"unexpected event {event!r}")
    except ProtocolError as exc:
        seen.parse_error = str(exc) or type(exc).__name__
        if current is None:
            # Bytes where a response should start that are not one: the server answered
            # something (e.g. http.server's bare HTML error to bytes it took for an
            # HTTP/0.9 request), and that answer counts like any other.
            seen.responses.append(_unparsable())
    return seen


def _unparsable() -> ObservedResponse:
    return ObservedResponse(0, b"unparsable answer", b"", keep_alive=False, complete=True)


def _observed(event: Any, *, keep_alive: bool) -> ObservedResponse:
    return ObservedResponse(
        status=event.status_code,
        reason=bytes(event.reason),
        http_version=bytes(event.http_version),
        keep_alive=keep_alive,
    )


def _keeps_alive(response: Any) -> bool:
    tokens = {
        token.strip().lower()
        for name, value in response.headers
        if name == b"connection"
        for token in bytes(value).split(b",")
    }
    if response.http_version == b"1.0":
        return b"keep-alive" in tokens
    return b"close" not in tokens


async def probe_case_async(
    host: str, port: int, case: corpus.Case, *, timeout: float = DEFAULT_TIMEOUT
) -> CaseResult:
    """Send one case over a fresh connection and judge the answer (never raises for I/O).

    The case's bytes are followed by EOF (a half-close); the answer is read until the
    server closes, or the timeout. Connection errors become `Verdict.ERROR`.

    :param host: the server's address.
    :param port: the server's TCP port.
    :param case: a request case of the corpus.
    :param timeout: keyword only: seconds for the whole case (3.0 by default).
    """
    started = time.monotonic()
    deadline = started + timeout
    raw = bytearray()
    eof = timed_out = False
    connect_error: str | None = None
    writer: asyncio.StreamWriter | None = None
    try:
        reader, stream = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        writer = stream
        try:
            stream.write(case.data)
            # A server that stopped reading (it rejected the head) must not use up the
            # whole timeout here: half of it at most, then read what it said.
            budget = max(started + timeout / 2 - time.monotonic(), 0.001)
            try:
                await asyncio.wait_for(stream.drain(), budget)
            except asyncio.TimeoutError:
                pass
            stream.write_eof()
        except (ConnectionError, OSError):
            pass  # the server closed early (e.g. rejected the head): read what it said
        while len(raw) < MAX_RESPONSE_BYTES:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            try:
                chunk = await asyncio.wait_for(reader.read(65536), remaining)
            except asyncio.TimeoutError:  # an OSError on 3.11+: must come first
                timed_out = True
                break
            except (ConnectionError, OSError):
                chunk = b""  # reset: the server is gone, as with EOF
            if not chunk:
                eof = True
                break
            raw += chunk
            if parse_responses(bytes(raw), case, eof=False).switched:
                break
    except asyncio.TimeoutError:
        timed_out = True
    except (ConnectionError, OSError) as exc:
        connect_error = f"{type(exc).__name__}: {exc}"
    finally:
        if writer is not None:
            writer.close()
            try:
                await asyncio.wait_for(writer.wait_closed(), 1.0)
            except (asyncio.TimeoutError, ConnectionError, OSError):
                pass
    seen = parse_responses(bytes(raw), case, eof=eof)
    seen.timed_out = timed_out
    seen.connect_error = connect_error
    verdict, reason = judge(case, seen)
    return CaseResult(case, verdict, reason, seen, time.monotonic() - started)


def probe_case(
    url: str,
    case: corpus.Case,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    head_limit: int = DEFAULT_HEAD_LIMIT,
) -> CaseResult:
    """`probe_case_async` from synchronous code (a skipped case is not sent).

    :param url: the server, ``http://host[:port]`` (see `parse_url`).
    :param case: a request case of the corpus.
    :param timeout: keyword only: seconds for the case (3.0 by default).
    :param head_limit: keyword only: the server's head limit in bytes; a case that does
        not fit it is skipped (see `skip_reason`).
    """
    reason = skip_reason(case, head_limit)
    if reason is not None:
        return CaseResult(case, Verdict.SKIPPED, reason)
    host, port = parse_url(url)
    return asyncio.run(probe_case_async(host, port, case, timeout=timeout))


# --- the whole corpus -------------------------------------------------------------------


def select_cases(
    *,
    names: Iterable[str] | None = None,
    only_families: Iterable[str] | None = None,
) -> list[corpus.Case]:
    """The request cases to send: all, or those named, or those in the given families.

    :param names: keyword only: case names to keep (others are left out).
    :param only_families: keyword only: report families to keep (``"te"``, ``"host"``...).
    :raises ValueError: a name that is no request case.
    """
    chosen = list(corpus.REQUESTS)
    if names is not None:
        wanted = set(names)
        unknown = wanted - {case.name for case in chosen}
        if unknown:
            raise ValueError(f"no request case named {', '.join(sorted(unknown))}")
        chosen = [case for case in chosen if case.name in wanted]
    if only_families is not None:
        wanted = set(only_families)
        chosen = [case for case in chosen if wanted & set(families(case.tags))]
    return chosen


@dataclass
class ProbeReport:
    """Every case's result against one server, in corpus order.

    Made by `probe` and `probe_async`; ``render()`` is the report people read,
    ``to_json()`` the one for machines.

    :param url: the server that was probed.
    :param results: one `CaseResult` per case, in corpus order.
    :param elapsed: seconds the whole run took.
    :param timeout: the per-case timeout used.
    :param head_limit: the head limit the cases were selected for.
    """

    url: str
    results: list[CaseResult] = field(default_factory=list)
    elapsed: float = 0.0
    timeout: float = DEFAULT_TIMEOUT
    head_limit: int = DEFAULT_HEAD_LIMIT

    @property
    def unsafe(self) -> list[CaseResult]:
        """The results whose verdict is `Verdict.UNSAFE`."""
        return [r for r in self.results if r.verdict is Verdict.UNSAFE]

    def with_verdict(self, verdict: Verdict) -> list[CaseResult]:
        """The results with `verdict`, in corpus order.

        :param verdict: one of `Verdict`'s members.
        """
        return [r for r in self.results if r.verdict is verdict]

    def counts(self) -> Counter[Verdict]:
        """How many results have each verdict."""
        return Counter(r.verdict for r in self.results)

    def by_family(self) -> dict[str, Counter[Verdict]]:
        """Verdict counts per family (a case counts under each of its families)."""
        table: dict[str, Counter[Verdict]] = {}
        for result in self.results:
            for family in result.families:
                table.setdefault(family, Counter())[result.verdict] += 1
        return {name: table[name] for name in sorted(table, key=family_sort_key)}

    @property
    def exit_status(self) -> int:
        """1 when a case is unsafe, 2 when nothing could be judged, else 0 (the command's)."""
        if self.unsafe:
            return 1
        return 2 if self.unjudged_reason() is not None else 0

    def unjudged_reason(self) -> str | None:
        """Why the run judged nothing (no case served or rejected), in one line, or None.

        A run where every case timed out, failed to connect or was skipped says nothing
        about the server, so it must not pass as "0 unsafe".
        """
        counts = self.counts()
        judged = sum(counts[v] for v in (Verdict.SERVED, Verdict.REJECTED, Verdict.LENIENT))
        if judged or counts[Verdict.UNSAFE]:
            return None
        errors = self.with_verdict(Verdict.ERROR)
        if errors and errors[0].observation is not None:
            example = f"; first error: {errors[0].observation.describe()}"
        else:
            example = ""
        shown = ", ".join(f"{counts[v]} {v.value}" for v in Verdict if counts[v])
        return (
            f"no case reached {self.url} to be judged (none served or rejected: "
            f"{shown or 'no cases'}){example}"
        )

    def summary_line(self) -> str:
        """One line: the counts by verdict and the time taken."""
        from h11_testkit._report import summary_line

        return summary_line(self)

    def render(self) -> str:
        """The report people read: the table by family, then the cases worth a look."""
        from h11_testkit._report import render

        return render(self)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (what ``--json`` prints)."""
        from h11_testkit._report import to_json

        return to_json(self)


async def probe_async(
    url: str,
    *,
    cases: Sequence[corpus.Case] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
    head_limit: int = DEFAULT_HEAD_LIMIT,
    on_result: Callable[[CaseResult], None] | None = None,
) -> ProbeReport:
    """Probe `url` with `cases` (default: every request case), `concurrency` at a time.

    The run takes at most about ceil(len(cases) / concurrency) * timeout seconds.
    Every case goes over its own connection; only `url`'s host is contacted.

    :param url: the server, ``http://host[:port]`` (see `parse_url`).
    :param cases: keyword only: the request cases to send (default: all of
        ``corpus.REQUESTS``; see `select_cases`).
    :param timeout: keyword only: seconds per case (3.0 by default).
    :param concurrency: keyword only: cases in flight at once (8 by default).
    :param head_limit: keyword only: the server's head limit in bytes; cases that do not
        fit it are skipped with the reason.
    :param on_result: keyword only: called with each `CaseResult` as it finishes (a
        progress bar, say).
    :raises ValueError: a timeout that is not positive, a concurrency below 1, or a URL
        that is not ``http://``.
    """
    if timeout <= 0 or concurrency < 1:
        raise ValueError("timeout must be positive and concurrency at least 1")
    host, port = parse_url(url)
    chosen = list(corpus.REQUESTS if cases is None else cases)
    started = time.monotonic()
    slots = asyncio.Semaphore(concurrency)

    async def one(case: corpus.Case) -> CaseResult:
        reason = skip_reason(case, head_limit)
        if reason is not None:
            result = CaseResult(case, Verdict.SKIPPED, reason)
        else:
            async with slots:
                result = await probe_case_async(host, port, case, timeout=timeout)
        if on_result is not None:
            on_result(result)
        return result

    results = await asyncio.gather(*(one(case) for case in chosen))
    return ProbeReport(url, list(results), time.monotonic() - started, timeout, head_limit)


def probe(
    url: str,
    *,
    cases: Sequence[corpus.Case] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    concurrency: int = DEFAULT_CONCURRENCY,
    head_limit: int = DEFAULT_HEAD_LIMIT,
    on_result: Callable[[CaseResult], None] | None = None,
) -> ProbeReport:
    """`probe_async` from synchronous code (it runs its own event loop).

    Takes `probe_async`'s parameters: `url`, and keyword only `cases`, `timeout`,
    `concurrency`, `head_limit` and `on_result`.
    """
    return asyncio.run(
        probe_async(
            url,
            cases=cases,
            timeout=timeout,
            concurrency=concurrency,
            head_limit=head_limit,
            on_result=on_result,
        )
    )


def h11_probe_cases(
    *,
    head_limit: int = DEFAULT_HEAD_LIMIT,
    only_families: Iterable[str] | None = None,
) -> list[Any]:
    """`pytest.param`s of the request cases, for `@pytest.mark.parametrize("case", ...)`.

    Ids are the case names; a case that does not fit `head_limit` is marked skip with
    the reason, so the skip shows in pytest's summary instead of vanishing.

    :param head_limit: keyword only: the server's head limit in bytes (16384 by default).
    :param only_families: keyword only: report families to keep (default: all).
    """
    import pytest

    params = []
    for case in select_cases(only_families=only_families):
        reason = skip_reason(case, head_limit)
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params
