"""A live run as its watchers see it: listeners of its frames and a way to wait for its end."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from ..run_requests import RunOutcome, RunRequest
from .control import RunControl
from .events import Frame, ToolFinished

log = logging.getLogger("jarvis.runtime")

Listener = Callable[[Frame], None]


class RunHandle:
    """One run in progress: its request, controls, listeners and (soon) its outcome."""

    def __init__(self, run_id: str, request: RunRequest, model_id: str):
        self.id = run_id
        self.request = request
        self.model_id = model_id
        self.conversation_id = request.conversation_id
        self.control = RunControl(lambda event: self.publish(event.frame()))  # type: ignore[union-attr]
        self.listeners: list[Listener] = []
        self.outcome: asyncio.Future[RunOutcome] = asyncio.get_running_loop().create_future()
        self.task: asyncio.Task[None] | None = None
        self.unsaved_calls: list[ToolFinished] = []
        self.unsaved_rows: list[dict[str, Any]] = []  # messages stored with the next write

    @property
    def user_id(self) -> str:
        return self.request.user.id

    def publish(self, frame: Frame) -> None:
        """Hand a frame to every listener; a failing listener is dropped, the run goes on."""
        for listener in list(self.listeners):
            try:
                listener(frame)
            except Exception:
                log.exception("a listener of run %s failed", self.id)
                self.unlisten(listener)

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Receive the run's further frames; returns the function that stops it."""
        self.listeners.append(listener)
        return lambda: self.unlisten(listener)

    def unlisten(self, listener: Listener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)


class RunSubscription:
    """The frames of one run as an async iterator; it ends after ``done`` or ``error``.

    A subscriber that falls ``limit`` frames behind is cut off (``overflowed``) rather than
    letting the buffer grow without bound.
    """

    def __init__(self, handle: RunHandle | None, limit: int = 1000):
        self.overflowed = False
        self._queue: asyncio.Queue[Frame | None] = asyncio.Queue(limit)
        self._stop: Callable[[], None] = lambda: None
        if handle is None:
            self._queue.put_nowait(None)
        else:
            self._stop = handle.listen(self._on_frame)
            handle.outcome.add_done_callback(lambda _f: self._end())

    def _on_frame(self, frame: Frame) -> None:
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.overflowed = True
            self._end()

    def _end(self) -> None:
        self._stop()
        while True:
            try:
                self._queue.put_nowait(None)
                return
            except asyncio.QueueFull:
                self._queue.get_nowait()  # make room for the end marker

    def close(self) -> None:
        self._end()

    def __aiter__(self) -> AsyncIterator[Frame]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Frame]:
        while True:
            frame = await self._queue.get()
            if frame is None:
                return
            yield frame
