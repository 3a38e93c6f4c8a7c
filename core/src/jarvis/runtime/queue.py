"""The run queue: at most ``limit`` runs at once (changeable live), FIFO, and the pause switch."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class RunQueue:
    """A FIFO limiter whose limit can change while runs wait, plus pause and resume."""

    def __init__(self, limit: int = 3):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._limit = limit
        self._running = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._paused = False
        self._resumed = asyncio.Event()
        self._resumed.set()

    @property
    def limit(self) -> int:
        return self._limit

    @property
    def running(self) -> int:
        return self._running

    @property
    def queued(self) -> int:
        return sum(1 for w in self._waiters if not w.done())

    @property
    def paused(self) -> bool:
        return self._paused

    def snapshot(self) -> dict[str, int]:
        """What ``GET /api/queue`` reports."""
        return {"running": self._running, "queued": self.queued, "max_concurrent": self._limit}

    def set_limit(self, limit: int) -> None:
        """Change the limit live; waiting runs start at once if the new limit allows."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self._limit = limit
        self._wake()

    def pause(self) -> None:
        self._paused = True
        self._resumed.clear()

    def resume(self) -> None:
        self._paused = False
        self._resumed.set()
        self._wake()

    async def wait_if_paused(self) -> None:
        """Running loops call this before each model call."""
        await self._resumed.wait()

    async def acquire(self) -> None:
        if not self._paused and not self._waiters and self._running < self._limit:
            self._running += 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()  # the slot was granted just as we were cancelled: hand it on
            else:
                self._waiters.remove(fut)
            raise

    def release(self) -> None:
        self._running -= 1
        self._wake()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self.acquire()
        try:
            yield
        finally:
            self.release()

    def _wake(self) -> None:
        while not self._paused and self._waiters and self._running < self._limit:
            fut = self._waiters.popleft()
            if fut.done():
                continue
            self._running += 1
            fut.set_result(None)
