"""An APScheduler executor that hands each due job's scheduled time to a coroutine function.

APScheduler 3 calls a job's function without the time it was due; the fire key needs it, so this
executor passes it: ``await fire(job_id, scheduled_time)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from apscheduler.executors.base import BaseExecutor

Fire = Callable[[str, datetime], Coroutine[Any, Any, Any]]


class FireExecutor(BaseExecutor):
    """Runs ``fire(job.id, due)`` as a task on the running loop for each due job."""

    def __init__(self, fire: Fire):
        super().__init__()
        self._fire = fire
        self.tasks: set[asyncio.Task[Any]] = set()

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        # APScheduler's AsyncIOScheduler processes jobs on its event loop, so one is running
        task = asyncio.get_running_loop().create_task(
            self._fire(job.id, run_times[-1]), name=f"fire:{job.id}")
        self.tasks.add(task)
        task.add_done_callback(lambda t: self._done(job.id, t))

    def _done(self, job_id: str, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        exc = None if task.cancelled() else task.exception()
        if exc is not None:
            self._run_job_error(job_id, exc, exc.__traceback__)
        else:
            self._run_job_success(job_id, [])

    def shutdown(self, wait: bool = True) -> None:
        for task in self.tasks:
            task.cancel()

    async def drain(self) -> None:
        """Wait for the fires in progress (after :meth:`shutdown`, for their cancellation)."""
        if self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
