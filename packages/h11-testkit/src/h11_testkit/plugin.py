"""pytest fixtures, registered through the `pytest11` entry point `h11_testkit.plugin`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from h11_testkit.pair import H11Pair
from h11_testkit.raw_client import RawClient
from h11_testkit.server import H11Server

if TYPE_CHECKING:  # the probes (and asyncio) load only when a test asks for them
    from h11_testkit.client_corpus import ClientCase
    from h11_testkit.client_probe import ClientCaseResult, HostileServer
    from h11_testkit.corpus import Case
    from h11_testkit.probe import CaseResult


@pytest.fixture
def h11_pair() -> H11Pair:
    """A fresh in-memory client/server pair of `h11.Connection`s (an `H11Pair`).

    Use ``h11_pair.send(h11.CLIENT, *events, split=bytewise)``. Function-scoped, so
    hypothesis refuses it in a `@given` test (one pair would be shared by every
    example): use `h11_pair_factory` there.
    """
    return H11Pair()


@pytest.fixture(scope="session")
def h11_pair_factory() -> Callable[..., H11Pair]:
    """`H11Pair` itself, session-scoped: call it for a fresh pair in each hypothesis example.

    ``h11_pair_factory(max_incomplete_event_size=...)`` takes `H11Pair`'s parameters.
    """
    return H11Pair


@pytest.fixture
def h11_probe() -> Callable[..., CaseResult]:
    """`(url, case, *, timeout=3.0, head_limit=16384) -> CaseResult`: one corpus case sent
    to the live server at `url` and judged (see `h11_testkit.probe`).

    The function it gives takes `probe_case`'s parameters: ``url`` (``http://host:port``),
    ``case`` (a corpus `Case`, e.g. from ``h11_probe_cases()``), ``timeout`` (seconds for
    the case) and ``head_limit`` (the server's head limit in bytes). A case that does not
    apply to that limit is skipped with the reason.
    """

    from h11_testkit.probe import DEFAULT_HEAD_LIMIT, DEFAULT_TIMEOUT, probe_case

    def run(
        url: str,
        case: Case,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        head_limit: int = DEFAULT_HEAD_LIMIT,
    ) -> CaseResult:
        result = probe_case(url, case, timeout=timeout, head_limit=head_limit)
        if result.observation is None:
            pytest.skip(f"{case.name}: {result.reason}")
        return result

    return run


@pytest.fixture
def h11_server() -> Iterator[H11Server]:
    """A running HTTP/1.1 server on 127.0.0.1 (an `H11Server`), stopped (threads joined)
    after the test.

    Set ``h11_server.handler`` (`(request, body) -> (status, headers, body)`), point the
    client under test at ``h11_server.url``, then inspect ``h11_server.requests``.
    """
    server = H11Server().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def h11_raw_client() -> Iterator[Callable[..., RawClient]]:
    """Factory `(host, port, *, timeout=5.0) -> RawClient`; every client is closed afterwards.

    The factory takes `RawClient`'s parameters: ``host`` and ``port`` of the server
    under test, and ``timeout`` (seconds for connecting and for each read).
    """
    clients: list[RawClient] = []

    def make(host: str, port: int, *, timeout: float = 5.0) -> RawClient:
        client = RawClient(host, port, timeout=timeout)
        clients.append(client)
        return client

    try:
        yield make
    finally:
        for client in clients:
            client.close()


@pytest.fixture
def h11_hostile_server() -> Iterator[HostileServer]:
    """A `HostileServer` on 127.0.0.1 serving the client corpus, stopped after the test.

    ``h11_hostile_server.url_for(case)`` is the URL of a case's hostile response,
    ``url_for(case, "next")`` of the plain request that follows it;
    ``arrivals_for(case)`` lists the requests it saw, with their connections.
    """
    from h11_testkit.client_probe import HostileServer

    server = HostileServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def h11_client_probe(h11_hostile_server: HostileServer) -> Callable[..., ClientCaseResult]:
    """`(fetch, case, *, timeout=3.0) -> ClientCaseResult`: one hostile response of the
    client corpus served to your client through `fetch`, and judged.

    `fetch(url)` (or `fetch(url, method=...)`, sync or async) makes a request with the
    client under test and returns ``(status, body)``, raising when the client refuses the
    response; `timeout` is the client's own timeout in seconds. Keep the client's pool
    between calls: connection reuse is judged. A HEAD case with a fetch that takes no
    ``method`` is skipped with the reason.
    """
    from h11_testkit.client_probe import DEFAULT_TIMEOUT, ClientVerdict, probe_client_case

    def run(fetch: Any, case: ClientCase, *, timeout: float = DEFAULT_TIMEOUT) -> ClientCaseResult:
        h11_hostile_server.timeout = timeout
        result = probe_client_case(fetch, case, server=h11_hostile_server, timeout=timeout)
        if result.verdict is ClientVerdict.SKIPPED:
            pytest.skip(f"{case.name}: {result.reason}")
        return result

    return run
