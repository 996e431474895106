"""What a RequestParser accepts and rejects, row by row of the strictness table (issue #3).

The attacks the testkit corpus holds are run from there (test_parser_corpus.py, with the
same checks); the rows here are the variants around them.

Every rejection is a RemoteProtocolError with the status a server should answer
(400, 501, 505) and a message that says what was wrong; each is checked with
the bytes arriving whole and byte by byte. Framing confusion is what matters
most here: each accepted row also pins down how the body was framed.
"""

from __future__ import annotations

import pytest
from h11_events import NEED_DATA
from h11_parser import RequestParser
from parser_support import (
    ABOUT_FIELD,
    assert_rejected,
    eom,
    ok_request,
    parse_request,
    request_head,
)

# ---- header values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (b"X-A: a\tb", b"a\tb"),
        (b"X-A: caf\xc3\xa9 \x80\xff", b"caf\xc3\xa9 \x80\xff"),
        (b"X-A:   padded  ", b"padded"),
        (b"X-A:\ttabbed\t", b"tabbed"),
        (b"X-A:", b""),
        (b"X-A: \t ", b""),
        (b"X-A:no-space", b"no-space"),
        (b'X-A: !#$%&()*+,-./:;<=>?@[\\]^_`{|}~"', b'!#$%&()*+,-./:;<=>?@[\\]^_`{|}~"'),
    ],
    ids=[
        "htab",
        "obs-text",
        "ows-stripped",
        "htab-stripped",
        "empty",
        "only-ows",
        "no-ows",
        "vchar",
    ],
)
def test_field_value_accepted(line: bytes, value: bytes) -> None:
    assert parse_request(request_head(line)) == [ok_request((b"X-A", value)), eom(), NEED_DATA]


@pytest.mark.parametrize(
    "value",
    [
        *(b"a%cb" % c for c in [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F]),
        b"\x00",
        b"a\x7f",
        b"\x01a",
    ],
)
def test_control_byte_in_field_value_is_400(value: bytes) -> None:
    assert_rejected(RequestParser, request_head(b"X-A: " + value), 400, ABOUT_FIELD)


@pytest.mark.parametrize(
    "line",
    [
        b"X-A  :b",
        b"X A: b",
        b"X-A",
        b"X-A\x00: b",
        b"X-A: a\nb",
    ],
    ids=[
        "sps-before-colon",
        "space-in-name",
        "bare-name",
        "nul-in-name",
        "lf-splits-value",
    ],
)
def test_bad_field_line_is_400(line: bytes) -> None:
    assert_rejected(RequestParser, request_head(line), 400, ABOUT_FIELD)


# ---- line ends ----------------------------------------------------------------------------


# ---- Content-Length -----------------------------------------------------------------------


# ---- Transfer-Encoding --------------------------------------------------------------------


# ---- chunked framing ----------------------------------------------------------------------


# ---- request line -------------------------------------------------------------------------


# ---- classic smuggling shapes ---------------------------------------------------------------
