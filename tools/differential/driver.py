"""Run scripted h11 conversations and print what happened, as JSON.

Executed by BOTH interpreters (candidate and reference) so that any difference in
the traces comes from the `h11` each one imports, never from the harness. Uses only
the standard library and the public h11 API.

stdin:  {"scripts": [script, ...]}   stdout: {"traces": [trace, ...]}
Bytes travel as latin-1 strings (lossless for 0x00-0xff).
"""

from __future__ import annotations

import json
import sys
from typing import Any

try:  # the implementation under test: ours where installed, else PyPI's (reference venv)
    import h11_connection as h11
except ImportError:
    import h11  # type: ignore[no-redef]

#: Bound on next_event calls in one "drain" step (a drain stops at NEED_DATA,
#: PAUSED, an exception or ConnectionClosed long before this).
MAX_DRAIN = 500

STATE_NAMES = (
    "IDLE",
    "SEND_RESPONSE",
    "SEND_BODY",
    "DONE",
    "MUST_CLOSE",
    "CLOSED",
    "ERROR",
    "MIGHT_SWITCH_PROTOCOL",
    "SWITCHED_PROTOCOL",
)


def b(text: str) -> bytes:
    """Script strings are latin-1 encoded bytes."""
    return text.encode("latin-1")


def s(data: bytes | bytearray) -> str:
    """Bytes back to a JSON-safe string."""
    return bytes(data).decode("latin-1")


def state_name(state: object) -> str:
    """Name a state by identity with h11's public sentinels, not by repr."""
    for name in STATE_NAMES:
        if getattr(h11, name, None) is state:
            return name
    return f"?{state!r}"


def exc_record(exc: BaseException) -> dict[str, Any]:
    """Type and status hint of an exception; the message is deliberately dropped."""
    record: dict[str, Any] = {"exc": type(exc).__name__}
    if isinstance(exc, h11.ProtocolError):
        record["hint"] = exc.error_status_hint
        record["kind"] = (
            "remote"
            if isinstance(exc, h11.RemoteProtocolError)
            else "local"
            if isinstance(exc, h11.LocalProtocolError)
            else "protocol"
        )
    return record


def headers_of(spec: dict[str, Any]) -> list[tuple[bytes, bytes]]:
    return [(b(n), b(v)) for n, v in spec.get("headers", [])]


def build_event(spec: dict[str, Any]) -> Any:
    """Construct an h11 event from its JSON description (may raise)."""
    kind = spec["type"]
    if kind == "Request":
        return h11.Request(
            method=b(spec["method"]),
            target=b(spec["target"]),
            headers=headers_of(spec),
            http_version=b(spec.get("http_version", "1.1")),
        )
    if kind in ("Response", "InformationalResponse"):
        cls = h11.Response if kind == "Response" else h11.InformationalResponse
        return cls(
            status_code=spec["status_code"],
            headers=headers_of(spec),
            reason=b(spec.get("reason", "")),
            http_version=b(spec.get("http_version", "1.1")),
        )
    if kind == "Data":
        return h11.Data(
            data=b(spec["data"]),
            chunk_start=spec.get("chunk_start", False),
            chunk_end=spec.get("chunk_end", False),
        )
    if kind == "EndOfMessage":
        return h11.EndOfMessage(headers=headers_of(spec))
    if kind == "ConnectionClosed":
        return h11.ConnectionClosed()
    raise ValueError(f"unknown event type {kind!r}")


def event_record(event: Any) -> dict[str, Any]:
    """A received event as a plain comparable dict."""
    if event is h11.NEED_DATA:
        return {"type": "NEED_DATA"}
    if event is h11.PAUSED:
        return {"type": "PAUSED"}
    record: dict[str, Any] = {"type": type(event).__name__}
    if isinstance(event, h11.Request):
        record.update(method=s(event.method), target=s(event.target))
    if isinstance(event, (h11.Response, h11.InformationalResponse)):
        record.update(status_code=event.status_code, reason=s(event.reason))
    if isinstance(event, (h11.Request, h11.Response, h11.InformationalResponse)):
        record["http_version"] = s(event.http_version)
    if isinstance(event, (h11.Request, h11.Response, h11.InformationalResponse, h11.EndOfMessage)):
        record["headers"] = [[s(n), s(v)] for n, v in event.headers]
        record["raw_headers"] = [[s(n), s(v)] for n, v in event.headers.raw_items()]
    if isinstance(event, h11.Data):
        record.update(data=s(event.data), chunk_start=event.chunk_start, chunk_end=event.chunk_end)
    return record


def snapshot(conn: h11.Connection) -> dict[str, Any]:
    """Everything publicly observable about the connection between steps."""
    data, closed = conn.trailing_data
    return {
        "our_state": state_name(conn.our_state),
        "their_state": state_name(conn.their_state),
        "states": {
            "CLIENT": state_name(conn.states[h11.CLIENT]),
            "SERVER": state_name(conn.states[h11.SERVER]),
        },
        "trailing_data": [s(data), closed],
        "they_are_waiting_for_100_continue": conn.they_are_waiting_for_100_continue,
        "client_is_waiting_for_100_continue": conn.client_is_waiting_for_100_continue,
        "their_http_version": None
        if conn.their_http_version is None
        else s(conn.their_http_version),
    }


def run_step(conn: h11.Connection, step: dict[str, Any]) -> dict[str, Any]:
    """Perform one step; return its result (events, bytes or exception)."""
    op = step["op"]
    if op == "receive":
        try:
            conn.receive_data(b(step["data"]))
        except Exception as exc:  # recorded, compared by type
            return exc_record(exc)
        return {"ok": True}
    if op == "next_event":
        try:
            return {"events": [event_record(conn.next_event())]}
        except Exception as exc:
            return exc_record(exc)
    if op == "drain":
        events: list[dict[str, Any]] = []
        for _ in range(MAX_DRAIN):
            try:
                event = conn.next_event()
            except Exception as exc:
                return {"events": events, "stop": exc_record(exc)}
            events.append(event_record(event))
            if (
                event is h11.NEED_DATA
                or event is h11.PAUSED
                or isinstance(event, h11.ConnectionClosed)
            ):
                break
        return {"events": events}
    if op in ("send", "send_passthrough"):
        try:
            event = build_event(step["event"])
        except Exception as exc:
            return {"construct": exc_record(exc)}
        try:
            if op == "send":
                out = conn.send(event)
                return {"bytes": None if out is None else s(out)}
            parts = conn.send_with_data_passthrough(event)
        except Exception as exc:
            return exc_record(exc)
        if parts is None:
            return {"parts": None}
        # How the bytes are cut into parts is h11's internal detail; what callers rely on
        # is the joined bytes and that a non-empty Data payload is passed through as is.
        passed = None
        if isinstance(event, h11.Data) and event.data:
            passed = any(part is event.data for part in parts)
        return {"parts": s(b"".join(parts)), "data_passed_through": passed}
    if op == "start_next_cycle":
        try:
            conn.start_next_cycle()
        except Exception as exc:
            return exc_record(exc)
        return {"ok": True}
    if op == "send_failed":
        conn.send_failed()
        return {"ok": True}
    raise ValueError(f"unknown op {op!r}")


def run_script(script: dict[str, Any]) -> dict[str, Any]:
    """One conversation: a fresh Connection and its steps, each followed by a snapshot."""
    role = h11.CLIENT if script["role"] == "CLIENT" else h11.SERVER
    kwargs: dict[str, Any] = {}
    if script.get("max_incomplete_event_size") is not None:
        kwargs["max_incomplete_event_size"] = script["max_incomplete_event_size"]
    try:
        conn = h11.Connection(role, **kwargs)
    except Exception as exc:
        return {"init": exc_record(exc), "steps": []}
    steps = []
    for step in script["steps"]:
        try:
            result = run_step(conn, step)
        except Exception as exc:  # a crash inside the harness glue itself
            result = {"harness_error": exc_record(exc)}
        try:
            state = snapshot(conn)
        except Exception as exc:
            state = {"snapshot_error": exc_record(exc)}
        steps.append({"result": result, "state": state})
    return {"init": {"ok": True}, "steps": steps}


def main() -> None:
    batch = json.load(sys.stdin)
    traces = [run_script(script) for script in batch["scripts"]]
    json.dump({"traces": traces, "h11_file": getattr(h11, "__file__", None)}, sys.stdout)


if __name__ == "__main__":
    main()
