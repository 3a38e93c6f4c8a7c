"""Server processes on one database: each one's heartbeat, and closing the runs of dead ones.

Every process has a row in ``server_instances`` whose ``heartbeat_at`` it refreshes every
``beat`` seconds; each run row carries the ``instance_id`` of the process that runs it. A run
still queued or running whose process has not beaten for ``stale`` seconds (or that has no
process) was lost with it and is marked ``interrupted``: one UPDATE, at start-up and every
``sweep`` seconds, in whichever process gets there first. Times come from each process's clock,
so the processes' clocks must agree to well within ``stale`` (NTP does).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, insert, or_, select, update

from ..db import Database, new_id
from ..models.instances import ServerInstance
from ..models.runs import Run
from ..models.tables import table_of
from ..timeutil import utcnow

log = logging.getLogger("jarvis.runtime")

instances = table_of(ServerInstance)
runs = table_of(Run)

UNFINISHED = ("queued", "running")
LOST = "the server stopped while this run was in progress"
UNTRACKED = "the server lost track of this run"
FORGET_AFTER = timedelta(days=1)  # rows of long-dead processes are deleted after this


@dataclass
class Intervals:
    """Seconds between heartbeats, stop-request polls and sweeps; after which a process is dead."""

    beat: float = 10.0
    poll: float = 2.0  # how soon a stop asked in another process takes effect here
    sweep: float = 30.0
    stale: float = 60.0


class Instance:
    """This process's row in ``server_instances`` and the queries around it."""

    def __init__(self, db: Database, intervals: Intervals | None = None):
        self.db = db
        self.id = new_id()
        self.intervals = intervals or Intervals()

    async def register(self) -> None:
        """Announce this process (before it creates any run)."""
        now = utcnow()
        async with self.db.write() as conn:
            await conn.execute(insert(instances).values(
                id=self.id, host=socket.gethostname()[:255], pid=os.getpid(),
                started_at=now, heartbeat_at=now))

    async def beat(self) -> None:
        """Refresh the heartbeat; a row deleted meanwhile (a long stall) is written again."""
        async with self.db.write() as conn:
            result = await conn.execute(
                update(instances).where(instances.c.id == self.id).values(heartbeat_at=utcnow()))
        if not result.rowcount:
            log.warning("this server's instance row was gone (stalled for long?); re-registering")
            await self.register()

    async def leave(self) -> None:
        """Remove this process's row at a clean shutdown (its runs have ended by then)."""
        async with self.db.write() as conn:
            await conn.execute(delete(instances).where(instances.c.id == self.id))

    async def sweep(self) -> int:
        """Mark ``interrupted`` the unfinished runs of processes that are gone; their number."""
        now = utcnow()
        live = select(instances.c.id).where(
            instances.c.heartbeat_at >= now - timedelta(seconds=self.intervals.stale))
        async with self.db.write() as conn:
            result = await conn.execute(
                update(runs)
                .where(runs.c.status.in_(UNFINISHED),
                       or_(runs.c.instance_id.is_(None), runs.c.instance_id.not_in(live)))
                .values(status="interrupted", finished_at=now, error=LOST))
            await conn.execute(
                delete(instances).where(instances.c.heartbeat_at < now - FORGET_AFTER))
        return result.rowcount or 0

    async def reconcile(self, active: Collection[str]) -> int:
        """Mark ``interrupted`` this process's unfinished run rows that it does not run (a start
        cut short, an end that could not be recorded). Only rows older than ``stale``: a run
        being started has its row a moment before it counts as active."""
        now = utcnow()
        cond = [runs.c.instance_id == self.id, runs.c.status.in_(UNFINISHED),
                runs.c.created_at < now - timedelta(seconds=self.intervals.stale)]
        if active:
            cond.append(runs.c.id.not_in(list(active)))
        async with self.db.write() as conn:
            result = await conn.execute(update(runs).where(*cond).values(
                status="interrupted", finished_at=now, error=UNTRACKED))
        return result.rowcount or 0

    async def stop_requests(self, run_ids: Collection[str]) -> list[str]:
        """Which of these runs (of this process) another process asked to stop."""
        if not run_ids:
            return []
        async with self.db.read() as conn:
            rows = await conn.execute(select(runs.c.id).where(
                runs.c.id.in_(list(run_ids)), runs.c.stop_requested.is_(True)))
            return [r.id for r in rows]


async def keep_alive(
    instance: Instance,
    active: Callable[[], Collection[str]],
    stop: Callable[[str], object],
) -> None:
    """Forever: beat, carry out stop requests for ``active()`` runs, sweep dead processes' runs."""
    iv = instance.intervals
    last_beat = last_sweep = time.monotonic()
    while True:
        await asyncio.sleep(min(iv.poll, iv.beat, iv.sweep))
        try:
            for run_id in await instance.stop_requests(active()):
                stop(run_id)
            now = time.monotonic()
            if now - last_beat >= iv.beat:
                await instance.beat()
                last_beat = now
            if now - last_sweep >= iv.sweep:
                if swept := await instance.sweep():
                    log.warning("%d run(s) of a server process that stopped are marked "
                                "interrupted", swept)
                if lost := await instance.reconcile(active()):
                    log.warning("%d run(s) this server lost track of are marked interrupted",
                                lost)
                last_sweep = now
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be away for a moment; try again next round
            log.exception("the server heartbeat failed")
