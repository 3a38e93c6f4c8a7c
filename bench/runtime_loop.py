"""The agent loop in process: the scripted model (no network, no delay) and a no-op tool, so
the figures are the runtime's own cost per step (pipeline, audit row, stored messages), and
beside them a bare write transaction on the same database (a step needs one: its messages,
tool call, audit row and run update go in it), so ``tool_step_overhead_ms`` is what Jarvis
adds to the disk's own commit time."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aiohttp import web
from jarvis import AgentConfig
from jarvis.app import create_app
from jarvis.auth.users import insert_user
from jarvis.keys import CONFIG, DATABASE, RUN_QUEUE, RUNTIME
from jarvis.run_requests import RunRequest
from jarvis.settings import Settings
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.scripted import ScriptedProvider, reply, tool_use
from jarvis.testing.tools import answering_tool
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, Table, Text, event, insert

NAME = "runtime_loop"
STEPS_PER_RUN = 10


class NoArgs(BaseModel):
    n: int = 0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _steps(runtime, provider: ScriptedProvider, user, runs: int) -> list[float]:
    """Seconds between consecutive tool calls, over ``runs`` runs of STEPS_PER_RUN calls."""
    gaps: list[float] = []
    for _ in range(runs):
        provider.script(*[tool_use("noop", {"n": i}) for i in range(STEPS_PER_RUN)], reply("done"))
        stamps: list[float] = []

        def listener(frame: dict, stamps: list[float] = stamps) -> None:
            if frame["type"] == "tool_done":
                stamps.append(time.perf_counter())

        request = RunRequest(kind="agent", user=user, agent=AgentConfig(
            prompt="bench", allowed_tools=["noop"], max_tool_calls=STEPS_PER_RUN + 1))
        run_id = await runtime.start(request, listener=listener)
        outcome = await runtime.wait(run_id)
        if outcome.status != "done":
            raise RuntimeError(f"bench run ended {outcome.status}: {outcome.error}")
        gaps += [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    return gaps


async def _runs_per_second(runtime, provider: ScriptedProvider, user, runs: int,
                           concurrency: int) -> float:
    provider.script(*[reply("short answer") for _ in range(runs)])
    agent = AgentConfig(prompt="bench")
    pending = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with pending:
            await runtime.run(RunRequest(kind="agent", user=user, agent=agent))

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(runs)))
    return runs / (time.perf_counter() - start)


@contextmanager
def _counting(db) -> Iterator[dict[str, int]]:
    """SQL statements and write transactions (BEGIN IMMEDIATE on SQLite; on PostgreSQL the
    statements that change rows, counted as one per transaction) while the block runs."""
    counts = {"statements": 0, "writes": 0}
    engine = db.engine.sync_engine
    writing: set[int] = set()

    def before(conn, _cursor, statement: str, *_args) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("BEGIN", "COMMIT", "ROLLBACK"):
            counts["writes"] += statement.strip().upper() == "BEGIN IMMEDIATE"
            return
        counts["statements"] += 1
        if not db.is_sqlite and verb in ("INSERT", "UPDATE", "DELETE") \
                and id(conn.connection) not in writing:
            writing.add(id(conn.connection))
            counts["writes"] += 1

    def ended(conn) -> None:
        writing.discard(id(conn.connection))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "commit", ended)
        event.remove(engine, "rollback", ended)


async def _bare_write_ms(db, count: int) -> float:
    """Median milliseconds of one bare write transaction (one small INSERT with SQLAlchemy
    Core, then COMMIT) on the same database: the floor a step's one transaction stands on
    (on PostgreSQL mostly the WAL flush of the commit)."""
    table = Table("bench_bare_write", MetaData(), Column("id", Integer, primary_key=True),
                  Column("body", Text))
    async with db.engine.begin() as conn:
        await conn.run_sync(table.metadata.create_all)
    times = []
    for i in range(count):
        start = time.perf_counter()
        async with db.engine.begin() as conn:
            await conn.execute(insert(table).values(body=f"row {i}"))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _sizes(quick: bool, smoke: bool) -> tuple[int, int, int]:
    """Runs of STEPS_PER_RUN tool calls, sequential runs, concurrent runs."""
    if smoke:
        return 2, 10, 16
    return (10, 50, 100) if quick else (200, 1000, 2000)


async def run(quick: bool, *, smoke: bool = False, database_url: str | None = None) -> dict:
    """Median and p99 time per tool-call step, and runs per second (sequential and 8 at once)."""
    step_runs, sequential_runs, concurrent_runs = _sizes(quick, smoke)
    provider = ScriptedProvider(id="bench", models=("echo",))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=database_url,
                            disable_plugins=BUILTIN_PROVIDERS)
        noop = answering_tool("noop", "bench", "Do nothing.", "ok", Input=NoArgs)
        app = create_app(settings, [ModelPlugin(provider, tools=[noop], name=NAME)])
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()  # starts the app (database, runtime) without a listening socket
        try:
            runtime = app[RUNTIME]
            await app[CONFIG].update("limits", {
                "max_autonomous_runs_per_hour": 100_000,
                "max_autonomous_runs_per_hour_per_user": 100_000, "max_concurrent_runs": 8})
            app[RUN_QUEUE].set_limit(8)
            user = await insert_user(app[DATABASE], "bench", "not-a-real-hash", "admin")
            await _steps(runtime, provider, user, 1)  # warm up
            with _counting(app[DATABASE]) as counts:
                gaps = await _steps(runtime, provider, user, step_runs)
            per_step = step_runs * STEPS_PER_RUN
            sequential = await _runs_per_second(runtime, provider, user, sequential_runs, 1)
            concurrent = await _runs_per_second(runtime, provider, user, concurrent_runs, 8)
            bare_write = await _bare_write_ms(app[DATABASE], max(20, len(gaps)))
        finally:
            await runner.cleanup()
    return {
        "tool_step_median_ms": round(statistics.median(gaps) * 1000, 3),
        "tool_step_p99_ms": round(_percentile(gaps, 0.99) * 1000, 3),
        "bare_write_transaction_ms": round(bare_write, 3),
        # Jarvis's own part of a step: the step beside the one write transaction it needs
        "tool_step_overhead_ms": round(statistics.median(gaps) * 1000 - bare_write, 3),
        "tool_steps_measured": len(gaps),
        # whole runs of tool steps (their start and end too), per step
        "sql_statements_per_step": round(counts["statements"] / per_step, 2),
        "write_transactions_per_step": round(counts["writes"] / per_step, 2),
        "runs_per_second_sequential": round(sequential, 1),
        "runs_per_second_8_concurrent": round(concurrent, 1),
    }
