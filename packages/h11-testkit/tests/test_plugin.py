"""The pytest plugin as a downstream project sees it: installed, nothing else to do."""

from __future__ import annotations

import socket
import threading

import pytest

DOWNSTREAM = """
import http.client
import json
import pathlib
import urllib.request

import h11_connection as h11

from h11_testkit import corpus
from h11_testkit.pair import bytewise, merge_data


def test_pair_round_trip(h11_pair):
    request = h11.Request(method="GET", target="/", headers=[("Host", "example")])
    got = h11_pair.send(h11.CLIENT, request, h11.EndOfMessage(), split=bytewise)
    assert got == [request, h11.EndOfMessage()]
    response = h11.Response(status_code=200, headers=[("Content-Length", "2")])
    got = h11_pair.send(h11.SERVER, response, h11.Data(data=b"ok"), h11.EndOfMessage())
    assert merge_data(got) == [response, h11.Data(data=b"ok"), h11.EndOfMessage()]


def test_server_with_urllib(h11_server):
    h11_server.handler = lambda request, body: (200, [("X-Kind", "greeting")], b"hi " + body)
    req = urllib.request.Request(h11_server.url + "/greet", data=b"you", method="POST")
    with urllib.request.urlopen(req, timeout=5) as response:
        assert response.read() == b"hi you"
    [(request, body)] = h11_server.requests
    assert (request.method, request.target, body) == (b"POST", b"/greet", b"you")
    with pathlib.Path("ports.txt").open("a") as f:
        f.write(f"{h11_server.port}\\n")


def test_server_with_http_client_keep_alive(h11_server):
    conn = http.client.HTTPConnection(h11_server.host, h11_server.port, timeout=5)
    for path in ("/a", "/b"):
        conn.request("GET", path)
        assert conn.getresponse().read() == b""
    conn.request("POST", "/c", body=iter([b"x", b"y"]), encode_chunked=True,
                 headers={"Expect": "100-continue"})
    assert conn.getresponse().status == 200
    conn.close()
    assert [b for _, b in h11_server.requests] == [b"", b"", b"xy"]
    assert h11_server.connection_count == 1
    with pathlib.Path("ports.txt").open("a") as f:
        f.write(f"{h11_server.port}\\n")


def test_raw_client_against_server(h11_server, h11_raw_client):
    client = h11_raw_client(h11_server.host, h11_server.port)
    case = corpus.by_name("te_gzip")
    result = client.exchange(case.data, until_closed=True)
    assert result.status_codes == [case.expected.error]
    assert result.closed


def test_corpus_parametrizes(pytestconfig):
    assert len(corpus.REQUESTS) >= 60
"""


#: A downstream suite in a venv where `import h11` gives PyPI h11 (httpx, httpcore and the
#: like depend on it): the fixtures must still run this project's Connection.
DOWNSTREAM_BESIDE_PYPI_H11 = """
import h11
import h11_connection

from h11_testkit import corpus


def test_import_h11_is_pypi_h11():
    assert h11.PRODUCT_ID.startswith("python-h11/")
    assert h11.Connection is not h11_connection.Connection


def test_pair_runs_our_connection(h11_pair):
    assert type(h11_pair.client) is h11_connection.Connection
    assert type(h11_pair.server) is h11_connection.Connection
    request = h11_connection.Request(method="GET", target="/", headers=[("Host", "a")])
    assert h11_pair.send(h11_connection.CLIENT, request) == [request, h11_connection.EndOfMessage()]


def test_server_runs_our_connection(h11_server, h11_raw_client):
    # PyPI h11 accepts a control byte in a field value (h11_agrees=False); ours answers 400.
    case = corpus.by_name("value_soh")
    assert not case.h11_agrees
    client = h11_raw_client(h11_server.host, h11_server.port)
    result = client.exchange(case.data, until_closed=True)
    assert result.status_codes == [400]
    assert h11_server.requests == []
"""


def _server_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("h11-server-")]


def test_downstream_module_passes_without_leaks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_downstream=DOWNSTREAM)
    before = _server_threads()
    result = pytester.runpytest_inprocess("-W", "error")
    result.assert_outcomes(passed=5)
    assert _server_threads() == before
    ports = [int(p) for p in (pytester.path / "ports.txt").read_text().split()]
    assert len(ports) == 2
    for port in ports:
        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection(("127.0.0.1", port), timeout=5),
        ):
            pass


def test_downstream_module_passes_in_a_subprocess(pytester: pytest.Pytester) -> None:
    """The pytest11 entry point alone makes the fixtures available."""
    pytester.makepyfile(test_downstream=DOWNSTREAM)
    result = pytester.runpytest_subprocess("-W", "error", timeout=120)
    result.assert_outcomes(passed=5)


@pytest.mark.usefixtures("pypi_h11")
def test_fixtures_run_our_connection_beside_pypi_h11(pytester: pytest.Pytester) -> None:
    """With PyPI h11 installed (this suite's venv has it), the fixtures still run ours."""
    pytester.makepyfile(test_beside=DOWNSTREAM_BESIDE_PYPI_H11)
    result = pytester.runpytest_subprocess("-W", "error", timeout=120)
    result.assert_outcomes(passed=3)


def test_fixtures_come_from_the_registered_plugin(pytester: pytest.Pytester) -> None:
    listed = pytester.runpytest_subprocess("--fixtures", timeout=120)
    text = listed.stdout.str()
    for name in ("h11_pair", "h11_pair_factory", "h11_server", "h11_raw_client", "h11_probe"):
        assert name in text
    pytester.makepyfile(test_uses="def test_it(h11_pair):\n    pass\n")
    disabled = pytester.runpytest_subprocess("-p", "no:h11_testkit", timeout=120)
    disabled.assert_outcomes(errors=1)
    assert "fixture 'h11_pair' not found" in disabled.stdout.str()


def test_failing_downstream_test_still_stops_the_server(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fails="""
        import urllib.request

        def test_fails(h11_server):
            urllib.request.urlopen(h11_server.url, timeout=5).close()
            assert False, "downstream failure"
        """
    )
    before = _server_threads()
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(failed=1)
    assert _server_threads() == before


def test_probe_parametrisation_and_fixture_in_a_downstream_suite(pytester: pytest.Pytester) -> None:
    """The documented pattern: one test per corpus case against the user's own server."""
    pytester.makepyfile(
        test_my_server="""
        import pytest
        from h11_testkit.probe import Verdict, h11_probe_cases

        @pytest.fixture(scope="module")
        def my_server_url():
            from h11_testkit.server import H11Server
            with H11Server() as server:
                yield server.url

        @pytest.mark.parametrize("case", h11_probe_cases(only_families=["cl-te", "oversize"]))
        def test_framing(my_server_url, case, h11_probe):
            result = h11_probe(my_server_url, case)
            assert result.verdict is not Verdict.UNSAFE, result.explain()
        """
    )
    result = pytester.runpytest_inprocess("-W", "error", "-rs")
    result.assert_outcomes(passed=5, skipped=3)
    assert "1024-byte head limit" in result.stdout.str()


def test_pair_factory_passes_hypothesis_health_check(pytester: pytest.Pytester) -> None:
    """`h11_pair` in a @given test fails hypothesis's function-scoped fixture check; the
    session-scoped factory does not, and gives each example a fresh pair."""
    pytester.makepyfile(
        test_given="""
        import h11_connection as conn
        import h11_events as ev
        from hypothesis import given, settings, strategies as st

        @settings(max_examples=20, deadline=None)
        @given(st.binary(max_size=20))
        def test_with_factory(h11_pair_factory, body):
            pair = h11_pair_factory()
            request = ev.Request(method="POST", target="/", headers=[
                ("Host", "a"), ("Content-Length", str(len(body)))])
            got = pair.send(conn.CLIENT, request, ev.Data(data=body), ev.EndOfMessage())
            assert got[0] == request and got[-1] == ev.EndOfMessage()

        @settings(max_examples=5)
        @given(st.integers())
        def test_with_function_scoped_pair(h11_pair, n):
            pass
        """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=1, failed=1)
    assert "function_scoped_fixture" in result.stdout.str()
