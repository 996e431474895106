"""Header validation rules of event construction and the Headers sequence."""

from __future__ import annotations

import pickle

import pytest
from h11_events import EndOfMessage, Headers, LocalProtocolError, Response, normalize_headers


def headers_of(*pairs: tuple[object, object]) -> Headers:
    """Headers as a Response built from ``pairs`` holds them."""
    return Response(status_code=200, headers=list(pairs)).headers  # type: ignore[arg-type]


# --- names -----------------------------------------------------------------


@pytest.mark.parametrize("name", [b"X", b"x-foo", b"Content-Type", b"!#$%&'*+-.^_`|~09azAZ"])
def test_token_names_accepted_and_lowercased(name: bytes) -> None:
    assert headers_of((name, b"v")) == [(name.lower(), b"v")]


@pytest.mark.parametrize(
    "name",
    [
        b"",
        b"X Y",
        b"X:",
        b"X\t",
        b" X",
        b"X ",
        b"X\x00",
        b"X\r",
        b"X\n",
        b"\xe9",
        b"(X)",
        b"X/Y",
        b"X@Y",
        b"X\x7f",
    ],
)
def test_non_token_names_rejected(name: bytes) -> None:
    with pytest.raises(LocalProtocolError):
        headers_of((name, b"v"))


# --- values ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [b"", b"a", b"a b", b"a\tb", b"\x21\x7e", b"\x80\xff", b"text/html; charset=utf-8"]
)
def test_values_of_vchar_sp_htab_obs_text_accepted(value: bytes) -> None:
    assert headers_of((b"X", value)) == [(b"x", value)]


#: The bytes PyPI h11 0.16 refuses in a value it is given (swept 0x00-0xff black box, at
#: the start, middle and end of a value): NUL, LF, VT, FF, CR. SP and HTAB around a value
#: are stripped (h11 refuses them; see README's differences).
REFUSED = {0x00, 0x0A, 0x0B, 0x0C, 0x0D}


@pytest.mark.parametrize("byte", range(256))
def test_value_byte_sweep_as_h11(byte: int) -> None:
    for value in (bytes([byte]) + b"ab", b"a" + bytes([byte]) + b"b", b"ab" + bytes([byte])):
        if byte in REFUSED:
            with pytest.raises(LocalProtocolError):
                headers_of((b"X", value))
        else:
            assert headers_of((b"X", value)) == [(b"x", value.strip(b" \t"))]


@pytest.mark.parametrize("value", [b"__utmv=kUd\x01UpAt", b"asd\x01\x02\x7f", b"\x1b[31m"])
def test_value_with_other_control_bytes_accepted_as_h11(value: bytes) -> None:
    """A proxy forwards the cookies real servers set (h11's own suite asserts this)."""
    assert headers_of((b"X", value)) == [(b"x", value)]


@pytest.mark.parametrize("value", [b"a\r\nX: y", b"a\rb", b"a\nb", b"\x00", b"a\x0bb", b"\x0c"])
def test_value_with_cr_lf_nul_vt_ff_rejected(value: bytes) -> None:
    with pytest.raises(LocalProtocolError):
        headers_of((b"X", value))


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (b" a", b"a"),
        (b"a ", b"a"),
        (b"\ta\t", b"a"),
        (b" \t a b \t ", b"a b"),
        (b"   ", b""),
        (b"\t", b""),
    ],
)
def test_surrounding_whitespace_stripped(value: bytes, stored: bytes) -> None:
    headers = headers_of((b"X", value))
    assert headers == [(b"x", stored)]
    assert headers.raw_items() == [(b"X", stored)]


def test_str_names_and_values_become_bytes() -> None:
    headers = headers_of(("X-Str", "value"))
    assert headers == [(b"x-str", b"value")]
    assert all(type(part) is bytes for pair in headers.raw_items() for part in pair)


def test_order_and_duplicates_kept() -> None:
    assert headers_of((b"A", b"1"), (b"B", b"2"), (b"a", b"3")) == [
        (b"a", b"1"),
        (b"b", b"2"),
        (b"a", b"3"),
    ]


# --- Content-Length --------------------------------------------------------


@pytest.mark.parametrize("value", [b"0", b"5", b"0005", b"9223372036854775807"])
def test_decimal_content_length_accepted(value: bytes) -> None:
    assert headers_of((b"Content-Length", value)) == [(b"content-length", value)]


@pytest.mark.parametrize(
    "value",
    [
        b"+5",
        b"-1",
        b"0x5",
        b"1 2",
        b"1_0",
        b"",
        b"5.0",
        b"five",
        b"\xd9\xa5",
        b"\xef\xbc\x95",
        b"1e3",
        b"5;",
        b",",
        b"5,",
        b", 5",
        b"5,,5",
    ],
)
def test_malformed_content_length_rejected(value: bytes) -> None:
    with pytest.raises(LocalProtocolError):
        headers_of((b"Content-Length", value))


@pytest.mark.parametrize("value", [b"5, 5", b"5,5", b"5 , 5,5", b"5,\t5"])
def test_content_length_list_of_equal_values_collapses(value: bytes) -> None:
    assert headers_of((b"Content-Length", value)) == [(b"content-length", b"5")]


def test_repeated_equal_content_length_fields_collapse_into_one() -> None:
    headers = headers_of((b"Content-Length", b"7"), (b"X", b"y"), (b"content-length", b"7"))
    assert headers == [(b"content-length", b"7"), (b"x", b"y")]
    assert headers.raw_items() == [(b"Content-Length", b"7"), (b"X", b"y")]


@pytest.mark.parametrize(
    "pairs",
    [
        [(b"Content-Length", b"5, 6")],
        [(b"Content-Length", b"5"), (b"Content-Length", b"6")],
        [(b"Content-Length", b"5"), (b"Content-Length", b"5, 6")],
        [(b"Content-Length", b"5"), (b"Content-Length", b"05")],
    ],
)
def test_differing_content_lengths_rejected(pairs: list[tuple[bytes, bytes]]) -> None:
    with pytest.raises(LocalProtocolError):
        Response(status_code=200, headers=pairs)


@pytest.mark.parametrize("value", [2**63, 2**63 + 1, 10**19, 10**40])
def test_content_length_beyond_int63_rejected(value: int) -> None:
    with pytest.raises(LocalProtocolError):
        headers_of((b"Content-Length", str(value).encode()))


def test_content_length_with_leading_zeros_within_limit_accepted() -> None:
    value = b"0" * 30 + b"1"
    assert headers_of((b"Content-Length", value)) == [(b"content-length", value)]


# --- Transfer-Encoding -----------------------------------------------------


@pytest.mark.parametrize("value", [b"chunked", b"Chunked", b"CHUNKED", b" chunked\t", b"cHuNkEd"])
def test_chunked_any_case_becomes_lowercase(value: bytes) -> None:
    headers = headers_of((b"Transfer-Encoding", value))
    assert headers == [(b"transfer-encoding", b"chunked")]
    assert headers.raw_items() == [(b"Transfer-Encoding", b"chunked")]


@pytest.mark.parametrize(
    "value",
    [b"gzip", b"identity", b"deflate", b"compress", b"gzip, chunked", b"x-custom", b"chunkedx"],
)
def test_other_transfer_codings_are_501(value: bytes) -> None:
    with pytest.raises(LocalProtocolError) as info:
        headers_of((b"Transfer-Encoding", value))
    assert info.value.error_status_hint == 501


@pytest.mark.parametrize("value", [b"chunked, gzip", b"chunked, chunked", b"chunked,identity"])
def test_chunked_not_last_or_twice_is_400(value: bytes) -> None:
    with pytest.raises(LocalProtocolError) as info:
        headers_of((b"Transfer-Encoding", value))
    assert info.value.error_status_hint == 400


def test_chunked_in_two_fields_is_400() -> None:
    with pytest.raises(LocalProtocolError) as info:
        headers_of((b"Transfer-Encoding", b"chunked"), (b"Transfer-Encoding", b"chunked"))
    assert info.value.error_status_hint == 400


def test_chunked_field_then_other_coding_field_is_400() -> None:
    with pytest.raises(LocalProtocolError) as info:
        headers_of((b"Transfer-Encoding", b"chunked"), (b"Transfer-Encoding", b"gzip"))
    assert info.value.error_status_hint == 400


@pytest.mark.parametrize("value", [b"", b",", b" , ,"])
def test_transfer_encoding_without_any_coding_rejected(value: bytes) -> None:
    with pytest.raises(LocalProtocolError) as info:
        headers_of((b"Transfer-Encoding", value))
    assert info.value.error_status_hint == 400


@pytest.mark.parametrize(
    "value", [b"chunked,", b", chunked", b",chunked", b"chunked, ,", b", ,Chunked"]
)
def test_transfer_encoding_empty_members_are_ignored(value: bytes) -> None:
    """RFC 9110 5.6.1: a recipient ignores empty list members."""
    headers = headers_of((b"Transfer-Encoding", value))
    assert list(headers) == [(b"transfer-encoding", b"chunked")]


@pytest.mark.parametrize(
    ("value", "status"), [(b"gzip,", 501), (b",chunked, gzip", 400), (b"chunked,,chunked", 400)]
)
def test_transfer_encoding_empty_members_do_not_hide_other_codings(
    value: bytes, status: int
) -> None:
    with pytest.raises(LocalProtocolError) as info:
        headers_of((b"Transfer-Encoding", value))
    assert info.value.error_status_hint == status


def test_transfer_encoding_and_content_length_both_kept() -> None:
    headers = headers_of((b"Transfer-Encoding", b"chunked"), (b"Content-Length", b"3"))
    assert headers == [(b"transfer-encoding", b"chunked"), (b"content-length", b"3")]


def test_trailers_validated_like_headers() -> None:
    assert EndOfMessage(headers=[("X-Sum", " 12 ")]).headers == [(b"x-sum", b"12")]
    with pytest.raises(LocalProtocolError):
        EndOfMessage(headers=[("X-Sum", "1\r\n2")])
    with pytest.raises(LocalProtocolError):
        EndOfMessage(headers=[("Bad Name", "1")])


# --- the Headers sequence --------------------------------------------------


def test_headers_equal_lists_and_tuples_of_lowercased_pairs() -> None:
    headers = headers_of((b"A", b"1"), (b"B", b"2"))
    assert headers == [(b"a", b"1"), (b"b", b"2")]
    assert headers == ((b"a", b"1"), (b"b", b"2"))
    assert headers != [(b"A", b"1"), (b"B", b"2")]
    assert headers != [(b"a", b"1")]
    assert headers != [("a", "1"), ("b", "2")]


def test_headers_equal_ignoring_original_case() -> None:
    assert headers_of((b"X-Foo", b"v")) == headers_of((b"x-foo", b"v"))
    assert headers_of((b"X-Foo", b"v")) != headers_of((b"x-foo", b"w"))


def test_raw_items_keep_original_case_and_order() -> None:
    headers = headers_of((b"X-Foo", b"1"), (b"HOST", b"h"), (b"etag", b"e"))
    assert headers.raw_items() == [(b"X-Foo", b"1"), (b"HOST", b"h"), (b"etag", b"e")]
    assert list(headers) == [(b"x-foo", b"1"), (b"host", b"h"), (b"etag", b"e")]


def test_raw_items_returns_a_copy() -> None:
    headers = headers_of((b"A", b"1"))
    headers.raw_items().clear()
    assert headers.raw_items() == [(b"A", b"1")]


def test_headers_sequence_protocol() -> None:
    headers = headers_of((b"A", b"1"), (b"B", b"2"))
    assert len(headers) == 2
    assert headers[0] == (b"a", b"1")
    assert headers[-1] == (b"b", b"2")
    assert headers[0:1] == [(b"a", b"1")]
    assert (b"b", b"2") in headers
    assert bool(headers)
    assert not headers_of()


def test_headers_unhashable() -> None:
    with pytest.raises(TypeError):
        hash(headers_of((b"A", b"1")))


def test_headers_repr() -> None:
    assert repr(headers_of((b"A", b"1"))) == "<Headers([(b'a', b'1')])>"


def test_headers_get_all() -> None:
    headers = headers_of((b"A", b"1"), (b"B", b"2"), (b"a", b"3"))
    assert headers.get_all(b"a") == [b"1", b"3"]
    assert headers.get_all(b"c") == []


def test_headers_public_constructor_validates() -> None:
    assert Headers([("X", " v ")]) == [(b"x", b"v")]
    with pytest.raises(LocalProtocolError):
        Headers([("X", "a\nb")])


def test_normalize_headers_uses_given_error_class() -> None:
    from h11_events import RemoteProtocolError

    with pytest.raises(RemoteProtocolError):
        normalize_headers([(b"X", b"\x00")], RemoteProtocolError)


def test_headers_instance_passed_through_unchanged() -> None:
    headers = headers_of((b"X-A", b"1"))
    resp = Response(status_code=200, headers=headers)
    assert resp.headers == headers
    assert resp.headers.raw_items() == [(b"X-A", b"1")]


def test_headers_pickle_round_trip_keeps_raw_case() -> None:
    headers = headers_of((b"X-A", b"1"))
    again = pickle.loads(pickle.dumps(headers))
    assert again == headers
    assert again.raw_items() == [(b"X-A", b"1")]
