"""Steering a live run from outside: stop, pause, and the user's answers to confirmations."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .events import ConfirmationAsked, Event
from .queue import RunQueue


class RunControl:
    """Shared by a run's loop and whoever steers it (the chat session, the stop route)."""

    def __init__(self, publish: Callable[[Event], None] | None = None):
        self.publish = publish or (lambda event: None)
        self.stopped = False
        self._stop = asyncio.Event()
        self._pending: dict[str, tuple[ConfirmationAsked, asyncio.Future[bool]]] = {}
        self._stream: asyncio.Task[Any] | None = None

    # -- stop ------------------------------------------------------------------------------

    def stop(self) -> None:
        """End the run at its next step; a model call or confirmation in progress ends now."""
        if self.stopped:
            return
        self.stopped = True
        self._stop.set()
        for _event, future in self._pending.values():
            if not future.done():
                future.set_result(False)
        if self._stream is not None and not self._stream.done():
            self._stream.cancel()

    def attach_stream(self, task: asyncio.Task[Any] | None) -> None:
        """The task reading the model's answer, cancelled by :meth:`stop`."""
        self._stream = task

    async def wait_if_paused(self, queue: RunQueue) -> None:
        """Wait while the agent is paused (returns at once on stop)."""
        if not queue.paused or self.stopped:
            return
        resumed = asyncio.ensure_future(queue.wait_if_paused())
        stopped = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({resumed, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            resumed.cancel()
            stopped.cancel()

    # -- confirmations ---------------------------------------------------------------------

    @property
    def pending_confirmation(self) -> ConfirmationAsked | None:
        """The confirmation the run waits for, if any."""
        for event, future in reversed(self._pending.values()):
            if not future.done():
                return event
        return None

    async def confirm(self, event: ConfirmationAsked, timeout: float) -> bool | None:  # noqa: ASYNC109
        """Publish the question and wait for the answer: True, False, or None after ``timeout``."""
        if self.stopped:
            return False
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending[event.call_id] = (event, future)
        self.publish(event)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None
        finally:
            self._pending.pop(event.call_id, None)

    def answer(self, call_id: str, approved: bool) -> bool:
        """Deliver the user's answer; False when no confirmation with that id is pending."""
        entry = self._pending.get(call_id)
        if entry is None or entry[1].done():
            return False
        entry[1].set_result(approved)
        return True

    async def wait_stopped(self) -> None:
        """Return once the run is stopped."""
        await self._stop.wait()
