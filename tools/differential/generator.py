"""Seeded generator of scripted h11 conversations (client and server side).

Each script is plain JSON: {"name", "role", "max_incomplete_event_size", "steps"}.
A step is one of
  {"op": "receive", "data": str}           receive_data (data "" is EOF)
  {"op": "drain"}                          next_event until NEED_DATA/PAUSED/error/close
  {"op": "next_event"}                     exactly one next_event call
  {"op": "send" | "send_passthrough", "event": {...}}
  {"op": "start_next_cycle"} | {"op": "send_failed"}
Bytes are latin-1 strings. Same seed -> same scripts (only `random.Random(seed)`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

Script = dict[str, Any]
Step = dict[str, Any]
Hdrs = list[tuple[bytes, bytes]]

TOKENS = [b"GET", b"POST", b"PUT", b"DELETE", b"OPTIONS", b"PATCH", b"X-CUSTOM"]
REASONS = [b"OK", b"", b"Not Found", b"Weird \x80\xff reason", b"Continue"]


def t(data: bytes) -> str:
    return data.decode("latin-1")


def hdr_spec(headers: Hdrs) -> list[list[str]]:
    return [[t(n), t(v)] for n, v in headers]


def head_bytes(start: bytes, headers: Hdrs, eol: bytes = b"\r\n") -> bytes:
    return start + eol + b"".join(n + b": " + v + eol for n, v in headers) + eol


def chunked_body(rng: random.Random, body: bytes, trailers: Hdrs) -> bytes:
    """Encode body as chunks with optional extensions, random chunk sizes."""
    out = []
    pos = 0
    while pos < len(body):
        size = rng.randint(1, max(1, len(body) - pos))
        piece = body[pos : pos + size]
        pos += size
        ext = rng.choice([b"", b"", b";foo", b";foo=bar", b';q="a b"'])
        size_text = (b"%x" if rng.random() < 0.7 else b"%X") % len(piece)
        if rng.random() < 0.1:
            size_text = b"0" + size_text
        out.append(size_text + ext + b"\r\n" + piece + b"\r\n")
    out.append(b"0\r\n" + b"".join(n + b": " + v + b"\r\n" for n, v in trailers) + b"\r\n")
    return b"".join(out)


def rand_body(rng: random.Random) -> bytes:
    n = rng.choice([0, 1, 3, 10, 40, 200])
    return bytes(rng.randrange(256) for _ in range(n))


def rand_extra_headers(rng: random.Random) -> Hdrs:
    pool: Hdrs = [
        (b"User-Agent", b"diff/1.0"),
        (b"Accept", b"*/*"),
        (b"X-Thing", b"a  b"),
        (b"x-lower", b"v"),
        (b"X-Obs", b"caf\xe9"),
        (b"Cookie", b"a=1; b=2"),
        (b"X-Empty", b""),
    ]
    return rng.sample(pool, rng.randint(0, 3))


# --------------------------------------------------------------------- messages


def make_request(rng: random.Random, kind: str) -> tuple[bytes, dict[str, Any]]:
    """Raw request bytes plus a description (what a server should answer)."""
    method = rng.choice(TOKENS[:6])
    target = rng.choice([b"/", b"/a/b?c=d", b"*", b"http://x/y"])
    if target == b"*" and method != b"OPTIONS" and rng.random() < 0.9:
        # `*` is for OPTIONS only (issue #15, a 400): keep a few to exercise that row.
        target = b"/"
    version = b"1.1"
    headers: Hdrs = [(b"Host", b"example.com")]
    headers += rand_extra_headers(rng)
    body = b""
    info: dict[str, Any] = {"kind": kind, "method": method}
    if kind in ("cl", "expect100"):
        body = rand_body(rng)
        headers.append((rng.choice([b"Content-Length", b"content-length"]), b"%d" % len(body)))
        if kind == "expect100":
            headers.append((b"Expect", rng.choice([b"100-continue", b"100-Continue"])))
        raw = head_bytes(method + b" " + target + b" HTTP/" + version, headers) + body
    elif kind == "chunked":
        body = rand_body(rng)
        headers.append((b"Transfer-Encoding", rng.choice([b"chunked", b"Chunked", b" chunked"])))
        trailers = rng.choice([[], [(b"X-Trailer", b"yes")], [(b"A", b"1"), (b"b", b"2")]])
        raw = head_bytes(method + b" " + target + b" HTTP/1.1", headers) + chunked_body(
            rng, body, trailers
        )
    elif kind == "http10":
        version = b"1.0"
        headers = [h for h in headers if rng.random() < 0.5]
        if rng.random() < 0.4:
            headers.append((b"Connection", b"keep-alive"))
        raw = head_bytes(method + b" " + target + b" HTTP/1.0", headers)
    elif kind == "close":
        headers.append((b"Connection", rng.choice([b"close", b"Close", b"keep-alive, close"])))
        raw = head_bytes(method + b" " + target + b" HTTP/1.1", headers)
    elif kind == "upgrade":
        headers += [(b"Connection", b"Upgrade"), (b"Upgrade", b"websocket")]
        raw = head_bytes(b"GET / HTTP/1.1", headers)
    elif kind == "connect":
        info["method"] = b"CONNECT"
        raw = head_bytes(b"CONNECT example.com:443 HTTP/1.1", headers)
    elif kind == "head":
        info["method"] = b"HEAD"
        raw = head_bytes(b"HEAD / HTTP/1.1", headers)
    else:
        raw = head_bytes(method + b" " + target + b" HTTP/1.1", headers)
    info["version"] = version
    return raw, info


def response_events(
    rng: random.Random, status: int, framing: str, http_version: bytes = b"1.1"
) -> list[dict[str, Any]]:
    """Events for a server to send: head, body and EndOfMessage."""
    headers: Hdrs = rand_extra_headers(rng)[:1]
    body = rand_body(rng)
    if framing == "cl":
        headers.append((b"Content-Length", b"%d" % len(body)))
    elif framing == "chunked":
        headers.append((b"Transfer-Encoding", b"chunked"))
    elif framing == "close":
        headers.append((b"Connection", b"close"))
    if rng.random() < 0.1:
        headers.append((b"Connection", b"close"))
    if rng.random() < 0.05:
        headers.append((b"X-Pad", rng.choice([b" v", b"v ", b"\tv\t", b" "])))
    events: list[dict[str, Any]] = [
        {
            "type": "Response",
            "status_code": status,
            "reason": t(rng.choice(REASONS[:3])),
            "headers": hdr_spec(headers),
            "http_version": t(http_version),
        }
    ]
    pos = 0
    while pos < len(body):
        n = rng.randint(1, len(body) - pos)
        events.append({"type": "Data", "data": t(body[pos : pos + n])})
        pos += n
    if rng.random() < 0.1:
        events.append({"type": "Data", "data": ""})
    trailers: Hdrs = [(b"X-T", b"1")] if framing == "chunked" and rng.random() < 0.3 else []
    events.append({"type": "EndOfMessage", "headers": hdr_spec(trailers)})
    return events


def make_response(rng: random.Random, status: int, framing: str, version: bytes = b"1.1") -> bytes:
    """Raw response bytes for a client to receive."""
    headers: Hdrs = rand_extra_headers(rng)[:2]
    body = rand_body(rng)
    reason = rng.choice(REASONS)
    start = b"HTTP/" + version + b" %d " % status + reason
    if rng.random() < 0.1 and not reason:
        start = b"HTTP/" + version + b" %d" % status
    if framing == "cl":
        headers.append((b"Content-Length", b"%d" % len(body)))
        return head_bytes(start, headers) + body
    if framing == "chunked":
        headers.append((b"Transfer-Encoding", b"chunked"))
        trailers = rng.choice([[], [(b"X-Trailer", b"yes")]])
        return head_bytes(start, headers) + chunked_body(rng, body, trailers)
    if framing == "close":
        return head_bytes(start, headers) + body
    return head_bytes(start, headers)  # no body (1xx, 204, 304, HEAD)


# -------------------------------------------------------------------- mutations


def _replace_first(raw: bytes, old: bytes, new: bytes) -> bytes:
    return raw.replace(old, new, 1) if old in raw else raw


def _insert_header(raw: bytes, line: bytes) -> bytes:
    """Insert a raw field line right after the start line."""
    i = raw.find(b"\n")
    return raw[: i + 1] + line + raw[i + 1 :] if i >= 0 else raw


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "ctl_in_value": lambda r, raw: _insert_header(
        raw, b"X-Bad: a" + bytes([r.choice([0, 1, 0x7F, 0x1F, 0x0B, 0x0C])]) + b"b\r\n"
    ),
    "cr_in_value": lambda r, raw: _insert_header(raw, b"X-Bad: a\rb\r\n"),
    "space_before_colon": lambda r, raw: _insert_header(raw, b"X-Bad : v\r\n"),
    "leading_ws_line": lambda r, raw: _insert_header(raw, r.choice([b" ", b"\t"]) + b"X: v\r\n"),
    "obs_fold": lambda r, raw: _insert_header(
        raw,
        b"X-Fold: a"
        + r.choice([b"", b"", b" ", b"\t "])
        + r.choice([b"\r\n", b"\r\n", b"\n"])
        + r.choice([b" ", b"\t"])
        + b"b\r\n",
    ),
    "bare_lf": lambda r, raw: raw.replace(b"\r\n", b"\n"),
    "bare_cr": lambda r, raw: _replace_first(raw, b"\r\n", b"\r"),
    "cl_bad": lambda r, raw: _insert_header(
        raw,
        b"Content-Length: "
        + r.choice([b"+5", b"-1", b"0x5", b"1 2", b"1_0", "\u0661".encode(), b"", b" 0"])
        + b"\r\n",
    ),
    "cl_list": lambda r, raw: _insert_header(
        raw,
        r.choice(
            [
                b"Content-Length: 0, 0\r\n",
                b"Content-Length: 0\r\nContent-Length: 0\r\n",
                b"Content-Length: 1, 2\r\n",
                b"Content-Length: 0\r\nContent-Length: 1\r\n",
            ]
        ),
    ),
    "cl_huge": lambda r, raw: _insert_header(
        raw, b"Content-Length: " + r.choice([b"9223372036854775808", b"9" * 30]) + b"\r\n"
    ),
    "te_other": lambda r, raw: _insert_header(
        raw,
        b"Transfer-Encoding: "
        + r.choice([b"gzip", b"gzip, chunked", b"chunked, gzip", b"identity", b"chunked,chunked"])
        + b"\r\n",
    ),
    "te_empty_member": lambda r, raw: _insert_header(
        raw,
        b"Transfer-Encoding: " + r.choice([b",chunked", b"chunked,", b" , chunked, "]) + b"\r\n",
    ),
    "host_value": lambda r, raw: re.sub(
        rb"Host: [^\r\n]*",
        b"Host: " + r.choice([b"a, b", b"a b", b"u@a", b"[::1]:80", b"a:8080", b""]),
        raw,
        count=1,
    ),
    "te_and_cl": lambda r, raw: _insert_header(
        raw, b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"
    ),
    "version": lambda r, raw: _replace_first(
        raw,
        b"HTTP/1.1",
        r.choice(
            [
                b"HTTP/2.0",
                b"HTTP/0.9",
                b"HTTP/1.2",
                b"HTTP/11",
                b"http/1.1",
                b"HTTP/01.1",
                b"HTTP/1.10",
            ]
        ),
    ),
    "leading_empty_lines": lambda r, raw: r.choice([b"\r\n", b"\r\n\r\n", b"\n"]) + raw,
    "bad_start_line": lambda r, raw: _replace_first(
        raw, b" ", r.choice([b"  ", b"\t", b" /x y ", b" /\x01"])
    ),
    "huge_head": lambda r, raw: _insert_header(
        raw, b"X-Big: " + b"a" * r.choice([8000, 17000]) + b"\r\n"
    ),
    "chunk_size_bad": lambda r, raw: _replace_first(
        raw,
        b"\r\n\r\n",
        b"\r\n\r\n"
        if b"chunked" not in raw
        else b"\r\n\r\n"
        + r.choice(
            [
                b"+1\r\na\r\n",
                b"0x1\r\na\r\n",
                b" 1\r\na\r\n",
                b"1 \r\na\r\n",
                b"1 ;x\r\na\r\n",
                b"11111111111111111\r\n",
                b"8000000000000000\r\n",
                b"1;\r\na\r\n",
                b"1;a\rb\r\na\r\n",
                b"1;a=\x01\r\na\r\n",
                b"1\r\nab\r\n",
                b"1\r\naX\r\n",
                b"g\r\n",
            ]
        ),
    ),
    "downgrade": lambda r, raw: _replace_first(raw, b"HTTP/1.1", b"HTTP/1.0"),
    "status_line": lambda r, raw: re.sub(
        rb"^HTTP/1\.(\d) \d{3}[^\r\n]*",
        r.choice(
            [
                b"HTTP/1.\\1 20 OK",
                b"HTTP/1.\\1 2000 OK",
                b"HTTP/1.\\1  200 OK",
                b"HTTP/1.\\1 200\tOK",
                b"HTTP/1.\\1 200",
                b"HTTP/1.\\1 abc OK",
                b"HTTP/1.\\1 200 O\x01K",
                b"HTTP/1.\\1 200 OK ",
            ]
        ),
        raw,
        count=1,
    ),
    "bad_trailer": lambda r, raw: raw.replace(
        b"0\r\n\r\n",
        b"0\r\n"
        + r.choice(
            [
                b"X-T: y\x01s",
                b"X-T : yes",
                b"X-T: a\rb",
                b" X-T: yes",
                b"Content-Length: 5",
                b"X-T: " + b"t" * 17000,
            ]
        )
        + b"\r\n\r\n",
        1,
    ),
    "byte_flip": lambda r, raw: _flip(r, raw),
    "byte_delete": lambda r, raw: _delete(r, raw),
}


def _flip(rng: random.Random, raw: bytes) -> bytes:
    if not raw:
        return raw
    i = rng.randrange(len(raw))
    value = rng.choice([0, 9, 10, 13, 32, 0x7F, 0x80, ord(":"), ord(";"), ord("0"), ord("a")])
    return raw[:i] + bytes([value]) + raw[i + 1 :]


def _delete(rng: random.Random, raw: bytes) -> bytes:
    if not raw:
        return raw
    i = rng.randrange(len(raw))
    return raw[:i] + raw[i + 1 :]


def chunked_request(rng: random.Random) -> bytes:
    return make_request(rng, "chunked")[0]


# ------------------------------------------------------------------------ steps


def feed(rng: random.Random, data: bytes, split: bool = True) -> list[Step]:
    """Receive data in random pieces, draining after most pieces."""
    steps: list[Step] = []
    pos = 0
    while pos < len(data):
        n = len(data) if not split else rng.choice([1, 2, 3, 7, 16, 64, len(data)])
        steps.append({"op": "receive", "data": t(data[pos : pos + n])})
        pos += n
        if rng.random() < 0.8 or pos >= len(data):
            steps.append({"op": "drain"})
    return steps


def eof() -> list[Step]:
    return [{"op": "receive", "data": ""}, {"op": "drain"}]


def send(event: dict[str, Any], rng: random.Random | None = None) -> Step:
    op = "send_passthrough" if rng is not None and rng.random() < 0.15 else "send"
    return {"op": op, "event": event}


def request_event(rng: random.Random, kind: str) -> tuple[dict[str, Any], bytes, bytes]:
    """A Request event to send (client side), its body, and its method."""
    headers: Hdrs = [(b"Host", b"example.com"), *rand_extra_headers(rng)]
    method = rng.choice(TOKENS[:5])
    target = b"/"
    body = b""
    version = b"1.1"
    if kind == "cl":
        body = rand_body(rng)
        headers.append((b"Content-Length", b"%d" % len(body)))
    elif kind == "chunked":
        body = rand_body(rng)
        headers.append((b"Transfer-Encoding", b"chunked"))
    elif kind == "expect100":
        body = rand_body(rng) or b"x"
        headers += [(b"Content-Length", b"%d" % len(body)), (b"Expect", b"100-continue")]
    elif kind == "upgrade":
        method = b"GET"
        headers += [(b"Connection", b"Upgrade"), (b"Upgrade", b"h2c")]
    elif kind == "connect":
        method = b"CONNECT"
        target = b"example.com:443"
    elif kind == "head":
        method = b"HEAD"
    elif kind == "close":
        headers.append((b"Connection", b"close"))
    elif kind == "http10":
        version = b"1.0"
        headers = headers[1:]
    event = {
        "type": "Request",
        "method": t(method),
        "target": t(target),
        "headers": hdr_spec(headers),
        "http_version": t(version),
    }
    return event, body, method


def body_events(rng: random.Random, body: bytes, trailers: bool) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    pos = 0
    while pos < len(body):
        n = rng.randint(1, len(body) - pos)
        events.append({"type": "Data", "data": t(body[pos : pos + n])})
        pos += n
    eom: dict[str, Any] = {"type": "EndOfMessage", "headers": []}
    if trailers and rng.random() < 0.5:
        eom["headers"] = [["X-Trailer", "1"]]
    events.append(eom)
    return events


# -------------------------------------------------------------------- scenarios

REQUEST_KINDS = [
    "get",
    "cl",
    "chunked",
    "http10",
    "close",
    "expect100",
    "upgrade",
    "connect",
    "head",
]


def server_conversation(rng: random.Random, mutate: bool) -> Script:
    """A server receiving 1-3 (maybe pipelined, maybe malformed) requests and answering."""
    kinds = [rng.choice(REQUEST_KINDS) for _ in range(rng.randint(1, 3))]
    requests = [make_request(rng, k) for k in kinds]
    name = "server:" + ",".join(kinds)
    if mutate:
        victim = rng.randrange(len(requests))
        mname = rng.choice(sorted(MUTATIONS))
        raw, info = requests[victim]
        requests[victim] = (MUTATIONS[mname](rng, raw), info)
        name += f":mutate[{victim}]={mname}"
    pipelined = rng.random() < 0.3
    steps: list[Step] = []
    if pipelined:
        steps += feed(rng, b"".join(r for r, _ in requests))
        name += ":pipelined"
    for i, (raw, info) in enumerate(requests):
        kind = info["kind"]
        head, sep, body = raw.partition(b"\r\n\r\n")
        if kind == "expect100" and not pipelined and sep:
            # The head alone first: the client now waits for 100 Continue (or not).
            steps += feed(rng, head + sep, split=rng.random() < 0.5)
            if rng.random() < 0.6:
                event = {"type": "InformationalResponse", "status_code": 100, "headers": []}
                steps.append(send(event, rng))
            steps += [*feed(rng, body), {"op": "drain"}]
        elif not pipelined:
            steps += feed(rng, raw, split=rng.random() < 0.8)
        elif kind == "expect100" and rng.random() < 0.5:
            steps.append(send({"type": "InformationalResponse", "status_code": 100, "headers": []}))
        if kind == "upgrade" and rng.random() < 0.5:
            steps.append(
                send(
                    {
                        "type": "InformationalResponse",
                        "status_code": 101,
                        "headers": [["Upgrade", "websocket"], ["Connection", "Upgrade"]],
                    }
                )
            )
            steps += feed(rng, b"raw websocket bytes")
            break
        if kind == "connect" and rng.random() < 0.5:
            steps.append(send({"type": "Response", "status_code": 200, "headers": []}))
            steps += feed(rng, b"\x16\x03\x01 tls")
            break
        status = rng.choice([200, 200, 404, 204, 304, 500])
        framing = rng.choice(["cl", "chunked", "close", "none"])
        version = b"1.0" if rng.random() < 0.05 else b"1.1"
        events = response_events(rng, status, framing, version)
        if (info["method"] == b"HEAD" or status in (204, 304)) and rng.random() < 0.9:
            events = [events[0], events[-1]]  # no body allowed (mostly respected)
        for event in events:
            steps.append(send(event, rng))
        closing = kind in ("http10", "close") or framing == "close" or version == b"1.0"
        if closing and rng.random() < 0.8:
            steps += eof() if rng.random() < 0.5 else []
            steps.append({"op": "start_next_cycle"} if rng.random() < 0.2 else {"op": "drain"})
            break
        steps.append({"op": "start_next_cycle"})
        steps.append({"op": "drain"})
        if i == len(requests) - 1 and rng.random() < 0.3:
            steps += feed(rng, raw[: rng.randrange(len(raw) + 1)])  # cut-off next request
    if rng.random() < 0.6:
        steps += eof()
    if rng.random() < 0.3:
        steps.append(send({"type": "ConnectionClosed"}))
    return {"name": name, "role": "SERVER", "steps": steps}


def client_conversation(rng: random.Random, mutate: bool) -> Script:
    """A client sending 1-3 requests and receiving (maybe malformed) responses."""
    steps: list[Step] = []
    kinds = [rng.choice(REQUEST_KINDS[:5] * 2 + REQUEST_KINDS) for _ in range(rng.randint(1, 3))]
    kinds = [k for k in kinds if k != "http10" or rng.random() < 0.2] or ["get"]
    name = "client:" + ",".join(kinds)
    victim = rng.randrange(len(kinds)) if mutate else -1
    for i, kind in enumerate(kinds):
        event, body, method = request_event(rng, kind)
        steps.append(send(event, rng))
        if kind == "expect100":
            if rng.random() < 0.5:
                steps += feed(rng, make_response(rng, 100, "none"))
            elif rng.random() < 0.5:
                # The server answers before the body: 100-continue is off.
                status = rng.choice([200, 417])
                steps += feed(rng, make_response(rng, status, "cl"))
        for ev in body_events(rng, body, kind == "chunked"):
            steps.append(send(ev, rng))
        raw = b""
        switched = False
        if kind == "upgrade" and rng.random() < 0.6:
            raw = make_response(rng, 101, "none") + b"after-switch"
            switched = True
        elif kind == "connect" and rng.random() < 0.6:
            raw = make_response(rng, 200, "none") + b"tunnel"
            switched = True
        else:
            if rng.random() < 0.2:
                raw += make_response(rng, rng.choice([100, 102, 103]), "none")
            status = rng.choice([200, 200, 201, 204, 304, 404, 500])
            framing = rng.choice(["cl", "chunked", "close"])
            if method == b"HEAD" or status in (204, 304):
                framing = rng.choice(["none", "cl"])
            version = rng.choice([b"1.1", b"1.1", b"1.0"])
            raw += make_response(rng, status, framing, version)
        if i == victim:
            mname = rng.choice(sorted(MUTATIONS))
            raw = MUTATIONS[mname](rng, raw)
            name += f":mutate[{i}]={mname}"
        if rng.random() < 0.15:
            cut = rng.randrange(len(raw) + 1)
            steps += feed(rng, raw[:cut])
            steps += eof()
            name += f":eof@{cut}"
            break
        steps += feed(rng, raw, split=rng.random() < 0.8)
        closing = kind == "close" or b"close" in raw.lower() or b"HTTP/1.0" in raw[:9]
        if closing or rng.random() < 0.1:
            steps += eof()
        if (switched or closing) and rng.random() < 0.8:
            break
        steps.append({"op": "start_next_cycle"})
    if rng.random() < 0.3:
        steps.append(send({"type": "ConnectionClosed"}))
    steps.append({"op": "drain"})
    return {"name": name, "role": "CLIENT", "steps": steps}


def eof_sweep(rng: random.Random) -> Script:
    """EOF after every possible prefix of one valid exchange (one script per cut)."""
    role = rng.choice(["CLIENT", "SERVER"])
    if role == "SERVER":
        raw, _ = make_request(rng, rng.choice(["get", "cl", "chunked", "http10"]))
        prefix: list[Step] = []
    else:
        event, _body, _ = request_event(rng, "get")
        prefix = [send(event), send({"type": "EndOfMessage"})]
        raw = make_response(rng, 200, rng.choice(["cl", "chunked", "close"]))
    cut = rng.randrange(len(raw) + 1)
    steps = prefix + feed(rng, raw[:cut]) + eof() + [{"op": "drain"}, {"op": "next_event"}]
    steps.append({"op": "receive", "data": "x"})
    return {"name": f"eof:{role}@{cut}/{len(raw)}", "role": role, "steps": steps}


def random_event(rng: random.Random) -> dict[str, Any]:
    """Any event, often valid, sometimes not."""
    choice = rng.randrange(7)
    if choice == 0:
        return request_event(rng, rng.choice(REQUEST_KINDS))[0]
    if choice == 1:
        return response_events(rng, rng.choice([200, 204, 404]), rng.choice(["cl", "none"]))[0]
    if choice == 2:
        return {
            "type": "InformationalResponse",
            "status_code": rng.choice([100, 101, 199, 200]),
            "headers": [],
        }
    if choice == 3:
        return {"type": "Data", "data": t(rand_body(rng))}
    if choice == 4:
        return {"type": "EndOfMessage", "headers": rng.choice([[], [["X", "1"]]])}
    if choice == 5:
        return {"type": "ConnectionClosed"}
    bad: dict[str, Any] = rng.choice(
        [
            {"type": "Request", "method": "GET", "target": "/", "headers": []},
            {"type": "Request", "method": "G T", "target": "/", "headers": [["Host", "a"]]},
            {"type": "Request", "method": "GET", "target": "/ x", "headers": [["Host", "a"]]},
            {"type": "Request", "method": "GET", "target": "/", "headers": [["Host", " a "]]},
            {"type": "Request", "method": "GET", "target": "/", "headers": [["Host", "a\tb"]]},
            {
                "type": "Request",
                "method": "GET",
                "target": "/",
                "headers": [["Host", "a"], ["X", "\tv"]],
            },
            {"type": "Request", "method": "GET", "target": "/", "headers": [["Host", "a\x00"]]},
            {"type": "Request", "method": "GET", "target": "/", "headers": [["Bad Name", "a"]]},
            {
                "type": "Request",
                "method": "GET",
                "target": "/",
                "headers": [["Host", "a"], ["Content-Length", "x"]],
            },
            {
                "type": "Request",
                "method": "GET",
                "target": "/",
                "headers": [["Host", "a"], ["Transfer-Encoding", "gzip"]],
            },
            {
                "type": "Request",
                "method": "POST",
                "target": "/",
                "headers": [
                    ["Host", "a"],
                    ["Transfer-Encoding", "chunked"],
                    ["Content-Length", "3"],
                ],
            },
            {
                "type": "Response",
                "status_code": 200,
                "headers": [["Transfer-Encoding", "chunked"], ["Content-Length", "3"]],
            },
            {"type": "Response", "status_code": 99, "headers": []},
            {"type": "Response", "status_code": 1000, "headers": []},
            {"type": "Response", "status_code": 200, "headers": [], "reason": "a\r\nb"},
            {"type": "Response", "status_code": 200, "headers": [["X", "v "]]},
            {
                "type": "Request",
                "method": "GET",
                "target": "/",
                "headers": [["Host", "a"]],
                "http_version": "2.0",
            },
        ]
    )
    return bad


def api_misuse(rng: random.Random) -> Script:
    """Random operations in random states: wrong-state sends, early start_next_cycle..."""
    role = rng.choice(["CLIENT", "SERVER"])
    pool: list[bytes] = [
        make_request(rng, rng.choice(REQUEST_KINDS))[0],
        make_response(rng, 200, "cl"),
        make_response(rng, 100, "none"),
        b"",
        b"garbage\r\n\r\n",
    ]
    steps: list[Step] = []
    for _ in range(rng.randint(3, 14)):
        op = rng.randrange(6)
        if op <= 1:
            steps.append(send(random_event(rng), rng))
        elif op == 2:
            steps += feed(rng, rng.choice(pool))
        elif op == 3:
            steps.append({"op": "start_next_cycle"})
        elif op == 4:
            steps.append({"op": rng.choice(["next_event", "drain"])})
        else:
            steps.append({"op": rng.choice(["send_failed", "drain"])})
    return {"name": f"misuse:{role}", "role": role, "steps": steps}


def small_limit(rng: random.Random) -> Script:
    """A small max_incomplete_event_size against heads near the limit."""
    limit = rng.choice([10, 40, 64, 100])
    raw, _ = make_request(rng, rng.choice(["get", "cl"]))
    return {
        "name": f"limit:{limit}",
        "role": "SERVER",
        "max_incomplete_event_size": limit,
        "steps": feed(rng, raw, split=rng.random() < 0.5) + eof(),
    }


# --------------------------------------------------------------- response sweep

#: Valid responses cut into labelled grammar elements (method of the request first): the
#: response sweep mutates one byte of one element. Every framing, both versions, the
#: bodiless statuses (HEAD, 204, 304, 1xx before the final response) and an obs-fold.
Segments = list[tuple[str, bytes]]
_STATUS_200 = [
    ("version", b"HTTP/1.1"),
    ("sp-status", b" "),
    ("status", b"200"),
    ("sp-reason", b" "),
    ("reason", b"OK"),
    ("eol-status", b"\r\n"),
]


def _field(name: bytes, value: bytes, prefix: str = "") -> Segments:
    return [
        (f"{prefix}name", name),
        (f"{prefix}colon", b":"),
        (f"{prefix}ows", b" "),
        (f"{prefix}value", value),
        (f"{prefix}eol-field", b"\r\n"),
    ]


def _status(version: bytes, code: bytes, reason: bytes) -> Segments:
    return [
        ("version", b"HTTP/" + version),
        ("sp-status", b" "),
        ("status", code),
        ("sp-reason", b" "),
        ("reason", reason),
        ("eol-status", b"\r\n"),
    ]


_CHUNKS: Segments = [
    ("chunk-size", b"5"),
    ("chunk-ext", b";e=v"),
    ("eol-chunk-size", b"\r\n"),
    ("chunk-data", b"hello"),
    ("eol-chunk-data", b"\r\n"),
    ("chunk-size", b"3"),
    ("chunk-ext", b';n="q v"'),
    ("eol-chunk-size", b"\r\n"),
    ("chunk-data", b"abc"),
    ("eol-chunk-data", b"\r\n"),
    ("last-chunk", b"0"),
    ("eol-last-chunk", b"\r\n"),
    *_field(b"T", b"v", "trailer-"),
    ("eol-trailers", b"\r\n"),
]
SWEEP_RESPONSES: dict[str, tuple[str, Segments]] = {
    "cl": (
        "GET",
        [
            *_status(b"1.1", b"200", b"OK"),
            *_field(b"Content-Length", b"5"),
            *_field(b"Set-Cookie", b"a=b; c"),
            ("eol-head", b"\r\n"),
            ("body", b"hello"),
        ],
    ),
    "chunked": (
        "GET",
        [
            *_status(b"1.1", b"200", b"OK"),
            *_field(b"Transfer-Encoding", b"chunked"),
            ("eol-head", b"\r\n"),
            *_CHUNKS,
        ],
    ),
    "http10-close": (
        "GET",
        [
            *_status(b"1.0", b"200", b"OK"),
            *_field(b"Server", b"x y"),
            ("eol-head", b"\r\n"),
            ("body", b"hello"),
        ],
    ),
    "close": (
        "GET",
        [
            *_status(b"1.1", b"200", b"OK"),
            *_field(b"Connection", b"close"),
            ("eol-head", b"\r\n"),
            ("body", b"body"),
        ],
    ),
    "fold": (
        "GET",
        [
            *_status(b"1.1", b"200", b"OK"),
            ("name", b"X-Fold"),
            ("colon", b":"),
            ("ows", b" "),
            ("value", b"v1"),
            ("obs-fold", b"\r\n "),
            ("value", b"v2"),
            ("eol-field", b"\r\n"),
            *_field(b"Content-Length", b"2"),
            ("eol-head", b"\r\n"),
            ("body", b"hi"),
        ],
    ),
    "head": (
        "HEAD",
        [*_status(b"1.1", b"200", b"OK"), *_field(b"Content-Length", b"5"), ("eol-head", b"\r\n")],
    ),
    "204": (
        "GET",
        [*_status(b"1.1", b"204", b"No Content"), *_field(b"X", b"y"), ("eol-head", b"\r\n")],
    ),
    "304": (
        "GET",
        [
            *_status(b"1.1", b"304", b"Not Modified"),
            *_field(b"ETag", b'"x"'),
            ("eol-head", b"\r\n"),
        ],
    ),
    "1xx": (
        "GET",
        [
            *_status(b"1.1", b"103", b"Early Hints"),
            *_field(b"Link", b"</a>"),
            ("eol-head", b"\r\n"),
            ("final", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"),
        ],
    ),
    "http10-chunked": (
        "GET",
        [
            *_status(b"1.0", b"200", b"OK"),
            *_field(b"Transfer-Encoding", b"chunked"),
            ("eol-head", b"\r\n"),
            *_CHUNKS,
        ],
    ),
}
#: What goes into (or replaces) a byte: controls, whitespace, line ends, separators,
#: non-ASCII, and ordinary token characters.
SWEEP_BYTES = b'\x00\x01\x08\x0b\x0c\x1f\t \r\n\x7f\x80\xff:;,="0aA-'


def sweep_mutants(segments: Segments) -> list[tuple[str, str, bytes]]:
    """Every one-byte mutation of a response: (element, description, bytes) for each
    position and SWEEP_BYTES byte inserted before it or replacing it, and the byte
    deleted; the valid response first."""
    raw = b"".join(data for _, data in segments)
    labels = [label for label, data in segments for _ in data] + ["end"]
    out = [("", "valid", raw)]
    for i, label in enumerate(labels):
        at = f"at {label} (byte {i})"
        for byte in SWEEP_BYTES:
            out.append((label, f"insert {byte:#04x} {at}", raw[:i] + bytes([byte]) + raw[i:]))
            if i < len(raw):
                edit = raw[:i] + bytes([byte]) + raw[i + 1 :]
                out.append((label, f"replace by {byte:#04x} {at}", edit))
        if i < len(raw):
            out.append((label, f"delete {at}", raw[:i] + raw[i + 1 :]))
    return out


def sweep_script(name: str, method: str, raw: bytes, reads: str, rng: random.Random) -> Script:
    """A client sends `method`, receives `raw` (whole, byte by byte or in random pieces),
    then EOF."""
    request = {"type": "Request", "method": method, "target": "/", "headers": [["Host", "a"]]}
    steps: list[Step] = [send(request), send({"type": "EndOfMessage"})]
    if reads == "bytewise":
        for i in range(len(raw)):
            steps += [{"op": "receive", "data": t(raw[i : i + 1])}, {"op": "drain"}]
    else:
        steps += feed(rng, raw, split=reads == "split")
    steps += eof()
    return {"name": f"sweep:{name}:{reads}", "role": "CLIENT", "steps": steps}


def response_sweep(rng: random.Random) -> Script:
    """One mutant of one grammar element of one SWEEP_RESPONSES entry (element first, so
    every element is as likely as any other), read whole, byte by byte or split."""
    base = rng.choice(sorted(SWEEP_RESPONSES))
    method, segments = SWEEP_RESPONSES[base]
    label = rng.choice(sorted({label for label, _ in segments}))
    _, what, raw = rng.choice([m for m in sweep_mutants(segments) if m[0] == label])
    # Byte-by-byte reads cost a step per byte: one script in five.
    reads = rng.choice(["whole", "whole", "split", "split", "bytewise"])
    return sweep_script(f"{base}:{what}", method, raw, reads, rng)


def full_response_sweep(seed: int) -> list[Script]:
    """Every distinct mutant of every SWEEP_RESPONSES entry, read whole (about 25,000
    conversations; `run.py --sweep-all`)."""
    rng = random.Random(seed)
    seen: set[tuple[str, bytes]] = set()
    scripts = []
    for base, (method, segments) in sorted(SWEEP_RESPONSES.items()):
        for _, what, raw in sweep_mutants(segments):
            if (method, raw) not in seen:
                seen.add((method, raw))
                scripts.append(sweep_script(f"{base}:{what}", method, raw, "whole", rng))
    for index, script in enumerate(scripts):
        script["index"] = index
    return scripts


def generate(seed: int, count: int, sweep: int = 0) -> list[Script]:
    """`count` scripts from `seed`, then `sweep` response-sweep scripts; each script gets
    its own derived Random."""
    master = random.Random(seed)
    scripts = []
    for index in range(count):
        rng = random.Random(master.getrandbits(64))
        pick = rng.random()
        if pick < 0.25:
            script = server_conversation(rng, mutate=False)
        elif pick < 0.45:
            script = server_conversation(rng, mutate=True)
        elif pick < 0.62:
            script = client_conversation(rng, mutate=False)
        elif pick < 0.77:
            script = client_conversation(rng, mutate=True)
        elif pick < 0.85:
            script = eof_sweep(rng)
        elif pick < 0.95:
            script = api_misuse(rng)
        else:
            script = small_limit(rng)
        script["index"] = index
        scripts.append(script)
    for index in range(count, count + sweep):
        script = response_sweep(random.Random(master.getrandbits(64)))
        script["index"] = index
        scripts.append(script)
    return scripts
