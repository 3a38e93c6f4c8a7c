"""An APScheduler executor that hands the jobs due together, with their scheduled times, to one
coroutine function.

APScheduler 3 calls a job's function without the time it was due; the fire key needs it, so this
executor passes it. The jobs APScheduler submits in one pass (every job due at that moment) go
to a single ``await fire([(job_id, scheduled_time), ...])``, so a minute with many due agents
costs one read and one claim for all of them instead of one each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any

from apscheduler.executors.base import BaseExecutor

Fire = Callable[[Sequence[tuple[str, datetime]]], Coroutine[Any, Any, Any]]


class FireExecutor(BaseExecutor):
    """Runs ``fire([(job.id, due), ...])`` as one task for the jobs submitted in one pass."""

    def __init__(self, fire: Fire):
        super().__init__()
        self._fire = fire
        self._batch: list[tuple[str, datetime]] = []
        self.tasks: set[asyncio.Task[Any]] = set()

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        # APScheduler's AsyncIOScheduler submits the due jobs one after the other in one callback
        # of its loop; the batch goes out right after that callback
        if not self._batch:
            asyncio.get_running_loop().call_soon(self._flush)
        self._batch.append((job.id, run_times[-1]))

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        task = asyncio.get_running_loop().create_task(self._fire(batch), name="fires")
        self.tasks.add(task)
        task.add_done_callback(lambda t: self._done([key for key, _ in batch], t))

    def _done(self, job_ids: list[str], task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        exc = None if task.cancelled() else task.exception()
        for job_id in job_ids:
            if exc is not None:
                self._run_job_error(job_id, exc, exc.__traceback__)
            else:
                self._run_job_success(job_id, [])

    def shutdown(self, wait: bool = True) -> None:
        self._batch = []
        for task in self.tasks:
            task.cancel()

    async def drain(self) -> None:
        """Wait for the fires in progress (after :meth:`shutdown`, for their cancellation)."""
        await asyncio.sleep(0)  # a batch submitted just now becomes a task
        if self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
