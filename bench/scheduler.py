"""The scheduler with 10,000 enabled agents on staggered hourly schedules (about 167 due each
minute): the time to build their jobs, the memory the jobs take, and the delay from a fire's due
time to its run starting, over several minute bursts.

The app runs in this process with an in-process scripted model (no network, no model time). The
scheduler's clock is shifted to just before each chosen minute, so the real APScheduler jobs come
due within a second instead of waiting for the wall clock; the delay is measured in real time.
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from jarvis import hookimpl
from jarvis.app import create_app
from jarvis.auth.users import insert_user
from jarvis.db import new_id
from jarvis.keys import CONFIG, DATABASE, RUN_QUEUE, RUNTIME, SCHEDULER
from jarvis.models.agents import Agent, ScheduleFire
from jarvis.models.runs import Run
from jarvis.settings import Settings
from jarvis.testing.scripted import ScriptedProvider
from jarvis.timeutil import utcnow
from sqlalchemy import insert, select

NAME = "scheduler"
AGENTS = 10_000


class _Model:
    __name__ = "bench_model"

    def __init__(self) -> None:
        self.provider = ScriptedProvider(id="fake", models=("echo",))

    @hookimpl
    def register_providers(self, settings):
        return [self.provider]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _add_agents(app: web.Application, user_id: str, count: int = AGENTS) -> None:
    now = utcnow()
    rows = [{
        "id": new_id(), "user_id": user_id, "name": f"agent {i}", "prompt": "Report briefly.",
        "model": "fake:echo", "schedule": f"{i % 60} * * * *", "allowed_tools": "[]",
        "enabled": True, "prompt_mode": "combined", "max_tool_calls": None,
        "created_at": now, "updated_at": now, "scheduled_since": now,
    } for i in range(count)]
    async with app[DATABASE].write() as conn:
        for start in range(0, len(rows), 1000):
            await conn.execute(insert(Agent.__table__), rows[start:start + 1000])


def _resident_bytes() -> int:
    """The process's resident memory now (Linux), after a full collection."""
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def _burst(app: web.Application, due: datetime, expected: int, lead: float) -> list[float]:
    """Stand ``lead`` seconds before ``due`` (virtual) -- enough to rebuild every job for the
    new clock -- let the jobs fire, and return each run's start delay after its due time."""
    scheduler = app[SCHEDULER]
    while True:
        started = time.perf_counter()
        scheduler.set_shift(due - timedelta(seconds=lead) - utcnow())
        if time.perf_counter() - started < lead * 0.9:
            break
        lead *= 2  # a busy machine: the jobs were not ready before the fire; stand further back
    real_due = due - scheduler.shift
    fires = ScheduleFire.__table__
    query = select(fires.c.run_id).where(fires.c.scheduled_for == due, fires.c.run_id.is_not(None))
    run_ids: list[str] = []
    for _ in range(3000):
        async with app[DATABASE].read() as conn:
            run_ids = [r for (r,) in await conn.execute(query)]
        if len(run_ids) >= expected:
            break
        await asyncio.sleep(0.05)
    await scheduler.drain()
    async with app[DATABASE].read() as conn:
        run_ids = [r for (r,) in await conn.execute(query)]
    for run_id in run_ids:
        await app[RUNTIME].wait(run_id)
    runs = Run.__table__
    async with app[DATABASE].read() as conn:
        starts = [s for (s,) in await conn.execute(
            select(runs.c.started_at).where(runs.c.id.in_(run_ids)))]
    return [(s - real_due).total_seconds() for s in starts if s is not None]


async def run(quick: bool, *, smoke: bool = False,
              database_url: str | None = None) -> dict[str, Any]:
    bursts = 2 if quick else 10
    agents = 300 if smoke else AGENTS  # smoke: the smallest useful size, for the smoke test
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'jarvis.db'}"
        settings = Settings(data_dir=Path(tmp), database_url=url, log_level="WARNING",
                            disable_plugins=["anthropic", "litellm"])
        app = create_app(settings, [_Model()])
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            await app[CONFIG].update("limits", {"max_concurrent_runs": 1000,
                                                "max_autonomous_runs_per_hour": 100_000,
                                                "max_autonomous_runs_per_hour_per_user": 100_000})
            app[RUN_QUEUE].set_limit(1000)
            user = await insert_user(app[DATABASE], "bench", "not-a-login", "user")
            await _add_agents(app, user.id, agents)
            scheduler = app[SCHEDULER]

            before = _resident_bytes()
            start = time.perf_counter()
            await scheduler.sync(force=True)
            build_s = time.perf_counter() - start
            jobs_bytes = _resident_bytes() - before
            jobs = scheduler.job_count
            start = time.perf_counter()
            scheduler.rebuild()
            rebuild_s = time.perf_counter() - start

            hour = (utcnow() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
            delays: list[float] = []
            began = time.perf_counter()
            for b in range(bursts):
                if b and quick and time.perf_counter() - began > 8:
                    break  # quick mode keeps to its time budget on a busy machine
                due_now = sum(1 for i in range(agents) if i % 60 == b % 60)
                delays += await _burst(app, hour + timedelta(minutes=b), due_now,
                                       lead=1.5 * rebuild_s + 0.5)
        finally:
            await runner.cleanup()
    return {
        "agents": agents,
        "jobs": jobs,
        "jobs_build_s": round(build_s, 3),
        "jobs_rebuild_s": round(rebuild_s, 3),
        "jobs_memory_mb": round(jobs_bytes / 2**20, 1),  # resident growth while building
        "bytes_per_job": int(jobs_bytes / max(jobs, 1)),
        "fires_measured": len(delays),
        "delay_p50_ms": round(statistics.median(delays) * 1000, 1) if delays else None,
        "delay_p99_ms": round(_percentile(delays, 0.99) * 1000, 1) if delays else None,
        "delay_max_ms": round(max(delays) * 1000, 1) if delays else None,
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "database": "postgresql" if database_url else "sqlite",
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(asyncio.run(run("--quick" in sys.argv)), indent=2))
