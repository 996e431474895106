"""The receive buffer of a reader: bytes in, consumed from the front.

Kept apart from the reading steps (h11_parser._message_reader) that consume it. A read
that arrives while nothing is pending is kept as the caller's own ``bytes``
object (no copy); an unfinished message grows a ``bytearray``; a body piece
that is a whole read is handed out as that same object.
"""

from __future__ import annotations

__all__ = ["ReceiveBuffer"]


class ReceiveBuffer:
    """Received bytes not yet turned into events (``_buf[_pos:]``), and EOF."""

    def __init__(self) -> None:
        self._buf: bytes | bytearray = b""
        self._pos = 0
        self.eof = False

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Add received bytes; ``b""`` marks EOF (as in h11, so does any empty value)."""
        if not data:
            self.eof = True
            return
        if type(data) is not bytes:
            data = _bytes_like(data)
        if self.eof:
            raise RuntimeError(
                "data received after EOF: b'' (the peer closed) was already received, and "
                "nothing can follow it on the same connection; read the remaining events, "
                "then use a new parser or Connection for the next connection"
            )
        buf = self._buf
        pos = self._pos
        if pos == len(buf):
            # Nothing pending: keep the caller's bytes object itself (no copy).
            self._buf = data if type(data) is bytes else bytes(data)
            self._pos = 0
        elif type(buf) is bytearray:
            # An unfinished message grows (the trickle path).
            if pos:
                del buf[:pos]
                self._pos = 0
            buf += data
        else:
            grown = bytearray(memoryview(buf)[pos:])
            grown += data
            self._buf = grown
            self._pos = 0

    @property
    def buffered(self) -> bytes:
        """The bytes received and not yet turned into events."""
        return bytes(memoryview(self._buf)[self._pos :])

    def has_buffered(self) -> bool:
        return self._pos < len(self._buf)

    def _take(self, count: int) -> bytes:
        """Remove up to ``count`` buffered bytes, without copying when possible."""
        buf = self._buf
        pos = self._pos
        available = len(buf) - pos
        if count >= available:
            if pos == 0 and type(buf) is bytes:
                data = buf
            else:
                data = bytes(memoryview(buf)[pos:])
            self._buf = b""
            self._pos = 0
            return data
        end = pos + count
        data = buf[pos:end] if type(buf) is bytes else bytes(memoryview(buf)[pos:end])
        self._pos = end
        return data


def _bytes_like(data: object) -> memoryview:
    """``data`` as a buffer; TypeError if it is not bytes-like (h11 raises TypeError too).

    ``bytes(data)`` alone would take ``5`` for five NUL bytes and a list of ints for bytes.
    """
    try:
        return memoryview(data)  # type: ignore[arg-type]
    except TypeError:
        hint = " (encode it first, e.g. data.encode('ascii'))" if isinstance(data, str) else ""
        raise TypeError(
            f"received data must be bytes-like (bytes, bytearray or memoryview), "
            f"not {type(data).__name__}{hint}"
        ) from None
