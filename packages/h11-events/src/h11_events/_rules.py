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

__all__ = ["check_host_count", "check_host_value", "check_single_framing", "connection_tokens"]


def check_host_count(hosts: int, http_version: bytes, error: type[ProtocolError]) -> None:
    """RFC 9112 3.2: an HTTP/1.1 request has exactly one Host field, and no
    request of any version has more than one (a server MUST answer 400)."""
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
VALID_HOSTS: set[bytes] = set()
_VALID_HOSTS_MAX = 256


def check_host_value(value: bytes, error: type[ProtocolError]) -> None:
    """RFC 9110 7.2: a Host value is ``uri-host [":" port]`` (may be empty).

    Callers on a hot path may skip the call for a value in ``VALID_HOSTS``.
    """
    if _HOST_RE.fullmatch(value) is None:
        raise error(f"invalid Host header value {value!r}: not host[:port]")
    if len(VALID_HOSTS) >= _VALID_HOSTS_MAX:
        VALID_HOSTS.clear()
    VALID_HOSTS.add(value)


def check_single_framing(
    transfer_encoding: bool, content_length: bool, error: type[ProtocolError]
) -> None:
    """RFC 9112 6.2: a sender MUST NOT send Content-Length together with
    Transfer-Encoding (a recipient gives chunked precedence and then closes)."""
    if transfer_encoding and content_length:
        raise error("a message must not have both Transfer-Encoding and Content-Length")


def connection_tokens(value: bytes) -> list[bytes]:
    """The members of one comma-separated list field value (RFC 9110 5.6.1), such as
    the connection options of a Connection field (RFC 9110 7.6.1): lowercased,
    whitespace stripped, empty list members dropped."""
    tokens = []
    for token in value.lower().split(b","):
        token = token.strip(b" \t")
        if token:
            tokens.append(token)
    return tokens
