"""Small protocol rules that both directions apply: one function per rule.

The event constructors (what an application sends), the readers (what a peer
sent) and the writers all call these, so a rule can never be enforced on one
side and forgotten on the other. ``error`` is the exception type to raise:
LocalProtocolError for our own events, RemoteProtocolError for the peer's.
"""

from __future__ import annotations

import re
from typing import Final

from ._errors import ProtocolError


def check_hosts(
    items: list[tuple[bytes, bytes]],
    http_version: bytes,
    error: type[ProtocolError],
    *,
    check_values: bool = False,
) -> None:
    """RFC 9112 3.2: an HTTP/1.1 request has exactly one Host field, and no request of
    any version has more than one (a server MUST answer 400). ``check_values`` (a request
    received by a server): each Host value must also be ``host[:port]`` (RFC 9110 7.2).

    ``items`` are a head's (lowercased name, value) pairs. The event constructor and
    the reader both call this.
    """
    hosts = 0
    for name, value in items:
        if name == b"host":
            hosts += 1
            if check_values and value not in _valid_hosts:
                _check_host_value(value, error)
    if hosts > 1:
        raise error("Found multiple Host: headers")
    if hosts == 0 and http_version == b"1.1":
        raise error("Missing mandatory Host: header")


# RFC 9110 7.2 / RFC 3986 3.2.2: Host = uri-host [ ":" port ]. uri-host is an
# IP-literal in brackets, or a reg-name (IPv4 addresses are reg-names in form):
# unreserved, pct-encoded and sub-delims, except "," which would make the value
# a list (two hosts in one field: host confusion between a proxy and an origin).
_HOST_RE: Final = re.compile(
    rb"(?:\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\.[-A-Za-z0-9._~!$&'()*+;=:]+)\]"
    rb"|[-A-Za-z0-9._~!$&'()*+;=%]*)"
    rb"(?::[0-9]*)?"
)

#: Host values already found valid: a server sees the same few over and over, and a
#: set lookup is cheaper than the pattern. Bounded: cleared when full.
_valid_hosts: Final[set[bytes]] = set()
_VALID_HOSTS_MAX: Final = 256


def _check_host_value(value: bytes, error: type[ProtocolError]) -> None:
    """RFC 9110 7.2: a Host value is ``uri-host [":" port]`` (may be empty)."""
    if _HOST_RE.fullmatch(value) is None:
        raise error(f"invalid Host header value {value!r}: not host[:port]")
    if len(_valid_hosts) >= _VALID_HOSTS_MAX:
        _valid_hosts.clear()
    _valid_hosts.add(value)


def list_members(value: bytes) -> list[bytes]:
    """The members of one comma-separated list field value (RFC 9110 5.6.1), such as
    the options of a Connection field (RFC 9110 7.6.1), the protocols of an Upgrade
    field or the expectations of an Expect field: lowercased, whitespace stripped,
    empty list members dropped."""
    members = []
    for member in value.lower().split(b","):
        member = member.strip(b" \t")
        if member:
            members.append(member)
    return members


#: Largest Content-Length or chunk size we accept: 2**63 - 1, so the value
#: fits a signed 64-bit integer wherever it ends up.
MAX_BODY_LENGTH: Final = 2**63 - 1
#: Digits of MAX_BODY_LENGTH: a shorter run of digits is surely in range.
MAX_LENGTH_DIGITS: Final = len(str(MAX_BODY_LENGTH))


def content_length_number(
    previous: bytes | None, value: bytes, error: type[ProtocolError]
) -> bytes:
    """The one Content-Length rule: a message's length after its field ``value``.

    ``previous`` is the number its earlier Content-Length fields gave (None before
    the first). RFC 9110 8.6: 1*DIGIT; a list of identical values (``5, 5``) is
    taken as one. Signs, spaces inside the number, hex, empty members and values
    beyond 2**63 - 1 are refused; so are fields or members that disagree (RFC 9112
    6.3). Every path calls this: received heads (h11_parser.engine.head_facts)
    and headers given by a user (:func:`normalize_headers`).
    """
    if value.isdigit() and len(value) < MAX_LENGTH_DIGITS:
        number = value  # plain digits, surely in range: the common case
    else:
        number = _content_length_value(value, error)
    if previous is not None and number != previous:
        raise error("conflicting Content-Length headers")
    return number


def _content_length_value(value: bytes, error: type[ProtocolError]) -> bytes:
    """One Content-Length field value as one number (see content_length_number)."""
    if value.isdigit():  # bytes.isdigit: ASCII digits only
        number = value
    else:
        members = {member.strip(b" \t") for member in value.split(b",")}
        if len(members) != 1:
            raise error(f"conflicting Content-Length values in {value!r}")
        number = members.pop()
        if not number.isdigit():
            raise error(f"bad Content-Length {value!r}: not a decimal number")
    if len(number) >= MAX_LENGTH_DIGITS and int(number) > MAX_BODY_LENGTH:
        raise error(f"Content-Length {value!r} is too large")
    return number


def transfer_coding_is_chunked(
    values: list[bytes], error: type[ProtocolError], *, empty_members_ok: bool = True
) -> None:
    """Check the Transfer-Encoding values of one message name exactly ``chunked``.

    Chunked is the only coding this library can frame (RFC 9112 6.1): any other
    coding is 501; chunked applied twice or not last is 400. Empty list members
    (``,chunked``, ``chunked,``, an empty second field) are ignored where
    ``empty_members_ok``, as RFC 9110 5.6.1 asks; without it (a received request)
    they are 400, as in llhttp's strict mode: a front end that does not recognise
    such a field would frame the body differently. A field with no coding at all is 400.
    """
    codings = [coding.strip(b" \t").lower() for value in values for coding in value.split(b",")]
    if codings == [b"chunked"]:
        return
    if b"" in codings:
        if not empty_members_ok:
            raise error(f"Transfer-Encoding {b', '.join(values)!r} has an empty list member")
        codings = [coding for coding in codings if coding]
        if codings == [b"chunked"]:
            return
        if not codings:
            raise error(f"Transfer-Encoding {b', '.join(values)!r} names no coding")
    if codings.count(b"chunked") > 1:
        raise error("Transfer-Encoding applies chunked more than once")
    if b"chunked" in codings and codings[-1] != b"chunked":
        raise error("Transfer-Encoding: chunked is not the final coding")
    raise error("Only Transfer-Encoding: chunked is supported", 501)
