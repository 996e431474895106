"""Hypothesis properties of event validation: whole byte classes, not samples."""

from __future__ import annotations

import string

from h11_events import LocalProtocolError, Request, Response
from hypothesis import given
from hypothesis import strategies as st

TCHARS = b"!#$%&'*+-.^_`|~" + (string.ascii_letters + string.digits).encode()
NON_TCHARS = bytes(b for b in range(256) if b not in TCHARS)
#: What no value we send may hold: NUL, LF, VT, FF and CR (as h11 0.16); other control
#: bytes pass (a proxy forwards the cookies real servers set).
REFUSED_IN_VALUE = b"\x00\n\x0b\x0c\r"
TOLERATED_CONTROL = bytes([*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F])
VALUE_INNER = bytes(b for b in range(256) if b not in REFUSED_IN_VALUE)  # includes SP and HTAB
VISIBLE = bytes(b for b in range(256) if b not in REFUSED_IN_VALUE and b not in b" \t")
TARGET_OK = bytes(range(0x21, 0x7F))
TARGET_BAD = bytes(b for b in range(256) if b not in TARGET_OK)

tokens = st.binary(min_size=1, max_size=20).map(lambda b: bytes(TCHARS[x % len(TCHARS)] for x in b))


def from_alphabet(
    alphabet: bytes, min_size: int = 0, max_size: int = 20
) -> st.SearchStrategy[bytes]:
    """Byte strings drawn from ``alphabet`` only."""
    return st.lists(st.sampled_from(alphabet), min_size=min_size, max_size=max_size).map(bytes)


def rejects(**fields: object) -> bool:
    """Whether building the request raises LocalProtocolError."""
    base: dict[str, object] = {"method": b"GET", "target": b"/", "headers": [(b"Host", b"a")]}
    base.update(fields)
    try:
        Request(**base)  # type: ignore[arg-type]
    except LocalProtocolError:
        return True
    return False


@given(tokens)
def test_any_token_method_accepted(method: bytes) -> None:
    assert Request(method=method, target=b"/", headers=[(b"Host", b"a")]).method == method


@given(tokens, st.data())
def test_any_non_tchar_in_method_rejected(method: bytes, data: st.DataObject) -> None:
    bad = data.draw(st.sampled_from(NON_TCHARS))
    pos = data.draw(st.integers(0, len(method)))
    assert rejects(method=method[:pos] + bytes([bad]) + method[pos:])


@given(from_alphabet(TARGET_OK, min_size=1, max_size=40))
def test_any_visible_ascii_target_accepted(target: bytes) -> None:
    assert Request(method=b"GET", target=target, headers=[(b"Host", b"a")]).target == target


@given(from_alphabet(TARGET_OK, max_size=20), st.sampled_from(TARGET_BAD), st.data())
def test_any_other_byte_in_target_rejected(target: bytes, bad: int, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(target)))
    assert rejects(target=target[:pos] + bytes([bad]) + target[pos:])


@given(tokens)
def test_any_token_name_accepted_lowercased_raw_kept(name: bytes) -> None:
    if name.lower() in (b"content-length", b"transfer-encoding", b"host"):
        name = b"X-" + name
    headers = Response(status_code=200, headers=[(name, b"v")]).headers
    assert headers == [(name.lower(), b"v")]
    assert headers.raw_items() == [(name, b"v")]


@given(tokens, st.sampled_from(NON_TCHARS))
def test_any_non_tchar_in_name_rejected(name: bytes, bad: int) -> None:
    assert rejects(headers=[(b"Host", b"a"), (name + bytes([bad]), b"v")])


@given(
    from_alphabet(b" \t", max_size=3),
    from_alphabet(VISIBLE, min_size=1, max_size=1),
    from_alphabet(VALUE_INNER),
    from_alphabet(VISIBLE, min_size=1, max_size=1),
    from_alphabet(b" \t", max_size=3),
)
def test_any_allowed_value_accepted_and_stripped(
    lead: bytes, first: bytes, middle: bytes, last: bytes, trail: bytes
) -> None:
    core = first + middle + last
    headers = Response(status_code=200, headers=[(b"X", lead + core + trail)]).headers
    assert headers == [(b"x", core)]


@given(from_alphabet(VALUE_INNER), st.sampled_from(REFUSED_IN_VALUE), from_alphabet(VALUE_INNER))
def test_any_nul_lf_vt_ff_cr_in_value_rejected(before: bytes, bad: int, after: bytes) -> None:
    assert rejects(headers=[(b"Host", b"a"), (b"X", before + bytes([bad]) + after)])


@given(
    from_alphabet(VISIBLE, min_size=1, max_size=5),
    st.sampled_from(TOLERATED_CONTROL),
    from_alphabet(VISIBLE, min_size=1, max_size=5),
)
def test_any_other_control_byte_in_value_accepted(before: bytes, byte: int, after: bytes) -> None:
    value = before + bytes([byte]) + after
    headers = Request(method=b"GET", target=b"/", headers=[(b"Host", b"a"), (b"X", value)]).headers
    assert headers == [(b"host", b"a"), (b"x", value)]


@given(st.integers(0, 2**63 - 1))
def test_any_content_length_in_range_accepted(length: int) -> None:
    value = str(length).encode()
    headers = Response(status_code=200, headers=[(b"Content-Length", value)]).headers
    assert headers == [(b"content-length", value)]


@given(st.integers(2**63, 2**80))
def test_any_content_length_beyond_range_rejected(length: int) -> None:
    assert rejects(headers=[(b"Host", b"a"), (b"Content-Length", str(length).encode())])


@given(st.integers(0, 10**6), st.integers(2, 5))
def test_repeated_equal_content_length_collapses(length: int, times: int) -> None:
    value = str(length).encode()
    headers = Response(
        status_code=200, headers=[(b"Content-Length", b", ".join([value] * times))]
    ).headers
    assert headers == [(b"content-length", value)]


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_differing_content_lengths_rejected(a: int, b: int) -> None:
    values = {str(a).encode(), str(b).encode()}
    if len(values) == 2:
        assert rejects(headers=[(b"Host", b"a"), (b"Content-Length", b",".join(sorted(values)))])


@given(st.text(alphabet="cChHuUnNkKeEdD", min_size=7, max_size=7))
def test_chunked_in_any_case_accepted(value: str) -> None:
    if value.lower() == "chunked":
        headers = Response(status_code=200, headers=[("Transfer-Encoding", value)]).headers
        assert headers == [(b"transfer-encoding", b"chunked")]
    else:
        assert rejects(headers=[(b"Host", b"a"), (b"Transfer-Encoding", value.encode())])


@given(st.integers(200, 999))
def test_any_final_status_accepted(status: int) -> None:
    assert Response(status_code=status, headers=[]).status_code == status


@given(st.integers().filter(lambda n: not 200 <= n <= 999))
def test_any_other_status_rejected_for_response(status: int) -> None:
    try:
        Response(status_code=status, headers=[])
    except LocalProtocolError:
        return
    raise AssertionError(f"status {status} accepted")
