"""Line ends (RFC 9112 2.2) through the h11 API: bare LF, bare CR, empty lines.

A server reads every line of a request (head, chunk, trailer) up to CRLF: a bare LF is 400
(llhttp strict), a bare CR too, with one verdict however the bytes arrive, also where the
size limit is near. A client takes a bare LF as a line end in a response, as h11 0.16 does.
Empty lines before a request line are skipped (RFC 9112 2.2). The standalone parsers'
checks are h11-parser's test_line_ends.py.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import (
    CHUNKED_REQUEST,
    DIFFERS,
    SMUGGLED,
    client_done,
    first_message_events,
    rejected,
)

# ---- bare LF: 400 in a request, a line end in a response -----------------------------------


@DIFFERS
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"GET / HTTP/1.1\nHost: a\n\n", id="bare-lf-head"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: a\r\n\n", id="bare-lf-head-end"),
        pytest.param(CHUNKED_REQUEST + b"0\r\n\n" + SMUGGLED, id="bare-lf-chunked-end"),
        pytest.param(CHUNKED_REQUEST + b"0\r\nX: y\n\r\n", id="bare-lf-trailer"),
    ],
)
def test_bare_lf_in_a_request_is_400(data: bytes) -> None:
    rejected(data, 400)


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\nContent-Length: 2\n\nhi",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX: a\n b\n\n",
    ],
    ids=["bare-lf", "chunked-trailer-lf-fold"],
)
@pytest.mark.parametrize("split", [False, True])
def test_bare_lf_in_a_response_is_a_line_end(data: bytes, split: bool) -> None:
    events = first_message_events(client_done(), data, split=split)
    assert [type(e) for e in events] == [h11.Response, h11.Data, h11.EndOfMessage]
    assert events[1] == h11.Data(data=b"hi")
