"""Hypothesis properties: bodies and pipelines of any shape survive the round trip."""

from __future__ import annotations

import json
from collections.abc import Iterator

import client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rawhttp import TIMEOUT

# One server per test function serves every example; loopback I/O has no useful deadline.
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
pieces = st.lists(st.binary(max_size=3000), max_size=8)


@PROPERTY
@given(parts=pieces, streamed=st.booleans())
def test_echo_returns_exactly_what_was_sent(
    base_url: str, parts: list[bytes], streamed: bool
) -> None:
    def body() -> Iterator[bytes]:
        yield from parts

    payload = body() if streamed else b"".join(parts)
    response = client.fetch(base_url + "/echo", "POST", [], payload, timeout=TIMEOUT)
    assert response.status == 200
    assert response.body == b"".join(parts)


@PROPERTY
@given(parts=pieces)
def test_echo_through_the_proxy(base_url: str, proxy_url: str, parts: list[bytes]) -> None:
    def body() -> Iterator[bytes]:
        yield from parts

    with client.HTTPClient(TIMEOUT, proxy=proxy_url) as http:
        response = http.request("POST", base_url + "/echo", [], body())
    assert response.body == b"".join(parts)


requests = st.lists(
    st.sampled_from(
        [("GET", "/conn"), ("HEAD", "/conn"), ("GET", "/chunked?n=3"), ("HEAD", "/chunked")]
    ),
    min_size=1,
    max_size=10,
)


@PROPERTY
@given(batch=requests)
def test_pipelined_responses_match_requests(base_url: str, batch: list[tuple[str, str]]) -> None:
    responses = client.pipeline(base_url, batch, timeout=TIMEOUT)
    assert len(responses) == len(batch)
    connections = set()
    for position, ((method, path), response) in enumerate(
        zip(batch, responses, strict=True), start=1
    ):
        assert response.status == 200
        if method == "HEAD":
            assert response.body == b""
        elif path == "/conn":
            info = json.loads(response.body)
            assert info["request"] == position
            connections.add(info["connection"])
        else:
            assert response.body.count(b"\n") == 3
    assert len(connections) <= 1
