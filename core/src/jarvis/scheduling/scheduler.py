"""The scheduler: cron jobs built from the agents table, each fire run at most once.

The table is the truth. Jobs are rebuilt at start-up, after every change made here, and when a
cheap stamp of the table shows a change made by another process. A fire is claimed by inserting
its (schedule, scheduled time) row; only the process whose insert wins starts the run, so several
processes on one database run each fire once. Fires missed while no process ran are run once
when they are at most ``grace_seconds`` old, and recorded as missed otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.interval import IntervalTrigger
from pydantic import BaseModel, ConfigDict, Field

from ..cron import ShiftedTrigger, cron_trigger, fire_times, next_fire, to_utc
from ..errors import JarvisError
from ..keys import CONFIG, DATABASE, RUNTIME, SETTINGS
from ..services import fires
from ..timeutil import utcnow
from .entries import Entry, load_entries, load_entry, load_targets, stamp
from .executor import FireExecutor

log = logging.getLogger("jarvis.scheduler")
_jobs_log = logging.getLogger("jarvis.scheduler.jobs")
_jobs_log.setLevel(logging.WARNING)  # APScheduler logs every added job at INFO: 10,000 lines

SYNC_SECONDS = 30.0  # how soon a change made by another process reaches this one's jobs
SYNC_JOB = "jarvis:sync"
LOOKBACK = timedelta(days=1)  # missed fires older than this are not recorded one by one
MISSED_KEPT = 20  # missed fires recorded per schedule after a long stop


class SchedulerSettings(BaseModel):
    """The ``scheduler`` settings section."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    grace_seconds: int = Field(300, ge=0, le=7 * 24 * 3600)


@dataclass(frozen=True, slots=True)
class FireResult:
    """What one fire did: started (a run), taken (by another process), missed, failed,
    skipped (the owner is disabled or gone), or ignored (not a fire of the schedule as it
    is now)."""

    status: str
    run_id: str | None = None


class Scheduler:
    """Cron jobs for every enabled, scheduled agent (scheduled tasks among them) of one app."""

    def __init__(self, app: web.Application):
        self.app = app
        # How far the scheduler's clock is ahead of the real one: zero in service; tests and the
        # benchmark set it (set_shift) to stand at a chosen moment without waiting for it.
        self.shift = timedelta(0)
        self.sync_interval = SYNC_SECONDS
        self._executor = FireExecutor(self._due)
        self._aps: AsyncIOScheduler | None = None
        self._jobs: dict[str, tuple[str, str]] = {}  # key -> (cron, zone) it was built with
        self._stamp: tuple[Any, ...] | None = None
        self._zone = "UTC"
        self._sync_lock = asyncio.Lock()

    # -- settings -----------------------------------------------------------------------------

    @property
    def time_zone(self) -> str:
        """The zone cron schedules are read in: the general setting, else the server's."""
        return self.app[CONFIG].get("general").time_zone or self.app[SETTINGS].time_zone

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=self.app[CONFIG].get("scheduler").grace_seconds)

    def now(self) -> datetime:
        """The scheduler's time (naive UTC)."""
        return utcnow() + self.shift

    # -- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Build the jobs, start firing, then run or record the fires missed while down."""
        self._zone = self.time_zone
        self._aps = AsyncIOScheduler(
            timezone=ZoneInfo(self._zone), logger=_jobs_log,
            executors={"default": AsyncIOExecutor(), "fires": self._executor},
            job_defaults={"coalesce": True, "max_instances": 4, "misfire_grace_time": None},
        )
        await self.sync(force=True)
        self._aps.add_job(self._sync_quietly, IntervalTrigger(seconds=self.sync_interval),
                          id=SYNC_JOB)
        self._aps.start()
        self.app[CONFIG].on_change("general", self._general_changed)
        await self.catch_up()

    async def stop(self) -> None:
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down in a callback of the loop
        self._executor.shutdown()
        await self._executor.drain()

    async def drain(self) -> None:
        """Wait for the fires in progress to finish."""
        await self._executor.drain()

    # -- jobs ---------------------------------------------------------------------------------

    async def sync(self, force: bool = False) -> bool:
        """Bring the jobs in line with the table when it changed; True when it looked."""
        async with self._sync_lock:
            current = await stamp(self.app[DATABASE])
            if not force and current == self._stamp:
                return False
            entries = await load_entries(self.app[DATABASE])
            self._stamp = current
            wanted = {e.key: e.schedule for e in entries}
            with self._held():
                for key in [k for k in self._jobs if k not in wanted]:
                    self._remove(key)
                for key, schedule in wanted.items():
                    self._put(key, schedule)
            return True

    def rebuild(self) -> None:
        """Build every job again (after a change of the zone or the clock)."""
        built = {key: schedule for key, (schedule, _zone) in self._jobs.items()}
        self._zone = self.time_zone
        self._jobs.clear()  # each job is put again, replacing the one of the same id
        with self._held():
            for key, schedule in built.items():
                self._put(key, schedule)

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        """Jobs put meanwhile are looked at once, at the end: a running APScheduler goes over
        the due jobs after every job added, 10,000 passes for 10,000 jobs."""
        aps = self._aps
        if aps is None or aps.state != STATE_RUNNING:
            yield
            return
        aps.pause()
        try:
            yield
        finally:
            aps.resume()  # and fires what came due meanwhile

    def set_shift(self, shift: timedelta) -> None:
        """Move the scheduler's clock ``shift`` ahead of the real one (tests, benchmarks)."""
        self.shift = shift
        self.rebuild()

    async def reload(self, agent_id: str) -> None:
        """Rebuild the job of one agent after it was created, changed or deleted."""
        key = fires.schedule_key(agent_id)
        async with self._sync_lock:  # a sync in progress must not put back what this removes
            entry = await load_entry(self.app[DATABASE], key)
            if entry is None:
                self._remove(key)
            else:
                self._put(key, entry.schedule)

    def next_run_time(self, agent_id: str) -> datetime | None:
        """When the job of an agent fires next (naive UTC), or None without a job."""
        job = self._aps.get_job(fires.schedule_key(agent_id)) if self._aps else None
        when = getattr(job, "next_run_time", None) if job is not None else None
        return to_utc(when) + self.shift if when is not None else None

    @property
    def job_count(self) -> int:
        return len(self._jobs)

    def _put(self, key: str, schedule: str) -> None:
        built = (schedule, self._zone)
        if self._jobs.get(key) == built or self._aps is None:
            return
        trigger: Any = cron_trigger(schedule, self._zone)
        if self.shift:
            trigger = ShiftedTrigger(trigger, self.shift)
        self._aps.add_job(
            self._due, trigger, args=(key,), id=key, name=key, executor="fires",
            replace_existing=True,
        )
        self._jobs[key] = built

    def _remove(self, key: str) -> None:
        if self._jobs.pop(key, None) is not None and self._aps is not None:
            with contextlib.suppress(JobLookupError):
                self._aps.remove_job(key)

    async def _sync_quietly(self) -> None:
        try:
            await self.sync()
        except Exception:  # the database may be away for a moment; the next round retries
            log.exception("scheduler sync failed")

    def _general_changed(self, _general: Any) -> None:
        if self.time_zone != self._zone:
            self.rebuild()

    # -- fires --------------------------------------------------------------------------------

    async def _due(self, due: Sequence[tuple[str, datetime]]) -> list[FireResult]:
        # FireExecutor passes the jobs due together with their (real) due times
        return await self.fire_many([(key, to_utc(when) + self.shift) for key, when in due])

    async def fire(self, key: str, scheduled_for: datetime,
                   now: datetime | None = None) -> FireResult:
        """One fire of a schedule: claim it, then start its run (through the queue)."""
        return (await self.fire_many([(key, scheduled_for)], now))[0]

    async def fire_many(self, due: Sequence[tuple[str, datetime]],
                        now: datetime | None = None) -> list[FireResult]:
        """Several fires at once: one read of their agents, one claim of them all, then their
        runs started side by side and how each went recorded in one transaction."""
        db = self.app[DATABASE]
        now = now or self.now()
        targets = await load_targets(db, {key for key, _ in due})
        results: list[FireResult] = [FireResult("ignored")] * len(due)
        claims: list[tuple[int, str, datetime, str, str | None]] = []
        for i, (key, scheduled_for) in enumerate(due):
            when = to_utc(scheduled_for)
            target = targets.get(key)
            if target is None or not target.enabled or not self._owed(target.entry, when):
                continue
            if target.request is None:  # nobody to run it for (nor to show a record to)
                log.debug("%s: not run, its owner is disabled or deleted", key)
                results[i] = FireResult("skipped")
            elif now - when > self.grace:
                late = f"not run: {int((now - when).total_seconds())} s late, over the grace period"
                claims.append((i, key, when, "missed", late))
            else:
                claims.append((i, key, when, "started", None))
        won = await fires.claim_each(db, [(key, when, st, detail)
                                          for _i, key, when, st, detail in claims])
        starting: list[tuple[int, str, datetime]] = []
        for i, key, when, status, _detail in claims:
            if (key, when) not in won:
                results[i] = FireResult("taken")
            elif status == "missed":
                results[i] = FireResult("missed")
            else:
                starting.append((i, key, when))
        outcomes = await asyncio.gather(*(
            self._start(key, targets[key].request) for _i, key, _when in starting))
        for (i, _key, _when), (result, _detail) in zip(starting, outcomes, strict=True):
            results[i] = result
        await fires.settle_each(db, [
            (key, when, result.status, result.run_id, detail)
            for (_i, key, when), (result, detail) in zip(starting, outcomes, strict=True)])
        return results

    async def _start(self, key: str, request: Any) -> tuple[FireResult, str | None]:
        """Start the run of a claimed fire: its result and the detail to record."""
        try:
            run_id = await self.app[RUNTIME].start(request)
        except JarvisError as err:
            return FireResult("failed"), err.message
        except Exception as err:
            log.exception("starting the run of %s failed", key)
            return FireResult("failed"), type(err).__name__
        return FireResult("started", run_id), None

    def _owed(self, entry: Entry, when: datetime) -> bool:
        """True when ``when`` is a fire time of the schedule as it is now, since it was set."""
        if when < entry.scheduled_since:
            return False
        return next_fire(entry.schedule, self.time_zone, when - timedelta(seconds=1)) == when

    async def catch_up(self, now: datetime | None = None) -> list[FireResult]:
        """Run the latest fire missed while down if within grace; record the others as missed."""
        db = self.app[DATABASE]
        now = now or self.now()
        grace, zone = self.grace, self.time_zone
        last = await fires.last_fires(db)
        missed: list[tuple[str, datetime]] = []
        due: list[tuple[str, datetime]] = []
        for entry in await load_entries(db):
            since = max(entry.scheduled_since, last.get(entry.key, entry.scheduled_since),
                        now - LOOKBACK)
            recent = deque(fire_times(entry.schedule, zone, since, now), maxlen=MISSED_KEPT + 1)
            if recent and now - recent[-1] <= grace:
                due.append((entry.key, recent.pop()))
            missed.extend((entry.key, when) for when in list(recent)[-MISSED_KEPT:])
        if missed:
            count = await fires.claim_many(db, missed, "missed", "the server was not running")
            log.info("recorded %d fires missed while the server was not running", count)
        return await self.fire_many(due, now)


def setup_scheduler(app: web.Application) -> None:
    """Create ``app[SCHEDULER]``; it starts after the runtime (which marks stale runs first)."""
    from ..keys import SCHEDULER

    app[CONFIG].register("scheduler", SchedulerSettings)
    app[SCHEDULER] = Scheduler(app)
    app.cleanup_ctx.append(_lifetime)


async def _lifetime(app: web.Application) -> Any:
    from ..keys import SCHEDULER
    from ..runtime.agent_loader import agent_loader

    runtime = app.get(RUNTIME)
    if runtime is not None:
        runtime.agent_loader = agent_loader(app)
    scheduler = app[SCHEDULER]
    await scheduler.start()
    yield
    await scheduler.stop()
