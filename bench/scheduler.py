"""The scheduler with 10,000 enabled agents on staggered hourly schedules (about 167 due each
minute): the time to build their jobs, the memory the jobs take, and the delay from a fire's due
time to its run starting, over several minute bursts.

The app runs in this process with an in-process scripted model (no network, no model time). The
scheduler's clock is shifted to just before each chosen minute, so the real APScheduler jobs come
due within a second instead of waiting for the wall clock; the delay is measured in real time.
On PostgreSQL a second server process (``python -m bench.scheduler --peer URL``) shares the
database and the shifted clock, as two servers behind one proxy would: every fire is claimed by
one of them, and the figures say how many each started and that none ran twice.
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import statistics
import sys
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
from jarvis.keys import CONFIG, DATABASE, RUN_QUEUE, SCHEDULER
from jarvis.models.agents import Agent, ScheduleFire
from jarvis.models.runs import Run
from jarvis.settings import Settings
from jarvis.testing.scripted import ScriptedProvider
from jarvis.timeutil import utcnow
from sqlalchemy import func, insert, select

NAME = "scheduler"
ROOT = Path(__file__).resolve().parents[1]
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


class _Peer:
    """The second server process, driven over its standard input: ``shift <seconds>``."""

    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc

    @classmethod
    async def start(cls, database_url: str, data_dir: Path) -> _Peer:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.scheduler", "--peer", database_url, str(data_dir),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            cwd=ROOT)
        peer = cls(proc)
        await peer._answer("ready")
        return peer

    async def _answer(self, expected: str) -> None:
        assert self.proc.stdout is not None
        line = (await self.proc.stdout.readline()).decode().strip()
        if line != expected:
            raise RuntimeError(f"the second server process said {line!r}, not {expected!r}")

    async def shift(self, shift: timedelta) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"shift {shift.total_seconds()}\n".encode())
        await self.proc.stdin.drain()

    async def shifted(self) -> None:
        await self._answer("shifted")

    async def stop(self) -> None:
        if self.proc.returncode is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                await asyncio.wait_for(self.proc.wait(), 60)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def _serve_peer(database_url: str, data_dir: Path) -> None:
    """The second process: the same app on the same database and data folder (its vault key),
    its clock moved on request."""
    app = create_app(_settings(data_dir, database_url), [_Model()])
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        app[RUN_QUEUE].set_limit(1000)
        print("ready", flush=True)
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := (await reader.readline()).decode().strip():
            command, _, value = line.partition(" ")
            if command == "shift":
                app[SCHEDULER].set_shift(timedelta(seconds=float(value)))
                print("shifted", flush=True)
        await app[SCHEDULER].drain()
    finally:
        await runner.cleanup()


def _settings(data_dir: Path, url: str) -> Settings:
    return Settings(data_dir=data_dir, database_url=url, log_level="WARNING",
                    disable_plugins=["anthropic", "litellm"])


async def _burst(app: web.Application, due: datetime, expected: int, lead: float,
                 peer: _Peer | None) -> tuple[list[float], dict[str, int]] | None:
    """Stand ``lead`` seconds before ``due`` (virtual) -- enough to rebuild every job for the
    new clock, in each process -- let the jobs fire, and return each run's start delay after its
    due time, and how many runs each process started; None when the jobs were not ready in
    time (a busy machine: the fires of this minute are left out)."""
    scheduler = app[SCHEDULER]
    started = time.perf_counter()
    shift = due - timedelta(seconds=lead) - utcnow()
    if peer is not None:
        await peer.shift(shift)
    scheduler.set_shift(shift)
    if peer is not None:
        await peer.shifted()
    if time.perf_counter() - started >= lead * 0.9:
        await asyncio.sleep(lead)
        await scheduler.drain()
        return None
    real_due = due - shift
    fires, runs = ScheduleFire.__table__, Run.__table__
    ran = (select(runs.c.started_at, runs.c.instance_id)
           .join(fires, fires.c.run_id == runs.c.id).where(fires.c.scheduled_for == due))
    rows: list[Any] = []
    for _ in range(3000):  # every run of the minute, started (by whichever process)
        async with app[DATABASE].read() as conn:
            rows = list(await conn.execute(ran))
        if len(rows) >= expected and all(s is not None for s, _ in rows):
            break
        await asyncio.sleep(0.05)
    await scheduler.drain()
    by_process: dict[str, int] = {}
    for _, instance in rows:
        by_process[instance] = by_process.get(instance, 0) + 1
    return [(s - real_due).total_seconds() for s, _ in rows if s is not None], by_process


async def _runs_per_agent_max(app: web.Application) -> int:
    """The most runs any agent had: 1 per minute measured when each fire ran once."""
    runs = Run.__table__
    per_agent = (select(func.count().label("n")).where(runs.c.agent_id.is_not(None))
                 .group_by(runs.c.agent_id).subquery())
    async with app[DATABASE].read() as conn:
        return int(await conn.scalar(select(func.max(per_agent.c.n))) or 0)


async def run(quick: bool, *, smoke: bool = False,
              database_url: str | None = None) -> dict[str, Any]:
    bursts = 2 if quick else 10
    agents = 300 if smoke else AGENTS  # smoke: the smallest useful size, for the smoke test
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'jarvis.db'}"
        app = create_app(_settings(Path(tmp), url), [_Model()])
        runner = web.AppRunner(app)
        await runner.setup()
        peer: _Peer | None = None
        by_process: dict[str, int] = {}
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
            if database_url is not None:  # a second server process on the same database
                peer = await _Peer.start(url, Path(tmp))

            hour = (utcnow() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
            delays: list[float] = []
            began = time.perf_counter()
            # both processes rebuild their jobs at once: twice the time of one alone
            lead = (3 if peer else 1.5) * rebuild_s + 0.5
            measured = 0
            for b in range(3 * bursts):
                if measured == bursts or measured and quick and time.perf_counter() - began > 8:
                    break  # quick mode keeps to its time budget on a busy machine
                due_now = sum(1 for i in range(agents) if i % 60 == b % 60)
                result = await _burst(app, hour + timedelta(minutes=b), due_now, lead, peer)
                if result is None:
                    lead *= 2  # stand further back before the next minute
                    continue
                measured += 1
                burst, ran = result
                delays += burst
                for instance, count in ran.items():
                    by_process[instance] = by_process.get(instance, 0) + count
            most_runs = await _runs_per_agent_max(app)
        finally:
            if peer is not None:
                await peer.stop()
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
        "server_processes": 2 if database_url else 1,
        "runs_by_process": sorted(by_process.values(), reverse=True),
        "max_runs_per_agent_fire": most_runs,  # 1: every fire ran exactly once
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "database": "postgresql" if database_url else "sqlite",
    }


if __name__ == "__main__":
    import json

    if sys.argv[1:2] == ["--peer"]:
        asyncio.run(_serve_peer(sys.argv[2], Path(sys.argv[3])))
    else:
        print(json.dumps(asyncio.run(run("--quick" in sys.argv)), indent=2))
