"""The live-server probe: judging from the server's side, the report, the command and fixtures.

Every server here runs on 127.0.0.1 inside the test: the testkit's own H11Server (strict,
so nothing may be unsafe) and tiny socket servers that misbehave on purpose.
"""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Callable, Iterator

import h11_connection
import pytest
from h11_testkit import corpus
from h11_testkit.__main__ import ProgressBar, main
from h11_testkit._families import families, is_framing_critical
from h11_testkit._verdict import Expectation, Observation, ObservedResponse, Verdict, judge
from h11_testkit.probe import (
    CaseResult,
    ProbeReport,
    h11_probe_cases,
    parse_responses,
    parse_url,
    probe,
    probe_case,
    select_cases,
    skip_reason,
)
from h11_testkit.server import H11Server

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
OK_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
BAD = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@pytest.fixture
def canned_server() -> Iterator[Callable[..., str]]:
    """`start(reply, *, close=True) -> url`: reads each connection to EOF, answers `reply`.

    With `close=False` the connection stays open after the reply (until the test ends).
    """
    stop = threading.Event()
    threads: list[threading.Thread] = []
    listeners: list[socket.socket] = []

    def start(reply: bytes, *, close: bool = True) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.05)
        listeners.append(listener)

        def serve_one(conn: socket.socket) -> None:
            with conn:
                conn.settimeout(5)
                while conn.recv(65536):
                    pass
                conn.sendall(reply)
                if not close:
                    stop.wait(10)

        def accept() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                thread = threading.Thread(target=serve_one, args=(conn,))
                thread.start()
                threads.append(thread)

        thread = threading.Thread(target=accept)
        thread.start()
        threads.append(thread)
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    stop.set()
    for listener in listeners:
        listener.close()
    for thread in threads:
        thread.join(10)


def _seen(*responses: ObservedResponse, closed: bool = True, **kw: object) -> Observation:
    return Observation(responses=list(responses), closed=closed, **kw)  # type: ignore[arg-type]


def _r(status: int = 200, *, keep_alive: bool = False, complete: bool = True) -> ObservedResponse:
    return ObservedResponse(status, b"", b"1.1", keep_alive=keep_alive, complete=complete)


# --- judging ------------------------------------------------------------------------------


def test_expectation_counts_served_requests_and_rejection_stage() -> None:
    smuggled = Expectation.of(corpus.by_name("cl_te_smuggled_request"))
    assert (smuggled.served, smuggled.must_close, smuggled.framing_critical) == (1, True, True)
    in_body = Expectation.of(corpus.by_name("chunk_size_plus"))
    assert (in_body.served, in_body.error, in_body.rejects_in_body) == (0, 400, True)
    in_head = Expectation.of(corpus.by_name("content_length_plus"))
    assert (in_head.served, in_head.rejects_in_body) == (0, False)
    assert Expectation.of(corpus.by_name("upgrade")).switches


def test_serving_a_smuggled_request_is_unsafe() -> None:
    verdict, why = judge(corpus.by_name("cl_te_smuggled_request"), _seen(_r(), _r()))
    assert verdict is Verdict.UNSAFE
    assert "sent 2 answers" in why


def test_a_smuggled_request_answered_404_still_counts() -> None:
    case = corpus.by_name("cl_te_smuggled_request")
    assert judge(case, _seen(_r(), _r(404)))[0] is Verdict.UNSAFE


def test_an_unparsable_answer_to_body_bytes_counts() -> None:
    """http.server ignores chunked: it answers the POST, then the body as a request."""
    seen = parse_responses(OK + b"<html>Bad request syntax ('5')</html>", _CHUNKED, eof=True)
    verdict, why = judge(_CHUNKED, seen)
    assert verdict is Verdict.UNSAFE
    assert "sent 2 answers where a strict server sends at most 1" in why
    # a malformed answer alone is only a refusal
    alone = parse_responses(b"<html>no</html>", _CHUNKED, eof=True)
    assert judge(_CHUNKED, alone)[0] is Verdict.REJECTED


_CHUNKED = corpus.by_name("post_chunked")


def test_serving_a_request_with_rejected_framing_and_keeping_the_connection_is_unsafe() -> None:
    plus = corpus.by_name("content_length_plus")
    verdict, why = judge(plus, _seen(_r(keep_alive=True)))
    assert verdict is Verdict.UNSAFE
    assert "kept the connection" in why
    assert judge(corpus.by_name("te_gzip"), _seen(_r(keep_alive=True)))[0] is Verdict.UNSAFE
    lingering = _seen(_r(), closed=False, timed_out=True)
    assert judge(plus, lingering)[0] is Verdict.UNSAFE
    # closed with the answer: nothing can follow it on that connection
    verdict, why = judge(plus, _seen(_r()))
    assert verdict is Verdict.LENIENT
    assert "connection ended with it" in why


def test_serving_a_rejected_request_without_framing_at_stake_is_lenient() -> None:
    verdict, why = judge(corpus.by_name("value_nul"), _seen(_r()))
    assert verdict is Verdict.LENIENT
    assert "rejects with 400" in why


def test_an_answer_before_an_invalid_body_is_not_held_against_the_server() -> None:
    case = corpus.by_name("chunk_size_plus")
    assert judge(case, _seen(_r(405)))[0] is Verdict.REJECTED
    assert judge(case, _seen(_r(200, keep_alive=True)))[0] is Verdict.REJECTED
    # ... but taking the bytes after it for a request is unsafe
    assert judge(case, _seen(_r(200), _r(200)))[0] is Verdict.UNSAFE
    # ... and so is keeping the connection once every byte and EOF arrived: the body
    # whose framing is disputed was taken
    kept = _seen(_r(200, keep_alive=True), closed=False, timed_out=True)
    verdict, why = judge(case, kept)
    assert verdict is Verdict.UNSAFE
    assert "kept the connection open" in why
    not_framing = corpus.by_name("trailer_space_before_colon")
    assert judge(not_framing, kept)[0] is Verdict.LENIENT


def test_keeping_the_connection_after_cl_and_te_is_unsafe() -> None:
    case = corpus.by_name("cl_te_both")
    verdict, why = judge(case, _seen(_r(keep_alive=True)))
    assert verdict is Verdict.UNSAFE
    assert "Connection: close" in why
    assert judge(case, _seen(_r(), closed=False, timed_out=True))[0] is Verdict.UNSAFE
    assert judge(case, _seen(_r()))[0] is Verdict.SERVED
    assert judge(case, _seen(_r(400)))[0] is Verdict.REJECTED


def test_rejections_and_silence() -> None:
    assert judge(corpus.by_name("te_gzip"), _seen(_r(501)))[0] is Verdict.REJECTED
    assert judge(corpus.by_name("te_gzip"), _seen())[0] is Verdict.REJECTED
    verdict, why = judge(corpus.by_name("get"), _seen(_r(400)))
    assert (verdict, "stricter" in why) == (Verdict.REJECTED, True)
    silent = _seen(closed=False, timed_out=True)
    assert judge(corpus.by_name("te_gzip"), silent)[0] is Verdict.TIMEOUT
    assert judge(corpus.by_name("get"), silent)[0] is Verdict.TIMEOUT


def test_served_pipelined_requests_and_incomplete_responses() -> None:
    case = corpus.by_name("pipelined_gets")
    assert judge(case, _seen(_r(), _r(404)))[0] is Verdict.SERVED
    # a response cut off before its end does not serve the request
    assert judge(case, _seen(_r(), _r(complete=False)))[0] is Verdict.REJECTED


def test_protocol_switch_declined_or_taken() -> None:
    case = corpus.by_name("upgrade")
    assert judge(case, _seen(_r(101), switched=True))[0] is Verdict.SERVED
    assert judge(case, _seen(_r(200), _r(400)))[0] is Verdict.SERVED
    assert judge(case, _seen(_r(200), _r(400), _r(200)))[0] is Verdict.UNSAFE


def test_no_connection_is_an_error() -> None:
    seen = Observation(connect_error="ConnectionRefusedError: refused")
    verdict, why = judge(corpus.by_name("get"), seen)
    assert (verdict, "refused" in why) == (Verdict.ERROR, True)


# --- parsing what came back ----------------------------------------------------------------


def test_parse_pipelined_responses_and_keep_alive() -> None:
    seen = parse_responses(OK + OK_CLOSE, corpus.by_name("pipelined_gets"), eof=True)
    assert [(r.status, r.complete, r.keep_alive) for r in seen.responses] == [
        (200, True, True),
        (200, True, False),
    ]
    assert seen.closed
    assert seen.parse_error is None


def test_parse_http10_and_incomplete_and_garbage() -> None:
    case = corpus.by_name("get")
    old = parse_responses(b"HTTP/1.0 200 OK\r\n\r\nbody", case, eof=True)
    assert [(r.status, r.complete, r.keep_alive) for r in old.responses] == [(200, True, False)]
    cut = parse_responses(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nbody", case, eof=True)
    assert [r.complete for r in cut.responses] == [False]
    assert cut.parse_error is not None
    garbage = parse_responses(OK + b"<html>error</html>", case, eof=True)
    assert [r.status for r in garbage.completed] == [200, 0]
    assert garbage.completed[1].unparsable
    assert "not an HTTP/1.1 response" in garbage.describe()
    assert garbage.parse_error is not None


def test_parse_switches() -> None:
    upgrade = (
        b"HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"
    )
    seen = parse_responses(upgrade + b"\x81\x00", corpus.by_name("upgrade"), eof=False)
    assert seen.switched
    assert [r.status for r in seen.completed] == [101]
    tunnel = parse_responses(
        b"HTTP/1.1 200 OK\r\n\r\n\x16\x03", corpus.by_name("connect"), eof=False
    )
    assert tunnel.switched
    assert [r.status for r in tunnel.completed] == [200]


def test_parse_nothing_then_eof_is_a_clean_close() -> None:
    seen = parse_responses(b"", corpus.by_name("eof_only"), eof=True)
    assert (seen.responses, seen.closed, seen.parse_error) == ([], True, None)


# --- selection, families, urls -------------------------------------------------------------


def test_families_come_from_tags() -> None:
    assert families(("te", "smuggling")) == ("smuggling", "te")
    assert families(()) == ("basic",)
    assert families(("brand-new-tag",)) == ("brand-new-tag",)
    assert is_framing_critical(("cl-te",))
    assert not is_framing_critical(("headers",))


def test_selection_and_skips() -> None:
    assert [c.name for c in select_cases(names=["get", "te_gzip"])] == ["get", "te_gzip"]
    with pytest.raises(ValueError, match="no_such_case"):
        select_cases(names=["no_such_case"])
    cl_te = select_cases(only_families=["cl-te"])
    assert cl_te
    assert all("cl-te" in c.tags for c in cl_te)
    assert "1024-byte head limit" in str(skip_reason(corpus.by_name("oversize_head")))
    assert skip_reason(corpus.by_name("oversize_head"), head_limit=1024) is None
    assert "response" in str(skip_reason(corpus.RESPONSES[0]))


def test_urls() -> None:
    assert parse_url("http://127.0.0.1:8000/x") == ("127.0.0.1", 8000)
    assert parse_url("localhost:81") == ("localhost", 81)
    assert parse_url("http://[::1]") == ("::1", 80)
    with pytest.raises(ValueError, match="only http"):
        parse_url("https://example.com")


def test_h11_probe_cases_marks_skips() -> None:
    params = h11_probe_cases()
    assert len(params) == len(corpus.REQUESTS)
    by_id = {p.id: p for p in params}
    assert by_id["get"].values == (corpus.by_name("get"),)
    assert not by_id["get"].marks
    assert by_id["oversize_head"].marks[0].name == "skip"
    folded = h11_probe_cases(only_families=["obs-fold"])
    assert folded
    assert all("obs-fold" in p.values[0].tags for p in folded)
    assert len(folded) == sum("obs-fold" in c.tags for c in corpus.REQUESTS)


# --- against live servers ------------------------------------------------------------------


def test_whole_corpus_against_the_strict_test_server() -> None:
    with H11Server(timeout=5) as server:
        report = probe(server.url, timeout=5)
    counts = report.counts()
    assert report.unsafe == [], "\n\n".join(r.explain() for r in report.unsafe)
    assert counts[Verdict.SKIPPED] == 3
    assert counts[Verdict.SERVED] > 30
    assert counts[Verdict.REJECTED] > 30
    assert counts[Verdict.TIMEOUT] == counts[Verdict.ERROR] == counts[Verdict.LENIENT] == 0
    assert report.exit_status == 0
    text = report.render()
    assert text.splitlines()[-1] == report.summary_line()
    assert "cl-te" in text
    assert "0 unsafe" in report.summary_line()
    data = json.loads(json.dumps(report.to_json()))
    assert data["summary"]["unsafe"] == 0
    assert data["summary"]["cases"] == len(corpus.REQUESTS)
    assert data["families"]["cl-te"]["cases"] == len(select_cases(only_families=["cl-te"]))


def test_a_server_answering_twice_is_caught(canned_server: Callable[..., str]) -> None:
    url = canned_server(OK + OK)
    result = probe_case(url, corpus.by_name("get"), timeout=5)
    assert result.verdict is Verdict.UNSAFE
    text = result.explain()
    assert "GET / HTTP/1.1" in text
    assert "200 OK (keep-alive), 200 OK (keep-alive)" in text


def test_a_server_that_never_closes_times_out(canned_server: Callable[..., str]) -> None:
    url = canned_server(b"", close=False)
    result = probe_case(url, corpus.by_name("te_gzip"), timeout=0.5)
    assert result.verdict is Verdict.TIMEOUT
    assert result.observation is not None
    assert result.observation.timed_out
    assert result.elapsed < 3


def test_skipped_case_is_not_sent() -> None:
    result = probe_case("http://127.0.0.1:9", corpus.by_name("oversize_head"))
    assert (result.verdict, result.observation) == (Verdict.SKIPPED, None)


def test_command_exit_status_and_json(
    canned_server: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = canned_server(OK + OK)
    assert main(["probe", url, "--case", "get", "--json", "--no-progress"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["exit_status"] == 1
    assert [c["verdict"] for c in data["cases"]] == ["unsafe"]
    assert data["cases"][0]["strict"]["serves"] == 1
    assert [r["status"] for r in data["cases"][0]["answered"]["responses"]] == [200, 200]
    with H11Server() as server:
        assert main(["probe", server.url, "--family", "cl-te", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "cl-te" in out
    assert "0 unsafe" in out.splitlines()[-1]


def test_command_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]  # closed below: nothing listens there
    assert main(["probe", f"http://127.0.0.1:{port}", "--case", "get", "--no-progress"]) == 2
    assert "cannot connect" in capsys.readouterr().err
    assert main(["probe", "https://127.0.0.1:1"]) == 2
    assert main(["probe", "127.0.0.1:1", "--timeout", "0"]) == 2


def test_progress_bar() -> None:
    stream = io.StringIO()
    bar = ProgressBar(2, stream)
    case = corpus.by_name("get")
    bar(CaseResult(case, Verdict.SERVED, ""))
    bar(CaseResult(case, Verdict.UNSAFE, ""))
    bar.finish()
    text = stream.getvalue()
    assert "1/2 cases, 0 unsafe" in text
    assert "2/2 cases, 1 unsafe" in text
    assert text.endswith("\r")


# --- point 4: what a new user hit ------------------------------------------------------------


def test_corpus_runs_on_the_h11_connection_namespace() -> None:
    for case in (*corpus.REQUESTS, *corpus.RESPONSES):
        assert corpus.run(case, h11_module=h11_connection) == corpus.run(case), case.name


def test_a_server_that_lingers_after_eof_is_noted(canned_server: Callable[..., str]) -> None:
    url = canned_server(OK, close=False)
    report = probe(url, cases=[corpus.by_name("get")], timeout=0.5)
    [result] = report.results
    assert result.verdict is Verdict.SERVED
    assert result.observation is not None
    assert result.observation.timed_out
    assert "still open at the timeout" in result.observation.describe()
    assert "kept the connection open after the client's EOF" in report.render()


def test_probe_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="timeout"):
        probe("http://127.0.0.1:1", timeout=0)
    with pytest.raises(ValueError, match="concurrency"):
        probe("http://127.0.0.1:1", concurrency=0)
    with pytest.raises(ValueError, match="no host"):
        parse_url("http://:80/")


def test_corpus_run_names_what_a_module_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    empty = types.ModuleType("not_h11")
    # everything comes from this project's packages when the module has nothing ...
    case = corpus.by_name("get")
    assert corpus.run(case, h11_module=empty) == case.expected
    # ... but a name nobody has is an error that says which
    monkeypatch.setattr(corpus, "_RUNNER_NAMES", (*corpus._RUNNER_NAMES, "NoSuchName"))
    with pytest.raises(AttributeError, match="not_h11 has no NoSuchName"):
        corpus.run(case, h11_module=empty)


def test_an_answer_to_a_rejected_connect_is_read_as_a_tunnel() -> None:
    """connect_origin_form has no request a strict server sees; a 200 to it is a tunnel."""
    case = corpus.by_name("connect_origin_form")
    assert case.data.startswith(b"CONNECT ")
    seen = parse_responses(b"HTTP/1.1 200 OK\r\n\r\n", case, eof=False)
    assert seen.switched
    assert [r.status for r in seen.completed] == [200]


# --- the probe never passes by accident -----------------------------------------------------


def test_nothing_listening_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]  # closed below: nothing listens there
    assert main(["probe", f"http://127.0.0.1:{port}", "--no-progress"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith("error: cannot connect to 127.0.0.1:")
    assert line.count("ConnectionRefusedError") == 1


def test_an_unknown_host_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probe", "notaurl.invalid", "--no-progress", "--timeout", "1"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith("error: cannot connect to notaurl.invalid:80")


def test_a_run_where_no_case_reached_a_verdict_exits_2(
    canned_server: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = canned_server(b"", close=False)  # accepts, never answers, never closes
    argv = ["probe", url, "--case", "te_gzip", "--case", "get", "--timeout", "0.3"]
    assert main([*argv, "--no-progress"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    [line] = err.splitlines()
    assert "no case reached" in line
    assert "2 timeout" in line
    report = probe(url, cases=[corpus.by_name("get")], timeout=0.3)
    assert report.exit_status == 2
    assert report.unjudged_reason() is not None
    assert report.to_json()["exit_status"] == 2


def test_a_judged_run_has_no_unjudged_reason(canned_server: Callable[..., str]) -> None:
    url = canned_server(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
    report = probe(url, cases=[corpus.by_name("get"), corpus.by_name("te_gzip")], timeout=3)
    assert report.counts()[Verdict.REJECTED] == 2
    assert report.unjudged_reason() is None
    assert report.exit_status == 0


def test_error_lines_say_their_reason_once() -> None:
    from h11_testkit._report import render

    seen = Observation(connect_error="ConnectionRefusedError: refused")
    case = corpus.by_name("get")
    verdict, why = judge(case, seen)
    report = ProbeReport("http://x", [CaseResult(case, verdict, why, seen)])
    lines = [line for line in render(report).splitlines() if "refused" in line]
    assert lines
    assert all(line.count("ConnectionRefusedError") == 1 for line in lines)


def test_json_into_a_closed_pipe_is_no_traceback() -> None:
    import os
    import subprocess
    import sys

    with (
        H11Server(timeout=5) as server,
        subprocess.Popen(
            [sys.executable, "-m", "h11_testkit", "probe", server.url, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        ) as process,
    ):
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.read(100)  # `| head -c 100`: then the reader goes away
        process.stdout.close()
        err = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert first.startswith(b"{")
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert status == 0


# --- figures quoted in the docs come from the code ------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]


def test_readme_figures_say_what_they_were_measured_with() -> None:
    """The README quotes no corpus size as a fact; its measured reports say their date and size.

    Sizes change with every case added: the docs page computes them at build time, and a
    measured report states the corpus it ran, so neither goes stale silently.
    """
    import re

    text = (ROOT / "packages" / "h11-testkit" / "README.md").read_text()
    assert not re.search(r"`corpus\.(REQUESTS|RESPONSES)` \(\d+", text)
    reports = re.findall(r"(\d+) request cases, timeout", text)
    summaries = re.findall(r"http://127\.0\.0\.1:\d+: (\d+) cases,", text)
    stated = re.findall(r"measured \d{4}-\d\d-\d\d(?: with the|,) (\d+) request\s+cases", text)
    assert reports
    assert summaries
    assert len(stated) == 2
    assert len(set(reports + summaries + stated)) == 1


def test_the_docs_page_takes_its_figures_from_conf_py() -> None:
    import re

    page = (ROOT / "docs" / "testkit.md").read_text()
    conf = (ROOT / "docs" / "conf.py").read_text()
    used = set(re.findall(r"\{\{ (\w+) \}\}", page))
    assert used >= {"testkit_request_cases", "testkit_client_cases"}
    assert all(f'"{name}"' in conf for name in used)
    assert not re.search(r"\b1[45]\d request cases\b", page)


def _page_blocks(kind: str) -> list[str]:
    import re

    page = (ROOT / "docs" / "testkit.md").read_text()
    return re.findall(r"```" + re.escape(kind) + r"\n(.*?)```", page, re.S)


@pytest.mark.parametrize("number", range(3))
def test_the_docs_page_doctests_run_as_pasted(number: int) -> None:
    """Each sample in its own namespace, beside whatever `import h11` gives (PyPI's here)."""
    import doctest

    blocks = _page_blocks("{doctest}")
    assert len(blocks) == 3
    test = doctest.DocTestParser().get_doctest(blocks[number], {}, "testkit.md", None, 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.tries
    assert runner.failures == 0


def test_the_docs_page_python_samples_import_what_they_use() -> None:
    import ast

    blocks = _page_blocks("python")
    assert len(blocks) >= 4
    for block in blocks:
        tree = ast.parse(block)
        imported = {
            (alias.asname or alias.name).split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        used_modules = {
            node.value.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        }
        for name in ("h11", "pytest", "corpus", "httpx", "urllib3"):
            assert name not in used_modules or name in imported, (name, block)
