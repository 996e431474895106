"""A small ASGI app served by uvicorn on its h11 backend, for the example client to talk to.

Run as a script it binds a free loopback port, prints
``listening on http://127.0.0.1:PORT`` and serves until SIGINT or SIGTERM.
uvicorn is told to use ``http="h11"``, so it runs on whatever ``h11`` is installed.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """/echo returns the body; /chunked streams lines; anything else describes the request."""
    if scope["type"] != "http":
        return
    path = scope["path"]
    if path == "/echo":
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        await _reply(send, 200, body, b"application/octet-stream")
    elif path == "/chunked":
        # No Content-Length and several body messages: uvicorn sends it chunked.
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i in range(3):
            await send({"type": "http.response.body", "body": b"line %d\n" % i, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    else:
        info = {
            "method": scope["method"],
            "path": path,
            "http_version": scope["http_version"],
            "headers": [[n.decode("latin-1"), v.decode("latin-1")] for n, v in scope["headers"]],
        }
        await _reply(send, 200, json.dumps(info).encode(), b"application/json")


async def _reply(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> int:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, http="h11", lifespan="off", log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
