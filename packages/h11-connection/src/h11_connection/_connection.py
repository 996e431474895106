"""The h11 ``Connection``: one HTTP/1.1 connection's protocol state, no I/O.

Bytes from the peer go in with ``receive_data`` and come out as events from
``next_event``; events to send go in with ``send`` and come out as bytes. The
reading and writing are h11-parser's; this module adds the two-role state
machine (_state_machine, which also owns the 100-continue wait), keep-alive,
protocol switches and the completion of framing headers that needs to know the peer.

A head moves the connection in one place, :meth:`Connection._process_head`, whether
we send it or receive it; EndOfMessage and ConnectionClosed go straight to the state
machine from both paths; body Data only checks its sender's state (the volume is there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, overload

from h11_events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    Event,
    InformationalResponse,
    LocalProtocolError,
    RemoteProtocolError,
    Request,
    Response,
    Sentinel,
    parsed,
)
from h11_events.parsed import field_pairs, raw_field_pairs
from h11_events.rules import list_members
from h11_parser.engine import (
    CHUNKED,
    NO_BODY,
    TUNNEL,
    UNTIL_CLOSE,
    BodyWriter,
    HeadFacts,
    MessageReader,
    body_framing,
    body_writer,
    check_sendable,
    ends_connection,
    head_facts,
    proposed_switches,
    resolve_hooks,
    write_request_head,
    write_response_head,
)

from ._state_machine import SWITCH_CONNECT, SWITCH_UPGRADE, ConnectionState
from ._states import (
    CLIENT,
    DONE,
    ERROR,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
)

if TYPE_CHECKING:
    from h11_parser.engine import Plugins

__all__ = ["DEFAULT_MAX_INCOMPLETE_EVENT_SIZE", "Connection"]

#: Default bound on buffered bytes of an incomplete head or trailer section.
DEFAULT_MAX_INCOMPLETE_EVENT_SIZE: Final = 16 * 1024

_TRANSFER_ENCODING_CHUNKED: Final = (b"transfer-encoding", b"chunked")
_RAW_TRANSFER_ENCODING_CHUNKED: Final = (b"Transfer-Encoding", b"chunked")


class Connection:
    """The protocol state of one HTTP/1.1 connection, for the client or the server.

    :param our_role: ``CLIENT`` or ``SERVER``: which side of the connection we are.
    :param max_incomplete_event_size: the most bytes an unfinished head or trailer
        section may take (16384 by default); a peer sending more gets a
        RemoteProtocolError with status hint 431.
    :param plugins: keyword only, not in h11: a list of pluggy plugins of the
        ``"h11"`` project, or a plugin manager made by
        ``h11_parser.make_plugin_manager()``. Their hooks are taken when the
        Connection is made; wiring mistakes raise here.
    """

    def __init__(
        self,
        our_role: type[Sentinel],
        max_incomplete_event_size: int = DEFAULT_MAX_INCOMPLETE_EVENT_SIZE,
        *,
        plugins: Plugins = None,
    ) -> None:
        if our_role is not CLIENT and our_role is not SERVER:
            raise ValueError(f"expected CLIENT or SERVER, not {our_role!r}")
        #: CLIENT or SERVER: the role this side plays.
        self.our_role: type[Sentinel] = our_role
        #: The peer's role: the other one.
        self.their_role: type[Sentinel] = SERVER if our_role is CLIENT else CLIENT
        self._is_client = our_role is CLIENT
        self._cstate = ConnectionState()
        self._reader = MessageReader(
            parse_requests=our_role is SERVER, max_head_size=max_incomplete_event_size
        )
        #: ``receive_data(data)``: add bytes received from the peer; ``b""`` means the
        #: peer closed. It is the reader's own ``feed``, bound here: no call in between.
        self.receive_data = self._reader.feed
        self._writer: BodyWriter | None = None
        #: The HTTP version of the peer's last head (None until one arrived).
        self.their_http_version: bytes | None = None
        self._request_method: bytes | None = None
        self._check_received_event = None
        self._check_sent_fields = None
        self._check_sent_event = None
        hooks = resolve_hooks(plugins, self)
        if hooks is not None:
            self._reader.field_hook = hooks.field_checker("receive")
            self._check_received_event = hooks.event_checker("receive")
            self._check_sent_fields = hooks.field_checker("send")
            self._check_sent_event = hooks.event_checker("send")

    # -- state ------------------------------------------------------------

    @property
    def states(self) -> dict[type[Sentinel], type[Sentinel]]:
        """Both roles' states, as a new dict ``{CLIENT: ..., SERVER: ...}``."""
        return self._cstate.states()

    @property
    def our_state(self) -> type[Sentinel]:
        """Our state: ``IDLE``, ``SEND_BODY``, ``DONE``... (see the states)."""
        return self._cstate.client if self._is_client else self._cstate.server

    @property
    def their_state(self) -> type[Sentinel]:
        """The peer's state, as far as what we received tells."""
        return self._cstate.server if self._is_client else self._cstate.client

    @property
    def client_is_waiting_for_100_continue(self) -> bool:
        """Whether the client sent ``Expect: 100-continue`` and has no answer yet: from
        its Request until the next event of either side (the state machine's rule)."""
        return self._cstate.client_waiting_for_100_continue

    @client_is_waiting_for_100_continue.setter
    def client_is_waiting_for_100_continue(self, waiting: bool) -> None:
        # Assignable, as h11's attribute is; the Connection itself never assigns it.
        self._cstate.client_waiting_for_100_continue = waiting

    @property
    def they_are_waiting_for_100_continue(self) -> bool:
        """Whether the peer is a client waiting for ``100 Continue`` before its body."""
        return self.their_role is CLIENT and self._cstate.client_waiting_for_100_continue

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """Bytes received and not parsed (after a protocol switch), and whether EOF came."""
        return self._reader.buffered, self._reader.eof

    def start_next_cycle(self) -> None:
        """Reuse the connection for a new request/response after both sides are DONE."""
        self._cstate.start_next_cycle()
        self._writer = None
        self._request_method = None
        # The reader is past the peer's last message: its next head is the next cycle's.
        self._reader.request_method = b"GET"  # until a request says otherwise

    # -- receiving --------------------------------------------------------

    def next_event(self) -> Event | type[NEED_DATA] | type[PAUSED]:
        """The next event from the peer, ``NEED_DATA`` or ``PAUSED``.

        A RemoteProtocolError puts the peer in ERROR; every later call raises again.
        """
        cstate = self._cstate
        their_state = cstate.server if self._is_client else cstate.client
        reader = self._reader
        try:
            if their_state is SEND_BODY or their_state is SEND_RESPONSE or their_state is IDLE:
                event = reader.next_event()
                if event is NEED_DATA:
                    return event
            else:
                event = self._event_between_messages(their_state)
                if event is NEED_DATA or event is PAUSED:
                    return event
            if self._check_received_event is not None:
                self._check_received_event(event)
            kind = type(event)
            if kind is Data:
                if cstate.client_waiting_for_100_continue:
                    cstate.process_event(self.their_role, Data, None)  # ends the wait
            elif kind is EndOfMessage or kind is ConnectionClosed:
                cstate.process_event(self.their_role, kind, None)
            else:
                version = reader.http_version
                facts: HeadFacts | None = None
                switch = None
                if kind is Request:
                    facts = reader.facts
                    closes = ends_connection(facts, version)
                else:
                    if reader.switched:  # a 101, or a 2xx to CONNECT (body_framing: TUNNEL)
                        switch = SWITCH_UPGRADE if kind is InformationalResponse else SWITCH_CONNECT
                    closes = kind is Response and ends_connection(reader.facts, version)
                self._process_head(event, kind, facts, switch, closes, version)
        except RemoteProtocolError:
            cstate.process_error(self.their_role)
            raise
        except LocalProtocolError as exc:
            # The peer did something illegal for the state machine.
            cstate.process_error(self.their_role)
            raise RemoteProtocolError(str(exc), exc.error_status_hint) from exc
        except BaseException:
            # A plugin's own exception: the event is lost, so the peer is in ERROR.
            cstate.process_error(self.their_role)
            raise
        # The reader's steps are typed Any (they are swapped per call); here it is an Event.
        return event  # type: ignore[no-any-return]

    def _event_between_messages(
        self, their_state: type[Sentinel]
    ) -> Event | type[NEED_DATA] | type[PAUSED]:
        """What the peer's bytes mean when it is not in the middle of a message."""
        reader = self._reader
        if their_state is ERROR:
            raise RemoteProtocolError("Can't receive data when peer state is ERROR")
        if their_state is DONE:
            if reader.has_buffered():
                return PAUSED
            return ConnectionClosed() if reader.eof else NEED_DATA
        if their_state is MIGHT_SWITCH_PROTOCOL or their_state is SWITCHED_PROTOCOL:
            return PAUSED
        # MUST_CLOSE or CLOSED: only EOF may follow.
        return reader.read_eof()

    def _process_head(
        self,
        event: Event,
        kind: type[Event],
        facts: HeadFacts | None,
        switch: str | None,
        closes: bool,
        their_version: bytes | None,
    ) -> None:
        """The one place a head moves the connection, whichever role sent it and
        whether we send it or receive it (``their_version`` is its version when
        received, None when sent; ``facts`` a request's head facts, None for a response).
        The state machine steps, starting or ending the
        client's 100-continue wait (a Request's ``Expect: 100-continue``, not in
        HTTP/1.0); a request's method frames the response and its Upgrade or CONNECT
        proposes a switch (``switch`` is the one a server's head accepts); a head
        that ends the connection (``closes``, from :func:`ends_connection`) turns
        keep-alive off."""
        cstate = self._cstate
        if facts is not None:  # a Request
            method = event.method  # type: ignore[attr-defined]
            cstate.process_event(
                CLIENT,
                Request,
                None,
                facts.expect_continue and event.http_version != b"1.0",  # type: ignore[attr-defined]
            )
            self._request_method = method
            self._reader.request_method = method  # how a client reads the response
            for proposal in proposed_switches(facts, method):
                cstate.process_client_switch_proposal(proposal)
        else:
            cstate.process_event(SERVER, kind, switch)
        if their_version is not None:
            self.their_http_version = their_version
        if closes:
            cstate.process_keep_alive_disabled()

    # -- sending ----------------------------------------------------------

    @overload
    def send(self, event: ConnectionClosed) -> None: ...  # type: ignore[overload-overlap]
    @overload
    def send(self, event: Event) -> bytes: ...
    def send(self, event: Event) -> bytes | None:
        """The bytes to send for ``event`` (None for ConnectionClosed)."""
        # Typed Any so the overloads give ``list[bytes] | None`` (None for ConnectionClosed)
        # rather than ``list[bytes]``, which a compiled build would check the None against.
        any_event: Any = event
        out: list[bytes] | None = self.send_with_data_passthrough(any_event)
        return None if out is None else b"".join(out)

    @overload
    def send_with_data_passthrough(self, event: ConnectionClosed) -> None: ...  # type: ignore[overload-overlap]
    @overload
    def send_with_data_passthrough(self, event: Event) -> list[bytes]: ...
    def send_with_data_passthrough(self, event: Event) -> list[bytes] | None:
        """Like :meth:`send`, as a list in which Data payloads are the caller's objects.

        Any exception (a protocol error, a plugin's own) puts our side in ERROR.
        """
        cstate = self._cstate
        our_state = cstate.client if self._is_client else cstate.server
        if our_state is ERROR:
            raise LocalProtocolError("Can't send data when our state is ERROR")
        try:
            if self._check_sent_event is not None:
                self._check_sent_event(event)
            kind = type(event)
            if kind is Data:
                if our_state is not SEND_BODY:
                    raise cstate.illegal(self.our_role, Data)
                if cstate.client_waiting_for_100_continue:
                    # Sending (even failing to) means the client stopped waiting.
                    cstate.process_event(self.our_role, Data, None)
                return self._writer.write(event)  # type: ignore[union-attr]
            if kind is EndOfMessage:
                writer = self._writer
                if writer is None or our_state is not SEND_BODY:
                    raise cstate.illegal(self.our_role, EndOfMessage)
                if self._check_sent_fields is not None and event.headers:  # type: ignore[attr-defined]
                    self._check_sent_fields(event.headers, EndOfMessage)  # type: ignore[attr-defined]
                cstate.process_event(self.our_role, EndOfMessage, None)
                self._writer = None
                return writer.finish(event)  # type: ignore[arg-type]
            if kind is Request:
                return [self._send_request(event)]  # type: ignore[arg-type]
            if kind is Response or kind is InformationalResponse:
                return [self._send_response(event)]  # type: ignore[arg-type]
            if kind is ConnectionClosed:
                cstate.process_event(self.our_role, ConnectionClosed, None)
                return None
            raise LocalProtocolError(f"can't send {event!r}: not an h11 event")
        except BaseException:
            cstate.process_error(self.our_role)
            raise

    def send_failed(self) -> None:
        """Tell the connection that sending failed: our side goes to ERROR."""
        self._cstate.process_error(self.our_role)

    def _send_request(self, event: Request) -> bytes:
        if not self._is_client:
            raise LocalProtocolError("a server can't send a Request")
        headers = event.headers
        items = field_pairs(headers)
        facts = head_facts(items, LocalProtocolError)
        check_sendable(facts)
        framing, length = body_framing(facts, LocalProtocolError, False)
        if items and items[0][0] != b"host":
            event = _with_host_first(event)
        if self._check_sent_fields is not None:
            self._check_sent_fields(event.headers, Request)
        self._process_head(
            event, Request, facts, None, ends_connection(facts, event.http_version), None
        )
        head = write_request_head(event)
        self._writer = body_writer(framing, length)
        if self._reader.has_buffered():
            self._refuse_unsolicited()
        return head

    def _refuse_unsolicited(self) -> None:
        """Bytes that came before our request can't answer it: HTTP/1.1 servers don't
        speak first and a client doesn't pipeline, so they are a stale or desynchronised
        connection's (read as the answer, they would poison the response queue). The
        request is still written, as h11 writes it; the next ``next_event`` raises."""
        count = len(self._reader.buffered)
        self._reader.refuse(
            RemoteProtocolError(
                f"the server sent {count} bytes before the request was sent, so they "
                "answer no request (a stale or desynchronised connection, RFC 9112 9.3)"
            )
        )

    def _send_response(self, event: Response | InformationalResponse) -> bytes:
        if self._is_client:
            raise LocalProtocolError(f"a client can't send a {type(event).__name__}")
        if type(event) is InformationalResponse:
            switch = SWITCH_UPGRADE if event.status_code == 101 else None
            self._process_head(event, InformationalResponse, None, switch, False, None)
            if self._check_sent_fields is not None:
                self._check_sent_fields(event.headers, InformationalResponse)
            return write_response_head(event)
        method = self._request_method or b"GET"
        event, framing, length, closes = self._complete_response(event, method)  # type: ignore[arg-type]
        if self._check_sent_fields is not None:
            self._check_sent_fields(event.headers, Response)
        # A 2xx to CONNECT (body_framing: TUNNEL) accepts the proposed switch.
        switch = SWITCH_CONNECT if framing == TUNNEL else None
        self._process_head(event, Response, None, switch, closes, None)
        head = write_response_head(event)
        if switch is None:
            self._writer = body_writer(framing, length)
        return head

    def _complete_response(self, event: Response, method: bytes) -> tuple[Response, int, int, bool]:
        """Add the framing headers h11 adds; return (event, framing, length, closes).

        Which body a response has is :func:`body_framing`'s rule; a HEAD
        response's fields are completed as the GET's would be, then it has no body.
        """
        headers = event.headers
        # Both Transfer-Encoding and Content-Length (check_sendable) are not refused here:
        # as h11 does, completion drops both and frames chunked, so the wire never holds
        # both (RFC 9112 6.2 holds), and ASGI servers pass on apps that set both.
        items = given = field_pairs(headers)
        raw = raw_field_pairs(headers)
        facts = head_facts(items, LocalProtocolError)
        status = event.status_code
        is_head = method == b"HEAD"
        framing, length = body_framing(
            facts, LocalProtocolError, False, b"GET" if is_head else method, status
        )
        if framing in (CHUNKED, UNTIL_CLOSE):
            # Transfer-Encoding, or no length at all: chunked (Content-Length dropped).
            items, raw = _without(items, raw, (b"transfer-encoding", b"content-length"))
            if self.their_http_version is None or self.their_http_version == b"1.0":
                # An HTTP/1.0 (or unknown) peer can't read chunked: until close.
                framing = UNTIL_CLOSE
            else:
                framing = CHUNKED
                items.append(_TRANSFER_ENCODING_CHUNKED)
                raw.append(_RAW_TRANSFER_ENCODING_CHUNKED)
        # The response ends the connection when its head says Connection: close: the
        # caller's, or the one completion adds. (We send HTTP/1.1, and a bodiless status
        # with both framing fields keeps the connection, as h11 does.)
        closes = facts.close
        if not self._cstate.keep_alive or framing == UNTIL_CLOSE:
            items, raw = _with_connection_close(items, raw)
            closes = True
        if is_head:
            framing, length = NO_BODY, 0
        if items is not given:
            event = parsed.response(status, items, raw, event.reason, event.http_version)
        return event, framing, length, closes


def _without(
    items: list[tuple[bytes, bytes]], raw: list[tuple[bytes, bytes]], names: tuple[bytes, ...]
) -> tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
    keep = [i for i, (name, _) in enumerate(items) if name not in names]
    return [items[i] for i in keep], [raw[i] for i in keep]


def _with_connection_close(
    items: list[tuple[bytes, bytes]], raw: list[tuple[bytes, bytes]]
) -> tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
    """Replace the Connection fields by one field per token, with close, no keep-alive."""
    tokens = {b"close"}
    for name, value in items:
        if name == b"connection":
            tokens.update(list_members(value))
    tokens.discard(b"keep-alive")
    items, raw = _without(items, raw, (b"connection",))
    for token in sorted(tokens):
        items.append((b"connection", token))
        raw.append((b"Connection", token))
    return items, raw


def _with_host_first(event: Request) -> Request:
    """h11 writes the Host field first, wherever the caller put it (an HTTP/1.0
    request may have none)."""
    given = field_pairs(event.headers)
    given_raw = raw_field_pairs(event.headers)
    index = next((i for i, (name, _) in enumerate(given) if name == b"host"), None)
    if index is None:
        return event
    items = [given[index], *given[:index], *given[index + 1 :]]
    raw = [given_raw[index], *given_raw[:index], *given_raw[index + 1 :]]
    return parsed.request(event.method, items, raw, event.target, event.http_version)
