"""Judging a server from the outside: what it answered to a corpus case, against the strict outcome.

A server is a black box: all the probe sees is which responses completed, their status
and keep-alive, and whether the connection closed. The strict outcome of a case says how
many requests a strict server serves (`Expectation.served`) and whether it then rejects
the rest. From that:

- more answers than a strict server sends (completed responses, or bytes that are not a
  response where one should start) means the server saw a request boundary a strict
  server does not (a smuggled or pipelined request was answered): UNSAFE;
- answering a request a strict server rejects is LENIENT (accepted syntax a strict server
  refuses), but UNSAFE when the case is about framing (tags `smuggling`, `cl-te`) and the
  server kept the connection after it (keep-alive answer, or still open): whatever comes
  next on it is framed differently than by a strict peer;
- answering an ambiguously framed request (must-close) while keeping the connection is
  UNSAFE;
- an answer to a request whose head is valid but whose body a strict server rejects
  proves nothing (servers answer before reading bodies): what comes after counts, and
  keeping the connection open after all the bytes and EOF arrived means the body was
  taken (UNSAFE for a framing case, LENIENT otherwise);
- otherwise the server SERVED what a strict server serves, or REJECTED (4xx/5xx then
  close, or close), which is always safe.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from h11_testkit._families import is_framing_critical
from h11_testkit.corpus import MUST_CLOSE, PAUSED, Case

#: Statuses that are a routing answer of the application, not a refusal of the message:
#: a request answered with them was served.
ROUTING_STATUSES = frozenset({404, 405})


class Verdict(str, enum.Enum):
    """How the server handled one case, from the server's side.

    ``SERVED``: served exactly the requests a strict server serves. ``REJECTED``: refused
    (an error status then close, or a close): safe. ``LENIENT``: served a request a strict
    server rejects, with framing not at stake. ``UNSAFE``: answered a smuggled or
    pipelined request, or kept the connection after ambiguous framing. ``TIMEOUT``: neither
    answered nor closed in time. ``ERROR``: the probe could not talk to the server.
    ``SKIPPED``: not sent, the case does not fit this server (the reason says why).
    """

    SERVED = "served"  # served exactly the requests a strict server serves
    REJECTED = "rejected"  # refused (error status then close, or close): safe
    LENIENT = "lenient"  # served a request a strict server rejects; framing not at stake
    UNSAFE = "unsafe"  # see the module docstring
    TIMEOUT = "timeout"  # neither answered nor closed within the case's timeout
    ERROR = "error"  # the probe could not talk to the server (e.g. connection refused)
    SKIPPED = "skipped"  # not sent: the case does not fit this server (reason given)


@dataclass(frozen=True)
class Expectation:
    """What a strict server does with a case, as seen from outside."""

    #: Methods of the requests a strict server serves, in order (their count matters).
    methods: tuple[bytes, ...]
    #: Status a strict server rejects the rest with, or None.
    error: int | None
    #: The last served request ends the connection (keep-alive off).
    must_close: bool
    #: The last served request switches protocols; what follows is not HTTP/1.1.
    switches: bool
    framing_critical: bool
    #: A strict server accepts the head of the rejected request and rejects its body (or
    #: trailers): an answer to that request may precede the body, so it proves nothing.
    rejects_in_body: bool = False

    @property
    def served(self) -> int:
        return len(self.methods)

    @classmethod
    def of(cls, case: Case) -> Expectation:
        methods: list[bytes] = []
        pending: bytes | None = None
        heads = 0
        for event in case.expected.events:
            if event[0] == "request":
                heads += 1
                pending = event[1]
            elif event[0] == "end" and pending is not None:
                methods.append(pending)
                pending = None
        events = case.expected.events
        return cls(
            methods=tuple(methods),
            error=case.expected.error,
            must_close=MUST_CLOSE in events,
            switches=PAUSED in events,
            framing_critical=is_framing_critical(case.tags),
            rejects_in_body=case.expected.error is not None and heads > len(methods),
        )


@dataclass
class ObservedResponse:
    status: int
    reason: bytes
    http_version: bytes
    #: The server said the connection stays open after it.
    keep_alive: bool
    #: Its body ended (a request counts as served only then); a switch completes it too.
    complete: bool = False

    @property
    def unparsable(self) -> bool:
        """Bytes that are not an HTTP/1.1 response stood where one should start."""
        return self.status == 0

    @property
    def refuses(self) -> bool:
        """A 4xx/5xx that refuses the message (not a routing answer such as 404).

        An unparsable answer counts as a refusal: it serves nothing, but it still
        answers something, so it counts towards the number of answers.
        """
        return self.unparsable or (self.status >= 400 and self.status not in ROUTING_STATUSES)

    def __str__(self) -> str:
        if self.unparsable:
            return "an answer that is not an HTTP/1.1 response"
        text = f"{self.status} {self.reason.decode('latin-1')}".strip()
        if not self.complete:
            text += " (incomplete)"
        elif self.keep_alive:
            text += " (keep-alive)"
        return text


@dataclass
class Observation:
    """Everything the probe saw on the connection of one case."""

    responses: list[ObservedResponse] = field(default_factory=list)
    #: The server closed (EOF or reset) within the timeout.
    closed: bool = False
    timed_out: bool = False
    #: The server switched protocols (101, or 2xx to CONNECT): reading stopped there.
    switched: bool = False
    #: Why the server's bytes stopped parsing as HTTP/1.1 responses, if they did.
    parse_error: str | None = None
    #: Could not connect or write at all.
    connect_error: str | None = None
    raw: bytes = b""

    @property
    def completed(self) -> list[ObservedResponse]:
        return [r for r in self.responses if r.complete]

    def describe(self) -> str:
        """One line: what the server answered and how the connection ended."""
        if self.connect_error:
            return f"no connection: {self.connect_error}"
        parts = [", ".join(map(str, self.responses)) or "no response"]
        if self.parse_error:
            parts.append(f"parsing stopped: {self.parse_error}")
        if self.switched:
            parts.append("switched protocols")
        elif self.closed:
            parts.append("closed")
        elif self.timed_out:
            parts.append("still open at the timeout")
        return "; ".join(parts)


Judgement = tuple[Verdict, str]


def judge(case: Case, seen: Observation) -> Judgement:
    """The verdict on one case and a sentence saying why."""
    expect = Expectation.of(case)
    if seen.connect_error is not None:
        return Verdict.ERROR, seen.describe()
    for rule in (_extra_answers, _answered_what_strict_rejects, _kept_after_cl_and_te):
        found = rule(expect, seen)
        if found is not None:
            return found
    return _safe_outcome(expect, seen)


def _extra_answers(expect: Expectation, seen: Observation) -> Judgement | None:
    """More answers than a strict server sends: a request boundary it does not see."""
    done = seen.completed
    most = expect.served + (1 if expect.error is not None or expect.switches else 0)
    if len(done) <= most:
        return None
    return Verdict.UNSAFE, (
        f"sent {len(done)} answers where a strict server sends at most {most}: "
        "it took bytes for a request that a strict server never sees as one "
        "(a smuggled or pipelined request was answered)"
    )


def _answered_what_strict_rejects(expect: Expectation, seen: Observation) -> Judgement | None:
    """The request a strict server rejects was answered (not refused)."""
    done = seen.completed
    if expect.error is None or len(done) != expect.served + 1 or done[-1].refuses:
        return None
    last = done[-1]
    if expect.rejects_in_body:
        # The answer may have come before the body: only keeping the connection once
        # every byte and EOF arrived shows that the body was taken.
        if seen.closed:
            return Verdict.REJECTED, (
                f"answered the request ({last.status}; its head is valid), then closed: "
                "nothing after the invalid body was taken for a request"
            )
        what = (
            f"answered the request ({last.status}) and kept the connection open although "
            f"a strict server rejects its body with {expect.error}"
        )
        if expect.framing_critical:
            return Verdict.UNSAFE, what + ": the body's framing is disputed"
        return Verdict.LENIENT, what
    what = f"served a request a strict server rejects with {expect.error}"
    if not expect.framing_critical:
        return Verdict.LENIENT, what
    if last.keep_alive or not seen.closed:
        return Verdict.UNSAFE, (
            f"{what} and kept the connection: its framing is disputed, so the server "
            "and a strict peer disagree on where the next request starts"
        )
    return Verdict.LENIENT, f"{what}; its framing is disputed, but the connection ended with it"


def _kept_after_cl_and_te(expect: Expectation, seen: Observation) -> Judgement | None:
    """An ambiguously framed request (must-close) answered on a connection kept open."""
    done = seen.completed
    if not (expect.must_close and expect.framing_critical and len(done) == expect.served):
        return None
    last = done[-1] if done else None
    if last is None or last.refuses or seen.switched:
        return None
    if last.keep_alive:
        return Verdict.UNSAFE, (
            "answered an ambiguously framed request without `Connection: close`: "
            "the connection was kept for the next request"
        )
    if not seen.closed:
        return Verdict.UNSAFE, "answered an ambiguously framed request and kept the connection open"
    return None


def _safe_outcome(expect: Expectation, seen: Observation) -> Judgement:
    """Nothing unsafe or lenient: served, rejected, or no answer at all."""
    done = seen.completed
    refused = any(r.refuses for r in done)
    if expect.switches and len(done) >= expect.served:
        if not any(r.refuses for r in done[: expect.served]):
            if seen.switched:
                return Verdict.SERVED, "served the request and switched protocols"
            return Verdict.SERVED, (
                "served the request without switching protocols; the bytes after it were "
                "not taken for a request"
            )
    if expect.error is None and len(done) == expect.served and not refused:
        return Verdict.SERVED, "served as a strict server does"
    if not seen.closed and not seen.switched and not refused:
        return Verdict.TIMEOUT, "neither answered as expected nor closed within the timeout"
    if expect.error is None:
        return Verdict.REJECTED, "refused a request a strict server serves (stricter: safe)"
    return Verdict.REJECTED, "rejected as a strict server does"
