"""The header rules of RFC 9110/9112 that events, parsers and connections share.

Public so that h11-parser and h11-connection (or another state machine) apply the
same rule as the event constructors, through a name that keeps its meaning within a
minor version (see the package README's compatibility policy). Each name here *is*
the implementation, not a wrapper. ``error`` parameters take the exception type to
raise: LocalProtocolError for what we send, RemoteProtocolError for what a peer sent.
"""

from ._rules import (
    MAX_BODY_LENGTH,
    check_hosts,
    content_length_number,
    list_members,
    transfer_coding_is_chunked,
)

__all__ = [
    "MAX_BODY_LENGTH",
    "check_hosts",
    "content_length_number",
    "list_members",
    "transfer_coding_is_chunked",
]
