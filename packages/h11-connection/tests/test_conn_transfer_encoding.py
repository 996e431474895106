"""Transfer-Encoding (RFC 9112 6.1) through the h11 API: empty list members.

Refused in a request, as llhttp strict (a front end may not read such a field as chunked);
ignored in a response (RFC 9110 5.6.1). The standalone parsers' checks are h11-parser's
test_transfer_encoding.py.
"""

from __future__ import annotations

import h11_connection as h11
import pytest
from conn_support import (
    DIFFERS,
    first_message_events,
    rejected,
)


@DIFFERS
@pytest.mark.parametrize("value", [b",chunked", b"chunked,", b" , chunked", b"chunked\r\nTE2:"])
def test_empty_transfer_encoding_members_are_400_in_requests(value: bytes) -> None:
    """As llhttp strict (h11: 501); ``TE2:`` makes a second, empty field."""
    value = value.replace(b"TE2", b"Transfer-Encoding")
    data = (
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
        + value
        + b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    )
    for message in rejected(data, 400):
        assert "empty list member" in message


@DIFFERS
@pytest.mark.parametrize("value", [b",chunked", b"chunked,", b" , chunked"])
@pytest.mark.parametrize("split", [False, True])
def test_empty_transfer_encoding_members_are_ignored_in_responses(
    value: bytes, split: bool
) -> None:
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("Host", "a")]))
    client.send(h11.EndOfMessage())
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: " + value + b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    events = first_message_events(client, data, split=split)
    assert events[1:] == [h11.Data(data=b"hello"), h11.EndOfMessage()]
    assert client.their_state is h11.DONE
