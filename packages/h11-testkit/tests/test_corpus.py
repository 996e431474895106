"""The corpus run against `h11.Connection`, plus checks of the corpus and its runner."""

from __future__ import annotations

import dataclasses
import importlib
from collections import Counter
from collections.abc import Callable
from types import ModuleType

import h11_connection as h11
import pytest
from h11_testkit import corpus
from h11_testkit.raw_client import RawClient
from h11_testkit.server import H11Server


def _params(cases: tuple[corpus.Case, ...], *, split: bool) -> list[object]:
    return [pytest.param(case, id=case.name) for case in cases]


def test_pypi_h11_is_installed_beside_the_testkit(pypi_h11: ModuleType) -> None:
    """nox runs this suite in a venv holding PyPI h11 too: the testkit must not pick it up."""
    assert pypi_h11.PRODUCT_ID.startswith("python-h11/")
    assert pypi_h11.Connection is not h11.Connection


@pytest.mark.parametrize("split", [False, True], ids=["one-read", "bytewise"])
@pytest.mark.parametrize(
    "case", corpus.REQUESTS + corpus.RESPONSES, ids=corpus.ids(corpus.REQUESTS + corpus.RESPONSES)
)
def test_h11_agrees_flags_match_pypi_h11(
    case: corpus.Case, split: bool, pypi_h11: ModuleType
) -> None:
    """`h11_agrees` / `h11_agrees_split` are what PyPI h11 0.16 really does."""
    agrees = corpus.run(case, split=split, h11_module=pypi_h11) == case.expected
    assert agrees == case.h11_agrees_when(split=split)


@pytest.mark.parametrize("case", _params(corpus.REQUESTS, split=False))
def test_request_case_in_one_read(case: corpus.Case) -> None:
    assert corpus.run(case) == case.expected


@pytest.mark.parametrize("case", _params(corpus.REQUESTS, split=True))
def test_request_case_byte_by_byte(case: corpus.Case) -> None:
    assert corpus.run(case, split=True) == case.expected


@pytest.mark.parametrize("case", _params(corpus.RESPONSES, split=False))
def test_response_case_in_one_read(case: corpus.Case) -> None:
    assert corpus.run(case) == case.expected


@pytest.mark.parametrize("case", _params(corpus.RESPONSES, split=True))
def test_response_case_byte_by_byte(case: corpus.Case) -> None:
    assert corpus.run(case, split=True) == case.expected


def test_corpus_size_and_kinds() -> None:
    assert len(corpus.REQUESTS) >= 60
    assert len(corpus.RESPONSES) >= 20
    assert {c.kind for c in corpus.REQUESTS} == {"request"}
    assert {c.kind for c in corpus.RESPONSES} == {"response"}


def test_names_are_unique_ids() -> None:
    for cases in (corpus.REQUESTS, corpus.RESPONSES):
        names = corpus.ids(cases)
        assert names == [c.name for c in cases]
        assert [n for n, k in Counter(names).items() if k > 1] == []
        assert all(n.isidentifier() for n in names)


def test_cases_are_frozen() -> None:
    case = corpus.REQUESTS[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.data = b"x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.expected.error = 400  # type: ignore[misc]


def test_cases_are_hashable_and_comparable() -> None:
    assert len(set(corpus.REQUESTS)) == len(corpus.REQUESTS)
    assert corpus.by_name("cl_te_both") in corpus.REQUESTS
    with pytest.raises(KeyError):
        corpus.by_name("no such case")


@pytest.mark.parametrize(
    "tag",
    [
        "smuggling",
        "cl-te",
        "te",
        "chunked",
        "trailers",
        "line-ends",
        "obs-fold",
        "control",
        "non-ascii",
        "oversize",
        "version",
        "pipelining",
        "content-length",
        "upgrade",
        "incomplete",
    ],
)
def test_every_attack_family_is_covered(tag: str) -> None:
    assert [c.name for c in corpus.REQUESTS if tag in c.tags]


def test_both_kinds_of_outcome_are_present() -> None:
    statuses = {c.expected.error for c in corpus.REQUESTS}
    assert {None, 400, 431, 501, 505} <= statuses


def test_outcomes_are_well_formed() -> None:
    """Terminal markers come last, and an error is never preceded by a terminal marker."""
    terminal = {corpus.CLOSED, corpus.MUST_CLOSE, corpus.PAUSED}
    for case in (*corpus.REQUESTS, *corpus.RESPONSES):
        events = case.expected.events
        assert all(e not in terminal for e in events[:-1]), case.name
        if case.expected.accepted:
            assert events, case.name
            assert events[-1] in terminal, case.name
        else:
            assert not events or events[-1] not in terminal, case.name


def test_check_reports_a_wrong_expectation() -> None:
    case = corpus.by_name("get")
    wrong = dataclasses.replace(case, expected=corpus.reject(400))
    problems = corpus.check(wrong)
    assert len(problems) == 2
    assert "in one read" in problems[0]
    assert "byte by byte" in problems[1]
    assert corpus.check(case) == []


def test_run_uses_the_given_module() -> None:
    """A module holding only a Connection drives the run, completed from ours."""
    made: list[object] = []

    def connection(*args: object, **kwargs: object) -> object:
        conn = h11.Connection(*args, **kwargs)  # type: ignore[arg-type]
        made.append(conn)
        return conn

    given = ModuleType("given")
    given.Connection = connection  # type: ignore[attr-defined]
    case = corpus.by_name("get")
    assert corpus.run(case, h11_module=given) == case.expected
    assert len(made) == 1
    assert corpus.run(case, h11_module=h11) == case.expected
    ours_only = corpus.by_name("content_length_too_big")
    assert corpus.run(ours_only) == ours_only.expected


def test_run_given_pypi_h11_gives_its_outcome(pypi_h11: ModuleType) -> None:
    ours_only = corpus.by_name("content_length_too_big")
    assert corpus.run(ours_only, h11_module=pypi_h11) != ours_only.expected


@pytest.mark.parametrize("name", ["corpus", "event_lists", "cost"])
def test_top_level_module_is_the_testkits(name: str) -> None:
    """The parser's and Connection's tests import these by their own names (see the root
    conftest): where the testkit is installed that is its module, one copy of each."""
    assert importlib.import_module(name) is importlib.import_module(f"h11_testkit.{name}")


def test_top_level_corpus_shares_the_testkits_tables() -> None:
    top_level_corpus = importlib.import_module("corpus")
    assert top_level_corpus.REQUESTS is corpus.REQUESTS
    assert top_level_corpus.Case is corpus.Case


def test_run_stops_at_must_close() -> None:
    """Bytes after a last request are never parsed, even if they are garbage."""
    case = dataclasses.replace(
        corpus.by_name("http10"), data=b"GET / HTTP/1.0\r\n\r\n\x00\x01garbage"
    )
    assert corpus.run(case) == case.expected


def test_summarize_rejects_unknown_events() -> None:
    with pytest.raises(TypeError):
        corpus.summarize(object(), h11)


#: Rejections that map onto one socket exchange with the testkit server.
SOCKET_CASES = [c for c in corpus.REQUESTS if not c.expected.accepted and c.max_head_size == 16384]


@pytest.mark.parametrize("case", SOCKET_CASES, ids=corpus.ids(SOCKET_CASES))
def test_rejected_case_over_a_socket(
    case: corpus.Case, h11_server: H11Server, h11_raw_client: Callable[..., RawClient]
) -> None:
    """The testkit server answers a rejected case with its status and then closes."""
    client = h11_raw_client(h11_server.host, h11_server.port)
    served_before = sum(1 for e in case.expected.events if e == corpus.END)
    client.send(case.data)
    client.shutdown_write()
    result = client.read_responses(served_before + 1, until_closed=True)
    assert result.status_codes == [200] * served_before + [case.expected.error]
    assert result.closed
