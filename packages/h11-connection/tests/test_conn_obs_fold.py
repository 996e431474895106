"""obs-fold (RFC 9112 5.2) through the h11 API: 400 in a request, one SP in a response.

A server refuses a folded line anywhere in a request (head or trailer), as llhttp strict mode
does: folding a framing field is how TE.CL desyncs are built. A client unfolds a response's
as h11 0.16 does. Each input is read whole and byte by byte. The standalone parsers' checks
are h11-parser's test_obs_fold.py.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import (
    CHUNKED_REQUEST,
    DIFFERS,
    client_done,
    first_message_events,
    rejected,
)


@DIFFERS
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: a\r\nFoo: bar\r\n Transfer-Encoding: chunked\r\n\r\n"
            b"0\r\n\r\n",
            id="obs-fold-te",
        ),
        pytest.param(CHUNKED_REQUEST + b"0\r\nX: y\r\n z\r\n\r\n", id="obs-fold-trailer"),
    ],
)
def test_obs_fold_in_a_request_is_400(data: bytes) -> None:
    rejected(data, 400)


@pytest.mark.parametrize("split", [False, True])
def test_obs_fold_in_a_response_is_one_space(split: bool) -> None:
    data = b"HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 2\r\n\r\nhi"
    events = first_message_events(client_done(), data, split=split)
    assert [type(e) for e in events] == [h11.Response, h11.Data, h11.EndOfMessage]
    assert list(events[0].headers) == [(b"x-a", b"b c"), (b"content-length", b"2")]
    assert events[1] == h11.Data(data=b"hi")
