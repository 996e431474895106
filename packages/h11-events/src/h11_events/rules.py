"""The header rules of RFC 9110/9112 that events, parsers and connections share.

Public so that h11-parser and h11-connection (or another state machine) apply the
same rule as the event constructors, through a name that keeps its meaning within a
minor version (see the package README's compatibility policy). Each name here *is*
the implementation, not a wrapper. ``error`` parameters take the exception type to
raise: LocalProtocolError for what we send, RemoteProtocolError for what a peer sent.
"""

from ._headers import MAX_BODY_LENGTH, content_length_number, transfer_coding_is_chunked
from ._rules import (
    VALID_HOSTS,
    check_host_count,
    check_host_value,
    check_single_framing,
    connection_tokens,
)

__all__ = [
    "MAX_BODY_LENGTH",
    "VALID_HOSTS",
    "check_host_count",
    "check_host_value",
    "check_single_framing",
    "connection_tokens",
    "content_length_number",
    "transfer_coding_is_chunked",
]
