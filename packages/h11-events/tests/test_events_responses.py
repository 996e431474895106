"""InformationalResponse and Response: status ranges, reason, version."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from h11_events import InformationalResponse, LocalProtocolError, Response


@pytest.mark.parametrize("status", [100, 101, 102, 103, 150, 199])
def test_informational_accepts_1xx(status: int) -> None:
    assert InformationalResponse(status_code=status, headers=[]).status_code == status


@pytest.mark.parametrize("status", [0, 99, 200, 204, 404, 999, -100])
def test_informational_rejects_non_1xx(status: int) -> None:
    with pytest.raises(LocalProtocolError):
        InformationalResponse(status_code=status, headers=[])


@pytest.mark.parametrize("status", [200, 204, 304, 404, 500, 599, 600, 999])
def test_response_accepts_200_to_999(status: int) -> None:
    assert Response(status_code=status, headers=[]).status_code == status


@pytest.mark.parametrize("status", [0, 100, 101, 199, 1000, 2000, -200])
def test_response_rejects_outside_200_to_999(status: int) -> None:
    with pytest.raises(LocalProtocolError):
        Response(status_code=status, headers=[])


@pytest.mark.parametrize("status", ["200", b"200", 200.0, None, True])
def test_non_int_status_is_local_protocol_error(status: object) -> None:
    with pytest.raises(LocalProtocolError):
        Response(status_code=status, headers=[])


def test_int_enum_status_stored_as_plain_int() -> None:
    resp = Response(status_code=HTTPStatus.NOT_FOUND, headers=[])
    assert resp.status_code == 404
    assert type(resp.status_code) is int
    info = InformationalResponse(status_code=HTTPStatus.SWITCHING_PROTOCOLS, headers=[])
    assert type(info.status_code) is int


def test_response_defaults() -> None:
    resp = Response(status_code=200, headers=[])
    assert resp.reason == b""
    assert resp.http_version == b"1.1"
    assert resp.headers == []


def test_reason_and_version_become_bytes() -> None:
    resp = Response(status_code=404, headers=[], reason="Not Found", http_version="1.0")
    assert resp.reason == b"Not Found"
    assert resp.http_version == b"1.0"


@pytest.mark.parametrize("reason", [b"OK", b"", b"a\tb", b"with spaces", b"\xe9t\xe9", b"!~"])
def test_reason_phrase_allows_htab_sp_vchar_obs_text(reason: bytes) -> None:
    assert Response(status_code=200, headers=[], reason=reason).reason == reason


@pytest.mark.parametrize("reason", [b"a\x7f", b"\x01", b"O\x1bK", b"\x08\x0e\x1f"])
def test_reason_phrase_with_other_control_bytes_accepted(reason: bytes) -> None:
    """As a received reason phrase, and as h11 (which accepts any reason it is given)."""
    assert Response(status_code=200, headers=[], reason=reason).reason == reason


@pytest.mark.parametrize("reason", [b"a\rb", b"a\nb", b"a\x00", b"a\x0b", b"\x0c", b"OK\r\nX: y"])
def test_reason_phrase_with_nul_cr_lf_vt_ff_rejected(reason: bytes) -> None:
    """Stricter than h11, which writes them to the wire: header injection."""
    with pytest.raises(LocalProtocolError):
        Response(status_code=200, headers=[], reason=reason)


def test_int_reason_is_type_error() -> None:
    with pytest.raises(TypeError):
        Response(status_code=200, headers=[], reason=5)  # type: ignore[arg-type]


@pytest.mark.parametrize("version", [b"1", b"", b"HTTP/1.1", b"1.1 "])
def test_malformed_response_version_rejected(version: bytes) -> None:
    with pytest.raises(LocalProtocolError):
        Response(status_code=200, headers=[], http_version=version)


def test_informational_headers_validated_too() -> None:
    with pytest.raises(LocalProtocolError):
        InformationalResponse(status_code=101, headers=[("Bad Name", "x")])


def test_common_reasons_skip_no_check_the_pattern_would_refuse() -> None:
    from h11_events._events import _COMMON_REASONS
    from h11_events._grammar import reason_phrase_re

    assert b"OK" in _COMMON_REASONS
    assert b"Not Found" in _COMMON_REASONS
    for reason in _COMMON_REASONS:
        assert reason_phrase_re.fullmatch(reason) is not None
        assert Response(status_code=200, headers=[], reason=reason).reason == reason
        with pytest.raises(LocalProtocolError):
            Response(status_code=200, headers=[], reason=reason + b"\r")
