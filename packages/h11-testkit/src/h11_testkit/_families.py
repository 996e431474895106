"""Which families of the probe report a corpus case belongs to, derived from its tags.

Cases are never edited for the probe: a case appears under every family its tags map to,
and a tag this table does not know yet becomes a family of its own name, so cases added
to the corpus later show up without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable

#: tag -> family shown in the report (several tags may share a family).
FAMILY_OF_TAG: dict[str, str] = {
    "smuggling": "smuggling",
    "cl-te": "cl-te",
    "te": "te",
    "content-length": "content-length",
    "chunked": "chunked",
    "trailers": "trailers",
    "line-ends": "line-ends",
    "obs-fold": "obs-fold",
    "oversize": "oversize",
    "control": "control",
    "non-ascii": "non-ascii",
    "headers": "headers",
    "host": "host",
    "request-line": "request-line",
    "target": "target",
    "version": "version",
    "http2": "http2",
    "pipelining": "pipelining",
    "upgrade": "upgrade",
    "incomplete": "incomplete",
}

#: Report order; unknown families follow in alphabetical order.
FAMILY_ORDER: tuple[str, ...] = (
    "smuggling",
    "cl-te",
    "te",
    "content-length",
    "chunked",
    "trailers",
    "line-ends",
    "obs-fold",
    "oversize",
    "control",
    "non-ascii",
    "headers",
    "host",
    "request-line",
    "target",
    "version",
    "http2",
    "pipelining",
    "upgrade",
    "incomplete",
    "basic",
)

#: Family of a case without tags (plain, well-formed messages).
UNTAGGED = "basic"

#: Tags that mark a case whose danger is a disagreement about where a message ends:
#: serving such a request when a strict server rejects it is unsafe, not merely lenient.
FRAMING_TAGS = frozenset({"smuggling", "cl-te"})


def families(tags: Iterable[str]) -> tuple[str, ...]:
    """The report families of a case with `tags`, without duplicates, in report order."""
    found = {FAMILY_OF_TAG.get(tag, tag) for tag in tags}
    if not found:
        return (UNTAGGED,)
    return tuple(sorted(found, key=family_sort_key))


def family_sort_key(family: str) -> tuple[int, str]:
    """Known families in `FAMILY_ORDER`, then the others alphabetically."""
    try:
        return (FAMILY_ORDER.index(family), family)
    except ValueError:
        return (len(FAMILY_ORDER), family)


def is_framing_critical(tags: Iterable[str]) -> bool:
    return not FRAMING_TAGS.isdisjoint(tags)
