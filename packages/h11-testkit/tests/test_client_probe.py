"""The hostile server for clients: the corpus, the judge, the runner, the command.

Every client here runs inside the test against a HostileServer on 127.0.0.1: the
testkit's careful client on h11_connection, http.client, and small raw-socket clients
that misbehave on purpose (so each unsafe verdict is seen to fire).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import select
import socket
import sys
import types
from collections.abc import Callable

import h11_connection as h11
import pytest
from h11_testkit import client_corpus
from h11_testkit.__main__ import main
from h11_testkit._client_libraries import CLIENTS, load_client
from h11_testkit.client_corpus import CASES, SMUGGLED, Answer, by_name, line_ends
from h11_testkit.client_probe import (
    Arrival,
    ClientCaseResult,
    ClientVerdict,
    HostileServer,
    Outcome,
    h11_client_cases,
    judge,
    next_body,
    probe_client,
    probe_client_case,
    select_client_cases,
)

TIMEOUT = 1.0


# --- the corpus ----------------------------------------------------------------------------


def test_case_names_are_unique_and_url_safe() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert all(name.replace("_", "").isalnum() for name in names)
    assert by_name("cl_te").name == "cl_te"
    with pytest.raises(KeyError):
        by_name("nope")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_pieces_join_to_the_response(case: client_corpus.ClientCase) -> None:
    assert b"".join(case.pieces()) == case.response
    assert all(case.pieces())


def test_line_ends_cut_between_cr_and_lf_and_after_lf() -> None:
    assert line_ends(b"a\r\nb\nc") == (2, 3, 5)
    pieces = by_name("split_at_line_ends").pieces()
    assert any(piece.endswith(b"\r") for piece in pieces)
    assert any(piece.startswith(b"\n") for piece in pieces)


def _h11_reads(case: client_corpus.ClientCase) -> Answer | None:
    """What this project's Connection makes of the response alone (None: it refuses)."""
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method=case.method, target="/", headers=[("Host", "a")]))
    conn.send(h11.EndOfMessage())
    conn.receive_data(case.response)
    if case.after == "close":
        conn.receive_data(b"")
    status, body = 0, b""
    try:
        while True:
            event = conn.next_event()
            if isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return Answer(status, body)
            else:  # NEED_DATA after EOF or with the connection held, PAUSED, closed
                return None
    except h11.RemoteProtocolError:
        return None


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if "real-web" not in c.tags and c.name != "te_chunked_http10"],
    ids=lambda c: c.name,
)
def test_this_projects_client_reads_each_case_safely(case: client_corpus.ClientCase) -> None:
    """The corpus agrees with the strict client of this project (its framing, alone)."""
    got = _h11_reads(case)
    assert got is None or case.is_safe(got), got


# --- the judge -----------------------------------------------------------------------------


def _arrivals(name: str, *, reused: bool) -> list[Arrival]:
    first = Arrival(1, 0, "GET", f"/{name}/first")
    following = Arrival(1 if reused else 2, 1 if reused else 0, "GET", f"/{name}/next")
    return [first, following]


def _verdict(
    name: str,
    first: Answer | None,
    following: Answer | None = None,
    *,
    reused: bool = False,
    elapsed: float = 0.01,
) -> ClientVerdict:
    case = by_name(name)
    one = Outcome(answer=first, error=None if first else "Boom: refused", elapsed=elapsed)
    two = Outcome(answer=following or Answer(200, next_body(name)))
    verdict, why = judge(case, one, two, _arrivals(name, reused=reused), timeout=TIMEOUT)
    assert why
    return verdict


def test_judge_framing() -> None:
    hello = Answer(200, b"hello")
    assert _verdict("cl_te", hello) is ClientVerdict.SAFE
    assert _verdict("cl_te", Answer(200, b"5\r\n")) is ClientVerdict.UNSAFE
    assert _verdict("cl_te", None) is ClientVerdict.REFUSED
    assert _verdict("cl_te", hello, reused=True) is ClientVerdict.UNSAFE
    assert _verdict("cl_differing", None) is ClientVerdict.SAFE
    assert _verdict("cl_differing", hello) is ClientVerdict.UNSAFE
    assert _verdict("truncated_content_length", hello) is ClientVerdict.UNSAFE
    assert _verdict("truncated_content_length", None) is ClientVerdict.SAFE
    assert _verdict("te_chunked_not_last", Answer(200, b"5\r\nhello\r\n0\r\n\r\n")) is (
        ClientVerdict.SAFE
    )
    assert _verdict("te_chunked_not_last", hello) is ClientVerdict.UNSAFE


def test_judge_leftovers_and_reuse() -> None:
    hello = Answer(200, b"hello")
    smuggled = Answer(200, b"smuggled")
    assert _verdict("leftover_after_content_length", hello, smuggled) is ClientVerdict.UNSAFE
    assert _verdict("leftover_after_content_length", hello, reused=True) is ClientVerdict.SAFE
    assert _verdict("body_on_204", Answer(204, b"")) is ClientVerdict.SAFE
    assert _verdict("connection_close_left_open", hello) is ClientVerdict.SAFE
    assert _verdict("connection_close_left_open", hello, reused=True) is ClientVerdict.UNSAFE
    assert _verdict("keep_alive", hello, reused=True) is ClientVerdict.SAFE


def test_judge_lenience_and_tolerance() -> None:
    hello = Answer(200, b"hello")
    assert _verdict("nul_in_value", hello) is ClientVerdict.LENIENT
    assert _verdict("nul_in_value", None) is ClientVerdict.SAFE
    assert _verdict("real_web_control_in_cookie", hello) is ClientVerdict.SAFE
    assert _verdict("real_web_control_in_cookie", None) is ClientVerdict.REFUSED
    assert _verdict("te_chunked_http10", Answer(200, b"5\r\nhello\r\n0\r\n\r\n")) is (
        ClientVerdict.LENIENT
    )
    assert _verdict("real_web_early_hints", Answer(103, b"")) is ClientVerdict.UNSAFE


def test_a_next_request_without_result_is_a_timeout_unless_already_unsafe() -> None:
    hello = Answer(200, b"hello")
    late = Outcome(timed_out=True, elapsed=3)
    arrivals = _arrivals("cl_te", reused=False)
    verdict, why = judge(by_name("cl_te"), Outcome(answer=hello), late, arrivals, timeout=TIMEOUT)
    assert verdict is ClientVerdict.TIMEOUT
    assert "next request got no result" in why
    wrong = Outcome(answer=Answer(200, b"5\r\n"))
    verdict, _ = judge(by_name("cl_te"), wrong, late, arrivals, timeout=TIMEOUT)
    assert verdict is ClientVerdict.UNSAFE


def test_connection_story() -> None:
    case = by_name("connection_close_left_open")
    first = Arrival(1, 0, "GET", "/connection_close_left_open/first")
    elsewhere = Arrival(2, 0, "GET", "/connection_close_left_open/next")
    later = Arrival(1, 1, "GET", "/keep_alive/first", poisoned_by=case.name)
    result = ClientCaseResult(case, ClientVerdict.UNSAFE, "", arrivals=[first, elsewhere, later])
    assert "a later one (/keep_alive/first) on this" in result.connection_story()
    assert (
        judge(
            case,
            Outcome(answer=Answer(200, b"hello")),
            Outcome(),
            [first, elsewhere, later],
            timeout=TIMEOUT,
        )[0]
        is ClientVerdict.UNSAFE
    )
    alone = ClientCaseResult(case, ClientVerdict.SAFE, "", arrivals=[first])
    assert alone.connection_story() == "the next request never arrived"


def test_an_answer_to_a_request_the_server_never_saw_is_unsafe() -> None:
    stale = Outcome(answer=Answer(200, b"next:other"))
    arrivals = [Arrival(2, 0, "GET", "/keep_alive/next")]
    verdict, why = judge(by_name("keep_alive"), stale, Outcome(), arrivals, timeout=TIMEOUT)
    assert verdict is ClientVerdict.UNSAFE
    assert "never reached the server" in why


def test_judge_time_and_reach() -> None:
    assert _verdict("endless_head", None, elapsed=TIMEOUT) is ClientVerdict.SAFE
    assert _verdict("endless_head", None, elapsed=TIMEOUT * 1.5) is ClientVerdict.TIMEOUT
    case = by_name("keep_alive")
    never = Outcome(error="ConnectError: refused")
    verdict, why = judge(case, never, never, [], timeout=TIMEOUT)
    assert verdict is ClientVerdict.ERROR
    assert "never reached" in why
    late = Outcome(timed_out=True, elapsed=3)
    arrivals = _arrivals("keep_alive", reused=False)
    assert judge(case, late, late, arrivals, timeout=TIMEOUT)[0] is ClientVerdict.TIMEOUT


# --- live clients --------------------------------------------------------------------------


def _naive_client(
    *, reconnect: bool = False
) -> tuple[Callable[..., tuple[int, bytes]], Callable[[], None]]:
    """Reuses one connection whatever happens, trusts the first Content-Length, ignores
    Transfer-Encoding and never reports a short body: every mistake the probe looks for.

    With `reconnect`, it reads ahead whatever arrives after a response (as clients reading
    large chunks do) and replaces a connection readable while idle (closed, or bytes
    arrived on it) before the next request, as httpcore and urllib3 do: bytes it already
    read stay queued, so a leftover still poisons the next answer."""
    held: list[tuple[socket.socket, bytearray]] = []

    def fetch(url: str) -> tuple[int, bytes]:
        _, _, rest = url.partition("//")
        hostport, _, path = rest.partition("/")
        host, _, port = hostport.partition(":")
        if held and reconnect and select.select([held[0][0]], [], [], 0)[0]:
            close()  # readable while idle: closed, or bytes nobody asked for
        if not held:
            held.append((socket.create_connection((host, int(port)), timeout=TIMEOUT), bytearray()))
        sock, buffer = held[0]
        sock.sendall(f"GET /{path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        while b"\r\n\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                close()
                raise ConnectionError("closed")
            buffer += chunk
        head, _, _ = bytes(buffer).partition(b"\r\n\r\n")
        del buffer[: len(head) + 4]
        status = int(head.split(b" ")[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip().split(b",")[0])
                break
        try:
            while len(buffer) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
        except TimeoutError:
            pass
        body = bytes(buffer[:length])
        del buffer[:length]
        if reconnect:  # read ahead what is there, as clients reading large chunks do
            while select.select([sock], [], [], 0.1)[0]:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
        return status, body

    def close() -> None:
        for sock, _ in held:
            sock.close()
        held.clear()

    return fetch, close


@pytest.mark.parametrize(
    "name",
    [
        "cl_te",
        "truncated_content_length",
        "leftover_after_content_length",
        "connection_close_left_open",
        "cl_differing",
        "body_on_204",
    ],
)
def test_a_naive_client_is_caught(name: str) -> None:
    fetch, close = _naive_client()
    report = probe_client(fetch, cases=[by_name(name)], timeout=TIMEOUT, name="naive", close=close)
    [result] = report.results
    assert result.verdict is ClientVerdict.UNSAFE, result.explain()
    assert report.exit_status == 1
    text = report.render()
    assert "UNSAFE (1)" in text
    assert repr(by_name(name).response)[2:40] in text  # the bytes sent are shown
    data = json.loads(json.dumps(report.to_json()))
    assert data["summary"]["unsafe"] == 1
    assert data["exit_status"] == 1


def test_reuse_and_leftovers_are_told_apart() -> None:
    results = []
    for name in ("connection_close_left_open", "leftover_after_content_length"):
        fetch, close = _naive_client()
        report = probe_client(fetch, cases=[by_name(name)], timeout=TIMEOUT, close=close)
        results += report.results
    reuse, leftover = results
    assert "the connection it had to close" in reuse.reason
    assert reuse.connection_story() == "the next request came on the same connection"
    assert "smuggled" in leftover.reason
    assert "response-queue poisoning" in leftover.reason
    assert repr(SMUGGLED)[2:30] in report.render()


def test_each_case_starts_clean() -> None:
    """A client left one answer behind by a leftover case is not blamed for the next case."""
    fetch, close = _naive_client(reconnect=True)
    cases = [by_name("leftover_after_content_length"), by_name("keep_alive")]
    report = probe_client(fetch, cases=cases, timeout=TIMEOUT, close=close)
    poisoned, clean = report.results
    assert poisoned.verdict is ClientVerdict.UNSAFE, poisoned.explain()
    assert clean.verdict is ClientVerdict.SAFE, clean.explain()


def test_a_client_refusing_everything_is_safe_and_judged() -> None:
    def refuse(url: str) -> tuple[int, bytes]:
        port = int(url.split(":")[2].split("/")[0])
        with socket.create_connection(("127.0.0.1", port)):
            pass
        raise ValueError("no")

    cases = select_client_cases(only_families=["content-length", "basic"])
    report = probe_client(refuse, cases=cases, timeout=TIMEOUT)
    counts = report.counts()
    assert counts[ClientVerdict.ERROR] == len(cases)  # connected, but sent no request
    assert report.exit_status == 2
    assert report.unjudged_reason() is not None


def test_the_careful_h11_client_is_never_unsafe() -> None:
    fetch, close, label = load_client("h11_connection", TIMEOUT)
    cases = [c for c in CASES if c.name != "te_chunked_http10"]
    report = probe_client(fetch, cases=cases, timeout=TIMEOUT, name=label, close=close)
    counts = report.counts()
    assert report.unsafe == [], report.render()
    assert counts[ClientVerdict.LENIENT] == counts[ClientVerdict.ERROR] == 0, report.render()
    assert counts[ClientVerdict.SAFE] > 30
    refused = {r.case.name for r in report.with_verdict(ClientVerdict.REFUSED)}
    assert all("real-web" in by_name(name).tags for name in refused), refused
    assert report.exit_status == 0


def test_http_client_runs_and_gets_a_verdict_for_every_case() -> None:
    fetch, close, label = load_client("http.client", TIMEOUT)
    cases = select_client_cases(only_families=["leftover", "keep-alive", "basic"])
    report = probe_client(fetch, cases=cases, timeout=TIMEOUT, name=label, close=close)
    assert len(report.results) == len(cases)
    assert report.counts()[ClientVerdict.ERROR] == 0
    assert report.summary_line().startswith("http.client (Python ")


def test_an_async_fetch_on_one_loop() -> None:
    loops: set[int] = set()

    async def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
        loops.add(id(asyncio.get_running_loop()))
        _, _, rest = url.partition("//")
        hostport, _, path = rest.partition("/")
        host, _, port = hostport.partition(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        conn = h11.Connection(h11.CLIENT)
        request = h11.Request(method=method, target="/" + path, headers=[("Host", host)])
        writer.write(conn.send(request) + conn.send(h11.EndOfMessage()))
        status, body = 0, b""
        try:
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    conn.receive_data(await reader.read(65536))
                elif isinstance(event, h11.Response):
                    status = event.status_code
                elif isinstance(event, h11.Data):
                    body += bytes(event.data)
                elif isinstance(event, h11.EndOfMessage):
                    return status, body
        finally:
            writer.close()

    cases = [by_name("keep_alive"), by_name("body_on_head"), by_name("truncated_chunked")]
    report = probe_client(fetch, cases=cases, timeout=TIMEOUT)
    assert [r.verdict for r in report.results] == [ClientVerdict.SAFE] * 3, report.render()
    assert len(loops) == 1


def test_head_cases_are_skipped_for_a_fetch_without_method() -> None:
    fetch, _ = _naive_client()
    with HostileServer(timeout=TIMEOUT) as server:
        result = probe_client_case(fetch, by_name("body_on_head"), server=server, timeout=TIMEOUT)
    assert result.verdict is ClientVerdict.SKIPPED
    assert "method" in result.reason


def test_a_slow_server_and_a_client_without_overall_timeout() -> None:
    fetch, close, _ = load_client("http.client", 0.5)
    report = probe_client(fetch, cases=[by_name("endless_head")], timeout=0.5, close=close)
    [result] = report.results
    # http.client's timeout is per read: the trickle never lets it fire.
    assert result.verdict is ClientVerdict.TIMEOUT, result.explain()
    fetch, close, _ = load_client("h11_connection", 0.5)
    report = probe_client(fetch, cases=[by_name("endless_head")], timeout=0.5, close=close)
    assert report.results[0].verdict is ClientVerdict.SAFE, report.results[0].explain()


# --- the command and the fixtures ----------------------------------------------------------


def test_command(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["probe-client", "h11_connection", "--family", "leftover", "--timeout", "1"]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["cases"] == len(select_client_cases(only_families=["leftover"]))
    assert data["exit_status"] == 0
    assert main([*argv]) == 0
    assert "0 unsafe" in capsys.readouterr().out.splitlines()[-1]
    naive = f"{__name__}:_naive_client"
    assert main(["probe-client", naive, "--case", "cl_te", "--timeout", "1"]) == 2
    assert "could be judged" in capsys.readouterr().err  # a factory is no fetch


def test_command_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probe-client", "no-such-client"]) == 2
    assert "unknown client" in capsys.readouterr().err
    assert main(["probe-client", "no_such_module:fetch"]) == 2
    assert "cannot load" in capsys.readouterr().err
    assert main(["probe-client", "h11_connection", "--case", "nope"]) == 2
    assert main(["probe-client", "h11_connection", "--timeout", "0"]) == 2
    assert set(CLIENTS) >= {"http.client", "urllib3", "requests", "httpx", "aiohttp"}


def test_parametrize_helper_and_fixtures(
    h11_hostile_server: HostileServer,
    h11_client_probe: Callable[..., ClientCaseResult],
) -> None:
    params = h11_client_cases(only_families=["leftover"])
    assert [p.id for p in params] == [
        c.name for c in select_client_cases(only_families=["leftover"])
    ]
    assert h11_hostile_server.url.startswith("http://127.0.0.1:")
    fetch, close, _ = load_client("h11_connection", TIMEOUT)
    try:
        result = h11_client_probe(fetch, by_name("cl_te"), timeout=TIMEOUT)
    finally:
        assert close is not None
        close()
    assert result.verdict is ClientVerdict.SAFE


# --- the named client libraries: each called as its docs say ------------------------------


class _Recorder:
    """A stand-in for a client library's pool/session: records calls, answers 201 b"ok"."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.calls: list[tuple[str, tuple[object, ...], dict[str, object]]] = []
        self.calls.append(("init", args, kwargs))
        _Recorder.last = self

    last: _Recorder

    def request(self, *args: object, **kwargs: object) -> object:
        self.calls.append(("request", args, kwargs))
        return types.SimpleNamespace(status=201, status_code=201, data=b"ok", content=b"ok")

    def clear(self) -> None:
        self.calls.append(("close", (), {}))

    close = clear


class _AsyncRecorder(_Recorder):
    async def request(self, *args: object, **kwargs: object) -> object:
        return super().request(*args, **kwargs)

    async def aclose(self) -> None:
        self.calls.append(("close", (), {}))


class _AiohttpSession(_Recorder):
    def request(self, *args: object, **kwargs: object) -> object:
        self.calls.append(("request", args, kwargs))

        class Response:
            status = 201

            async def read(self) -> bytes:
                return b"ok"

            async def __aenter__(self) -> Response:
                return self

            async def __aexit__(self, *exc: object) -> None:
                return None

        return Response()

    async def close(self) -> None:  # type: ignore[override]
        self.calls.append(("close", (), {}))


_FAKES = {
    "urllib3": types.SimpleNamespace(PoolManager=_Recorder),
    "requests": types.SimpleNamespace(Session=_Recorder),
    "httpx": types.SimpleNamespace(Client=_Recorder, AsyncClient=_AsyncRecorder),
    "aiohttp": types.SimpleNamespace(
        ClientSession=_AiohttpSession, ClientTimeout=lambda total: ("timeout", total)
    ),
}


@pytest.mark.parametrize(
    ("name", "module", "init", "options"),
    [
        ("urllib3", "urllib3", {"retries": False, "timeout": 2.0}, {"redirect": False}),
        ("requests", "requests", {}, {"timeout": 2.0, "allow_redirects": False}),
        ("httpx", "httpx", {"timeout": 2.0}, {}),
        ("httpx-async", "httpx", {"timeout": 2.0}, {}),
        ("aiohttp", "aiohttp", {"timeout": ("timeout", 2.0)}, {"allow_redirects": False}),
    ],
)
def test_named_clients_call_their_library_as_documented(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    module: str,
    init: dict[str, object],
    options: dict[str, object],
) -> None:
    monkeypatch.setitem(sys.modules, module, _FAKES[module])
    fetch, close, label = load_client(name, 2.0)
    assert label.startswith(module)
    result = fetch("http://127.0.0.1:1/case/first", method="HEAD")
    if inspect.isawaitable(result):

        async def both() -> object:
            answer = await result
            assert close is not None
            await close()
            return answer

        result = asyncio.run(both())
    else:
        assert close is not None
        close()
    assert result == (201, b"ok")
    calls = _Recorder.last.calls
    assert calls[0] == ("init", (), init)
    assert calls[1] == ("request", ("HEAD", "http://127.0.0.1:1/case/first"), options)
    assert calls[-1][0] == "close"


def test_a_named_client_that_is_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    with pytest.raises(ValueError, match="aiohttp is not installed"):
        load_client("aiohttp", 1.0)


def test_a_case_of_your_own(
    h11_client_probe: Callable[..., ClientCaseResult],
) -> None:
    mine = client_corpus.ClientCase(
        name="my_greeting",
        description="a response only this suite serves",
        response=b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        strict=Answer(200, b"hi"),
        tags=("mine",),
    )
    fetch, close, _ = load_client("h11_connection", TIMEOUT)
    try:
        result = h11_client_probe(fetch, mine, timeout=TIMEOUT)
    finally:
        assert close is not None
        close()
    assert result.verdict is ClientVerdict.SAFE, result.explain()
    assert result.arrivals[0].target == "/my_greeting/first"
    assert result.first is not None
    assert result.first.answer == Answer(200, b"hi")
