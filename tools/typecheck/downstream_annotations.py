"""How downstream code annotates h11, checked with ``mypy --strict`` against our packages.

Never run, only type-checked (``nox -s typecheck``). Each function copies a usage
pattern of a real h11 user (httpcore 1.0, uvicorn 0.34+, hypercorn 0.17+, wsproto 1.2+),
reduced to its typing: the sentinels as classes (``type[h11.PAUSED]``), the return type
of ``next_event``, roles and states that are classes rather than ``Any``, and the
``send`` overloads. A change that breaks one of these breaks that project's own mypy run.

The file says ``import h11`` as downstream code does, and imports what downstream code
takes from h11's private modules (``h11._connection`` for uvicorn, ``h11._headers`` for
wsproto): the facade keeps those modules. The typecheck session checks the file a second
time with ``import h11_connection as h11`` (the private imports stay on the facade).

The ``# type: ignore[return-value]`` in ``httpcore_receive_event`` is httpcore's own: mypy
does not narrow ``next_event()``'s result on ``is h11.NEED_DATA``, so the ignore is needed
with PyPI h11 too. ``--strict`` warns about unused ignores, so the check fails if
``next_event`` ever returns ``Any`` again.
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Union, cast

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from h11._headers import Headers as H11Headers  # wsproto (utilities.py)

# -- httpcore (_sync/http11.py) ---------------------------------------------------------

#: "A subset of `h11.Event` types supported by `_send_event`".
H11SendEvent = typing.Union[  # noqa: UP007 (httpcore's spelling)
    h11.Request,
    h11.Data,
    h11.EndOfMessage,
]


def httpcore_connection() -> h11.Connection:
    return h11.Connection(our_role=h11.CLIENT, max_incomplete_event_size=64 * 1024)


def httpcore_send_event(
    conn: h11.Connection, event: h11.Event, write: Callable[[bytes], None]
) -> None:
    bytes_to_send = conn.send(event)
    if bytes_to_send is not None:
        write(bytes_to_send)


def httpcore_send_request(conn: h11.Connection, event: H11SendEvent) -> None:
    httpcore_send_event(conn, event, lambda data: None)


def httpcore_receive_event(
    conn: h11.Connection, read: Callable[[], bytes]
) -> Union[h11.Event, typing.Type[h11.PAUSED]]:  # noqa: UP006, UP007 (httpcore's spelling)
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = read()
            if data == b"" and conn.their_state == h11.SEND_RESPONSE:
                raise ConnectionError("Server disconnected without sending a response.")
            conn.receive_data(data)
        else:
            # mypy fails to narrow the type in the above if statement above
            return event  # type: ignore[return-value]


def httpcore_response_headers(
    conn: h11.Connection, read: Callable[[], bytes]
) -> tuple[bytes, int, bytes, list[tuple[bytes, bytes]], bytes]:
    while True:
        event = httpcore_receive_event(conn, read)
        if isinstance(event, h11.Response):
            break
        if isinstance(event, h11.InformationalResponse) and event.status_code == 101:
            break
    http_version = b"HTTP/" + event.http_version
    headers = event.headers.raw_items()
    trailing_data, _ = conn.trailing_data
    return http_version, event.status_code, event.reason, headers, trailing_data


def httpcore_response_body(conn: h11.Connection, read: Callable[[], bytes]) -> Iterator[bytes]:
    while True:
        event = httpcore_receive_event(conn, read)
        if isinstance(event, h11.Data):
            yield bytes(event.data)
        elif isinstance(event, (h11.EndOfMessage, h11.PAUSED)):
            break


def httpcore_response_closed(conn: h11.Connection) -> bool:
    if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
        conn.start_next_cycle()
        return True
    return False


def httpcore_map_exceptions() -> dict[type[Exception], type[Exception]]:
    return {h11.LocalProtocolError: ValueError, h11.RemoteProtocolError: ConnectionError}


# -- hypercorn (protocol/h11.py, typing.py) ---------------------------------------------

H11SendableEvent = h11.Data | h11.EndOfMessage | h11.InformationalResponse | h11.Response


class H11WSConnection:
    """A stand-in for h11.Connection after a WebSocket upgrade (hypercorn's)."""

    our_state = None  # Prevents recycling the connection
    they_are_waiting_for_100_continue = False
    their_state = None
    trailing_data = (b"", False)

    def __init__(self, h11_connection: h11.Connection) -> None:
        self.buffer = bytearray(h11_connection.trailing_data[0])
        self.h11_connection = h11_connection

    def next_event(self) -> bytes | type[h11.NEED_DATA]:
        if self.buffer:
            data = bytes(self.buffer)
            self.buffer = bytearray()
            return data
        return h11.NEED_DATA

    def send(self, event: H11SendableEvent) -> bytes:
        return self.h11_connection.send(event)


def hypercorn_handle_events(max_size: int) -> None:
    connection: h11.Connection | H11WSConnection = h11.Connection(
        h11.SERVER, max_incomplete_event_size=max_size
    )
    if connection.they_are_waiting_for_100_continue:
        connection.send(h11.InformationalResponse(status_code=100, headers=[]))
    try:
        event = connection.next_event()
    except h11.RemoteProtocolError as error:
        if connection.our_state in {h11.IDLE, h11.SEND_RESPONSE}:
            status: int = error.error_status_hint
            connection.send(h11.Response(status_code=status, headers=[]))
        return
    if isinstance(event, h11.Request):
        method: bytes = event.method
        del method
    elif event is h11.PAUSED or isinstance(event, h11.ConnectionClosed) or event is h11.NEED_DATA:
        return
    elif isinstance(event, h11.Data):
        body: bytes = event.data
        del body


def hypercorn_upgrade(connection: h11.Connection | H11WSConnection) -> H11WSConnection:
    upgraded = H11WSConnection(cast(h11.Connection, connection))
    if upgraded.their_state != h11.ERROR:
        upgraded.send(h11.EndOfMessage())
    return upgraded


def hypercorn_recycle(connection: h11.Connection) -> None:
    try:
        connection.send(h11.EndOfMessage())
    except h11.LocalProtocolError:
        if connection.their_state != h11.ERROR:
            raise
    if connection.our_state is h11.DONE and connection.their_state is h11.DONE:
        connection.start_next_cycle()


# -- uvicorn (protocols/http/h11_impl.py) ----------------------------------------------


def uvicorn_connection(limit: int | None) -> h11.Connection:
    return h11.Connection(
        h11.SERVER, max_incomplete_event_size=limit or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
    )


def uvicorn_handle_events(conn: h11.Connection, write: Callable[[bytes], None]) -> None:
    while True:
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError:
            return
        if event is h11.NEED_DATA or event is h11.PAUSED:
            break
        elif isinstance(event, h11.Request):
            headers = [(key.lower(), value) for key, value in event.headers]
            raw_path, _, query_string = event.target.partition(b"?")
            scope = {
                "http_version": event.http_version.decode("ascii"),
                "method": event.method.decode("ascii"),
                "raw_path": raw_path,
                "query_string": query_string,
                "headers": headers,
            }
            del scope
        elif isinstance(event, h11.Data):
            if conn.our_state is h11.DONE:
                continue
            body: bytes = event.data
            del body
        elif isinstance(event, h11.EndOfMessage):
            if conn.our_state is h11.DONE:
                conn.start_next_cycle()
                continue
        if conn.their_state == h11.MUST_CLOSE:
            break
    response = h11.Response(
        status_code=400, headers=[(b"content-type", b"text/plain")], reason=b"Bad Request"
    )
    output = conn.send(response)
    write(output)
    write(conn.send(event=h11.Data(data=b"Invalid HTTP request received.")))
    write(conn.send(event=h11.EndOfMessage()))
    if conn.our_state is h11.MUST_CLOSE:
        conn.send(event=h11.ConnectionClosed())


def uvicorn_shutdown(conn: h11.Connection) -> None:
    if conn.our_state != h11.ERROR:
        event = h11.ConnectionClosed()
        try:
            conn.send(event)
        except h11.LocalProtocolError:
            pass


def uvicorn_continue(conn: h11.Connection) -> bytes:
    waiting_for_100_continue: bool = conn.they_are_waiting_for_100_continue
    assert waiting_for_100_continue
    event = h11.InformationalResponse(status_code=100, headers=[], reason="Continue")
    return conn.send(event=event)


# -- wsproto (handshake.py) ------------------------------------------------------------


def wsproto_initiate(client: bool, path: bytes) -> bytes:
    h11_connection = h11.Connection(h11.CLIENT) if client else h11.Connection(h11.SERVER)
    del h11_connection
    upgrade_request = h11.Request(method=b"GET", target=path, headers=[(b"host", b"example")])
    h11_client = h11.Connection(h11.CLIENT)
    return h11_client.send(upgrade_request)


def wsproto_normed_header_dict(
    h11_headers: list[tuple[bytes, bytes]] | H11Headers,
) -> dict[bytes, bytes]:
    name_to_values: dict[bytes, list[bytes]] = {}
    for name, value in h11_headers:
        name_to_values.setdefault(name, []).append(value)
    return {name: b", ".join(values) for name, values in name_to_values.items()}


def wsproto_response_headers(event: h11.InformationalResponse) -> dict[bytes, bytes]:
    return wsproto_normed_header_dict(event.headers)


def wsproto_receive(h11_connection: h11.Connection, data: bytes | None) -> list[object]:
    out: list[object] = []
    h11_connection.receive_data(data or b"")
    while True:
        try:
            event = h11_connection.next_event()
        except h11.RemoteProtocolError:
            break
        if isinstance(event, h11.ConnectionClosed) or event is h11.NEED_DATA or event is h11.PAUSED:
            break
        if isinstance(event, h11.InformationalResponse):
            if event.status_code == 101:
                out.append((list(event.headers), event.status_code))
        elif isinstance(event, h11.Response):
            out.append((list(event.headers), event.status_code))
        elif isinstance(event, h11.Data):
            out.append(event.data)
        elif isinstance(event, h11.Request):
            out.append(event.method)
    return out


# -- what h11's own documentation shows ------------------------------------------------


def roles_and_states(conn: h11.Connection) -> None:
    """Roles and states are classes: usable in annotations, sets, dict keys, comparisons."""
    role: type[h11.CLIENT] | type[h11.SERVER] = h11.CLIENT
    del role
    for r in (h11.CLIENT, h11.SERVER):
        h11.Connection(r)
    states = conn.states
    client_state = states[h11.CLIENT]
    assert client_state is h11.IDLE or conn.our_role is h11.SERVER
    assert conn.their_role is not conn.our_role
    if conn.their_http_version is not None:
        version: bytes = conn.their_http_version
        del version
    waiting: bool = conn.client_is_waiting_for_100_continue
    del waiting
    assert type(h11.NEED_DATA) is h11.NEED_DATA
    sentinel: type[h11.NEED_DATA] | type[h11.PAUSED] = h11.PAUSED
    del sentinel


def passthrough(conn: h11.Connection) -> list[bytes] | None:
    chunks = conn.send_with_data_passthrough(h11.Data(data=b"x"))
    if chunks is not None:
        b"".join(chunks)
    conn.send_failed()
    return chunks


def next_event_type(conn: h11.Connection) -> h11.Event | type[h11.NEED_DATA] | type[h11.PAUSED]:
    return conn.next_event()


def misspelt_name() -> None:
    """A name h11 does not have is a type error, as with PyPI h11 (whose module has no
    ``__getattr__``); ``--strict`` reports the ignore as unused if it ever stops being one."""
    _ = h11.Conection  # type: ignore[attr-defined]
