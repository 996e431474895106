"""``Headers`` is a read-only Sequence of (lowercased name, value) pairs in both builds.

It is registered with ``collections.abc.Sequence`` rather than derived from it (the
compiled build cannot take the ABC's metaclass), so the mixin methods are its own.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Sequence

import pytest
from h11_events import Headers

PAIRS = [("Host", "a"), ("X-A", "1"), ("x-a", "2"), ("X-A", "1")]


def test_headers_is_a_sequence() -> None:
    assert isinstance(Headers(PAIRS), Sequence)
    assert issubclass(Headers, Sequence)


def test_index_count_contains_and_reversed_see_the_lowercased_pairs() -> None:
    headers = Headers(PAIRS)
    assert headers.index((b"x-a", b"1")) == 1
    assert headers.index((b"x-a", b"1"), 2) == 3
    assert headers.count((b"x-a", b"1")) == 2
    assert (b"x-a", b"2") in headers
    assert (b"X-A", b"2") not in headers
    assert list(reversed(headers)) == list(headers)[::-1]
    with pytest.raises(ValueError):
        headers.index((b"host", b"b"))


def test_pickle_and_copies_keep_both_spellings() -> None:
    headers = Headers(PAIRS)
    for other in (pickle.loads(pickle.dumps(headers)), copy.copy(headers), copy.deepcopy(headers)):
        assert type(other) is Headers
        assert other == headers
        assert other.raw_items() == headers.raw_items()
