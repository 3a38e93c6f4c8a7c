"""One WebSocket's outgoing frames: a bounded queue and a writer, so a slow reader is dropped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from aiohttp import WSCloseCode, web

from .events import Frame

log = logging.getLogger("jarvis.chat")

SEND_QUEUE_LIMIT = 1000  # frames waiting for one socket before it counts as not reading
CLOSE_TIMEOUT = 2.0


class SocketSender:
    """Sends frames to one socket in order; past ``limit`` waiting frames it closes with 1013."""

    def __init__(self, ws: web.WebSocketResponse, transport: asyncio.BaseTransport | None = None,
                 limit: int = SEND_QUEUE_LIMIT):
        self.ws = ws
        self._transport = transport
        self.closed = False
        self._queue: asyncio.Queue[Frame] = asyncio.Queue(limit)
        self._writer = asyncio.create_task(self._write(), name="ws-writer")
        self._closer: asyncio.Task[None] | None = None

    def send(self, frame: Frame) -> None:
        """Queue a frame; a socket whose queue is full is dropped instead."""
        if self.closed:
            return
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            log.info("dropping a WebSocket that does not read its frames")
            self.drop(WSCloseCode.TRY_AGAIN_LATER, "too slow: frames not read")

    async def _write(self) -> None:
        try:
            while True:
                frame = await self._queue.get()
                await self.ws.send_str(json.dumps(frame, default=str))
        except (ConnectionError, RuntimeError):
            self.closed = True  # the peer went away; the reader ends the socket
        except asyncio.CancelledError:
            raise

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
        """Flush nothing more; stop the writer (the socket itself is closed by its handler)."""
        self.closed = True
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._writer
        if self._closer is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._closer
