"""The testkit's attack corpus through the standalone parsers, whole and byte by byte.

The corpus (``h11_testkit.corpus``) owns the cases and their strict outcomes; the
Connection meets the same cases in the connection and testkit suites. Here each case must
give the same events and the same error status from ``RequestParser``/``ResponseParser``,
and every rejection must say what was wrong (its message matches the case's tags).
"""

from __future__ import annotations

import re

import corpus
import pytest
from h11_events import NEED_DATA, RemoteProtocolError
from parser_support import (
    ABOUT_CHUNK,
    ABOUT_CONTENT_LENGTH,
    ABOUT_EOF,
    ABOUT_FIELD,
    ABOUT_HOST,
    ABOUT_LINE,
    ABOUT_REQUEST_LINE,
    ABOUT_SIZE,
    ABOUT_STATUS_LINE,
    ABOUT_TRANSFER_ENCODING,
    ABOUT_VERSION,
    Parser,
    drain,
    parse_case,
    parser_for,
)

#: What a rejection's message must mention, by the case's tags (any one of them).
ABOUT_TAG = {
    "content-length": ABOUT_CONTENT_LENGTH,
    "te": ABOUT_TRANSFER_ENCODING,
    "chunked": ABOUT_CHUNK,
    "trailers": ABOUT_FIELD,
    "headers": ABOUT_FIELD,
    "obs-fold": ABOUT_FIELD,
    "control": ABOUT_FIELD + "|" + ABOUT_LINE,
    "line-ends": ABOUT_LINE,
    "request-line": ABOUT_REQUEST_LINE,
    "status-line": ABOUT_STATUS_LINE,
    "version": ABOUT_VERSION,
    "oversize": ABOUT_SIZE,
    "incomplete": ABOUT_EOF,
    "host": ABOUT_HOST,
}


CASES = [
    pytest.param(case, id=f"{case.kind}-{case.name}")
    for case in (*corpus.REQUESTS, *corpus.RESPONSES)
]


@pytest.mark.parametrize("case", CASES)
def test_case_in_one_read(case: corpus.Case) -> None:
    assert parse_case(case) == case.expected


@pytest.mark.parametrize("case", CASES)
def test_case_byte_by_byte(case: corpus.Case) -> None:
    assert parse_case(case, split=True) == case.expected


REJECTIONS = [
    pytest.param(case, id=f"{case.kind}-{case.name}")
    for case in (*corpus.REQUESTS, *corpus.RESPONSES)
    if not case.expected.accepted
]


@pytest.mark.parametrize("case", REJECTIONS)
def test_rejection_says_what_was_wrong_and_sticks(case: corpus.Case) -> None:
    parser = parser_for(case)
    with pytest.raises(RemoteProtocolError) as info:
        feed_then_eof(parser, case.data)
    message = str(info.value)
    about = "|".join(ABOUT_TAG[tag] for tag in case.tags if tag in ABOUT_TAG)
    assert about, f"{case.name}: no tag says what the message should mention"
    assert re.search(about, message, re.IGNORECASE), f"{message!r} does not match {about!r}"
    # The error sticks: every later next_event() raises again.
    with pytest.raises(RemoteProtocolError):
        parser.next_event()


def feed_then_eof(parser: Parser, data: bytes) -> None:
    """Feed ``data``, then EOF, draining after each, until the parser stops."""
    for piece in (data, b""):
        parser.feed(piece)
        if drain(parser)[-1] is not NEED_DATA:
            return
