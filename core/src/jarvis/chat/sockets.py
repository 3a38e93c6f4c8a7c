"""One WebSocket's outgoing frames: a bounded queue and a writer, so a slow reader is dropped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from aiohttp import WSCloseCode, web

from ..background import stop_task
from ..runtime.events import Frame

log = logging.getLogger("jarvis.chat")

SEND_QUEUE_LIMIT = 1000  # frames waiting for one socket before it counts as not reading
CLOSE_TIMEOUT = 2.0
# one encoder for every frame: json.dumps with an option builds a new encoder on each call
_encode = json.JSONEncoder(default=str).encode


class _Close:
    """Queued after a socket's last frame: the writer closes the socket when it gets here."""

    def __init__(self, code: int, message: str):
        self.code = code
        self.message = message


class SocketSender:
    """Sends frames to one socket in order; past ``limit`` waiting frames it closes with 1013."""

    def __init__(self, ws: web.WebSocketResponse, transport: asyncio.Transport | None = None,
                 limit: int = SEND_QUEUE_LIMIT):
        self.ws = ws
        self._transport = transport
        self.closed = False
        self._queue: asyncio.Queue[Frame | _Close] = asyncio.Queue(limit + 1)  # + the close
        self._writer = asyncio.create_task(self._write(), name="ws-writer")
        self._closer: asyncio.Task[None] | None = None
        self._ending = False

    def send(self, frame: Frame) -> None:
        """Queue a frame; a socket whose queue is full is dropped instead."""
        if self.closed:
            return
        try:
            if self._queue.qsize() >= self._queue.maxsize - 1:
                raise asyncio.QueueFull  # the last place is kept for a close
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            log.info("dropping a WebSocket that does not read its frames")
            self.drop(WSCloseCode.TRY_AGAIN_LATER, "too slow: frames not read")

    async def _write(self) -> None:
        try:
            while True:
                frame = await self._queue.get()
                if isinstance(frame, _Close):
                    self._closer = asyncio.create_task(self._close(frame.code, frame.message))
                    return
                await self.ws.send_str(_encode(frame))
        except (ConnectionError, RuntimeError):
            self.closed = True  # the peer went away; the reader ends the socket
        except asyncio.CancelledError:
            raise

    def end(self, code: int, message: str, frame: Frame | None = None) -> None:
        """Send ``frame`` after the frames already queued, then close with ``code``."""
        if frame is not None:
            self.send(frame)
        if self.closed:
            return
        self.closed = True  # nothing more is queued
        self._ending = True
        self._queue.put_nowait(_Close(code, message))

    def drop(self, code: int, message: str) -> None:
        """Close the socket now, whatever is still queued."""
        if self.closed:
            return
        self.closed = True
        self._writer.cancel()
        self._closer = asyncio.create_task(self._close(code, message))

    async def _close(self, code: int, message: str) -> None:
        try:
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await self.ws.close(code=code, message=message.encode())
        except (TimeoutError, ConnectionError, RuntimeError):
            pass
        finally:
            # a peer that stopped reading may never answer the close: cut the connection
            if self._transport is not None and not self._transport.is_closing():
                self._transport.abort()

    async def aclose(self) -> None:
        """Stop the writer once what precedes an :meth:`end` is sent (the handler closes the
        socket otherwise)."""
        self.closed = True
        if self._ending and self._closer is None:
            # let the writer send what is queued up to the close (bounded: it cannot wait long)
            await asyncio.wait({self._writer}, timeout=CLOSE_TIMEOUT)
        await stop_task(self._writer)
        if self._closer is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._closer
