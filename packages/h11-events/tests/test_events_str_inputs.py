"""str field values and targets follow exactly the rules of their ASCII bytes.

str inputs have a fast path (printable text needs no pattern match); these
tests pin it to the bytes path: same result, same refusal, and non-ASCII text
is a UnicodeEncodeError whichever path it takes.
"""

from __future__ import annotations

import pytest
from h11_events import LocalProtocolError, Request, Response
from hypothesis import given
from hypothesis import strategies as st

# Printable and control ASCII, whitespace, DEL, and a few non-ASCII characters
# (printable and not), so that every branch of both paths is reached.
_TEXT = st.text(
    alphabet=st.sampled_from([*map(chr, range(0x80)), "é", "\u00a0", "\u0085", "☃"]),
    max_size=12,
)


def _response_headers(value: str | bytes) -> object:
    try:
        return Response(status_code=200, headers=[("X", value)]).headers.raw_items()
    except LocalProtocolError:
        return LocalProtocolError


def _request_target(target: str | bytes) -> object:
    try:
        return Request(method="GET", target=target, headers=[("Host", "a")]).target
    except LocalProtocolError:
        return LocalProtocolError


@given(_TEXT)
def test_str_value_behaves_as_its_ascii_bytes(text: str) -> None:
    if not text.isascii():
        with pytest.raises(UnicodeEncodeError):
            _response_headers(text)
        return
    assert _response_headers(text) == _response_headers(text.encode("ascii"))


@given(_TEXT)
def test_str_target_behaves_as_its_ascii_bytes(text: str) -> None:
    if not text.isascii():
        with pytest.raises(UnicodeEncodeError):
            _request_target(text)
        return
    assert _request_target(text) == _request_target(text.encode("ascii"))


@pytest.mark.parametrize(
    ("value", "stored"),
    [("a", b"a"), ("a b", b"a b"), (" a ", b"a"), ("a\tb", b"a\tb"), ("", b""), ("\t", b"")],
)
def test_str_values_accepted(value: str, stored: bytes) -> None:
    assert _response_headers(value) == [(b"X", stored)]


@pytest.mark.parametrize("value", ["a\x0b", "a\x00b", "a\r\nX: y", "a\nb", "\x0c"])
def test_str_values_with_nul_cr_lf_vt_ff_refused(value: str) -> None:
    assert _response_headers(value) is LocalProtocolError


@pytest.mark.parametrize("value", ["a\x7f", "\x1b[0m", "kUd\x01UpAt"])
def test_str_values_with_other_control_characters_accepted(value: str) -> None:
    assert _response_headers(value) == [(b"X", value.encode())]


@pytest.mark.parametrize("value", ["é", "a\u00a0", "\u2603"])
def test_non_ascii_str_value_is_unicode_error(value: str) -> None:
    with pytest.raises(UnicodeEncodeError):
        _response_headers(value)


@pytest.mark.parametrize("target", ["", " /", "/ ", "/a b", "/\t", "/\x7f", "/\x00"])
def test_str_targets_refused(target: str) -> None:
    assert _request_target(target) is LocalProtocolError


@pytest.mark.parametrize("target", ["/", "*", "/a?b=c#d", "example.com:443", "http://a/b"])
def test_str_targets_accepted(target: str) -> None:
    assert _request_target(target) == target.encode("ascii")
