"""Request construction: method, target, version and Host validation."""

from __future__ import annotations

import pytest
from h11_events import LocalProtocolError, Request

HOST = [("Host", "example.com")]


def make(**kw: object) -> Request:
    """A valid GET request with the given fields overridden."""
    fields: dict[str, object] = {"method": "GET", "target": "/", "headers": HOST}
    fields.update(kw)
    return Request(**fields)  # type: ignore[arg-type]


def test_minimal_request_fields() -> None:
    req = make()
    assert req.method == b"GET"
    assert req.target == b"/"
    assert req.http_version == b"1.1"
    assert req.headers == [(b"host", b"example.com")]


@pytest.mark.parametrize(
    "method", [b"GET", b"POST", b"M-SEARCH", b"x", b"!#$%&'*+.^_`|~", b"get", b"PROPFIND0"]
)
def test_token_methods_accepted_and_case_kept(method: bytes) -> None:
    assert make(method=method).method == method


@pytest.mark.parametrize(
    "method",
    [
        b"",
        b"GE T",
        b"GET\t",
        b"G(T",
        b"G,T",
        b"G:T",
        b"G/T",
        b"G\x00",
        b"G\x7f",
        b"G\xc3\xa9",
        b'G"T',
        b"G@T",
        b"[GET]",
        b"G\r\nX",
    ],
)
def test_non_token_methods_rejected(method: bytes) -> None:
    with pytest.raises(LocalProtocolError) as info:
        make(method=method)
    # The message keeps h11's words and names the value the caller gave.
    assert str(info.value).startswith(f"Illegal method characters in {method!r}: ")
    assert info.value.error_status_hint == 400


def test_bad_method_message_says_what_a_method_is() -> None:
    with pytest.raises(LocalProtocolError, match=r"'GE T'.*a method is a token.*b'GET'"):
        make(method="GE T")


def test_a_long_bad_method_is_shown_cut() -> None:
    method = b"A" * 100 + b" "
    with pytest.raises(LocalProtocolError) as info:
        make(method=method)
    assert f"{b'A' * 64!r}... (101 bytes)" in str(info.value)
    assert len(str(info.value)) < 250


@pytest.mark.parametrize(
    "target",
    [
        b"/",
        b"*",
        b"/a/b?c=d&e#f",
        b"http://example.com/x",
        b"example.com:443",
        b"/%20",
        b"/~!$&'()*+,;=:@",
    ],
)
def test_visible_ascii_targets_accepted(target: bytes) -> None:
    assert make(target=target).target == target


@pytest.mark.parametrize(
    "target",
    [
        b"",
        b"/ a",
        b"/a\tb",
        b"/\x00",
        b"/\x01",
        b"/\x7f",
        b"/\r",
        b"/\n",
        b"/\xff",
        b"/\xc3\xa9",
        b" /",
        b"/ ",
    ],
)
def test_targets_with_space_control_or_non_ascii_rejected(target: bytes) -> None:
    with pytest.raises(LocalProtocolError):
        make(target=target)


def test_http11_request_without_host_rejected() -> None:
    with pytest.raises(LocalProtocolError):
        make(headers=[("Accept", "*/*")])


def test_http11_request_with_two_hosts_rejected() -> None:
    with pytest.raises(LocalProtocolError):
        make(headers=[("Host", "a"), ("Host", "a")])


def test_host_counted_whatever_its_case() -> None:
    with pytest.raises(LocalProtocolError):
        make(headers=[("Host", "a"), ("HOST", "b")])
    assert make(headers=[("hOsT", "a")]).headers == [(b"host", b"a")]


def test_http10_request_may_omit_host() -> None:
    req = make(headers=[], http_version="1.0")
    assert req.http_version == b"1.0"
    assert req.headers == []


def test_http10_request_keeps_given_host() -> None:
    assert make(http_version=b"1.0").headers == [(b"host", b"example.com")]


def test_empty_host_value_is_still_a_host() -> None:
    assert make(headers=[("Host", "")]).headers == [(b"host", b"")]


@pytest.mark.parametrize("version", [b"1", b"1.1.1", b"HTTP/1.1", b"", b"a.b", b"1.x", b"11"])
def test_malformed_http_version_rejected(version: bytes) -> None:
    with pytest.raises(LocalProtocolError):
        make(http_version=version)


def test_str_fields_become_bytes() -> None:
    req = Request(method="POST", target="/x", headers=[("Host", "h")], http_version="1.0")
    assert (req.method, req.target, req.http_version) == (b"POST", b"/x", b"1.0")
    assert all(type(v) is bytes for pair in req.headers for v in pair)


def test_bytes_like_fields_become_bytes() -> None:
    req = make(method=bytearray(b"PUT"), target=memoryview(b"/m"))
    assert type(req.method) is bytes
    assert type(req.target) is bytes
    assert (req.method, req.target) == (b"PUT", b"/m")


@pytest.mark.parametrize("field", ["method", "target", "http_version"])
def test_int_where_bytes_expected_is_type_error(field: str) -> None:
    with pytest.raises(TypeError):
        make(**{field: 1})


def test_int_header_name_or_value_is_type_error() -> None:
    with pytest.raises(TypeError):
        make(headers=[("Host", "a"), (1, "x")])
    with pytest.raises(TypeError):
        make(headers=[("Host", "a"), ("X", 5)])


def test_non_ascii_str_is_refused() -> None:
    with pytest.raises(UnicodeEncodeError):
        make(target="/é")


def test_positional_arguments_refused() -> None:
    with pytest.raises(TypeError):
        Request("GET", HOST, "/")  # type: ignore[call-arg]


def test_missing_required_field_refused() -> None:
    with pytest.raises(TypeError):
        Request(method="GET", headers=HOST)  # type: ignore[call-arg]


@pytest.mark.parametrize("second", ["other.example", "example.com"], ids=["other", "same"])
@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_request_with_two_hosts_rejected_in_any_version(version: str, second: str) -> None:
    """RFC 9112 3.2: no request has more than one Host, in any version (as h11)."""
    with pytest.raises(LocalProtocolError, match="multiple Host"):
        make(headers=[*HOST, ("host", second)], http_version=version)


def test_host_count_rule_is_shared_with_the_reader() -> None:
    """One rule, both directions: the receiving side raises the same words."""
    from h11_events import RemoteProtocolError
    from h11_events.rules import check_hosts

    one = [(b"host", b"example.com")]
    check_hosts(one, b"1.1", RemoteProtocolError)
    check_hosts([], b"1.0", RemoteProtocolError)
    with pytest.raises(RemoteProtocolError, match="Missing mandatory Host"):
        check_hosts([(b"accept", b"*/*")], b"1.1", RemoteProtocolError)
    with pytest.raises(RemoteProtocolError, match="multiple Host"):
        check_hosts(one + one, b"1.0", RemoteProtocolError)


def test_host_values_are_checked_only_when_asked() -> None:
    """A server checks received Host values (RFC 9110 7.2); events take any value, as h11."""
    from h11_events import RemoteProtocolError
    from h11_events.rules import check_hosts

    check_hosts([(b"host", b"a, b")], b"1.1", RemoteProtocolError)
    for _ in range(2):  # the second time from the remembered values: same outcome
        good = [(b"host", b"example.com:8080")]
        check_hosts(good, b"1.1", RemoteProtocolError, check_values=True)
        with pytest.raises(RemoteProtocolError, match="not host"):
            check_hosts([(b"host", b"a, b")], b"1.1", RemoteProtocolError, check_values=True)


def test_remembered_host_values_stay_bounded() -> None:
    from h11_events import RemoteProtocolError, _rules

    for i in range(1000):
        _rules.check_hosts([(b"host", b"h%d" % i)], b"1.1", RemoteProtocolError, check_values=True)
    assert len(_rules._valid_hosts) <= 256
    assert b"a, b" not in _rules._valid_hosts


@pytest.mark.parametrize(
    ("value", "tokens"),
    [
        (b"close", [b"close"]),
        (b"Keep-Alive, Upgrade", [b"keep-alive", b"upgrade"]),
        (b" ,close ,, \tTE ", [b"close", b"te"]),
        (b"", []),
    ],
)
def test_list_members_shared_by_both_directions(value: bytes, tokens: list[bytes]) -> None:
    from h11_events.rules import list_members

    assert list_members(value) == tokens
