"""The audit log at scale: filtered pages over 1,000,000 entries (against the same queries over
10,000 entries of the same table, measured in the same run), and the cost of one
``AuditLog.record`` against a bare INSERT into a table of the same shape.

The entries are bulk-loaded (executemany on SQLite, COPY on PostgreSQL) with their chain
hashes computed by the audit module's own ``entry_hash``, so the chain stays valid.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from jarvis.db import Database
from jarvis.models.audit import AuditChain, AuditEntry
from jarvis.pagination import Window
from jarvis.services.audit import AuditEvent, AuditLog
from jarvis.services.audit_chain import CHAIN_ID, GENESIS, chain_table, entry_hash, log_table
from jarvis.services.audit_query import AuditFilter, list_entries
from jarvis.timeutil import utcnow
from sqlalchemy import MetaData, insert, text, update

NAME = "audit"
TOOLS = ["web_fetch", "web_search", "send_email", "read_email", "list_files", "read_file",
         "write_file", "calendar_list", "calendar_add", "pushover_send", "telegram_send",
         "memory_search", "memory_save", "run_agent", "http_get", "summarise", "translate",
         "weather", "news", "calculator"]
ROWS_PER_SESSION = 100
PER_PAGE = 50
BATCH = 10_000


def _sizes(quick: bool, smoke: bool) -> tuple[int, int, int, int]:
    """(rows, rows at the small stage, queries per figure, writes per figure)."""
    if smoke:
        return 3_000, 500, 3, 30
    return (100_000, 10_000, 10, 300) if quick else (1_000_000, 10_000, 20, 2_000)


class Loader:
    """Appends generated entries to the chain in batches, hashing them as the audit log does."""

    def __init__(self, db: Database, total: int):
        self.db = db
        self.rng = random.Random(42)  # the same table every run
        self.start = utcnow() - timedelta(seconds=total)
        self.next_id = 1
        self.prev_hash = GENESIS
        self.sessions = max(1, total // ROWS_PER_SESSION)

    def _row(self, i: int) -> dict[str, Any]:
        rng = self.rng
        session = rng.randrange(self.sessions)
        tool = TOOLS[rng.randrange(len(TOOLS))]
        denied = rng.random() < 0.05
        row = {
            "id": i, "created_at": self.start + timedelta(seconds=i),
            "kind": "denial" if denied else "tool_call", "action": "tool_call",
            "user_id": f"user{session % 10:029d}", "username": f"user{session % 10}",
            "session_id": f"s{session:08d}", "run_id": f"r{i // 7:031d}", "task_id": None,
            "tool_name": tool,
            "arguments": f'{{"query":"item {i}","url":"https://example.com/p/{i}"}}',
            "decision": "deny" if denied else "allow", "confirmed": None,
            "success": not denied, "summary": f"{tool} handled item {i}", "detail": "{}",
            "prev_hash": self.prev_hash,
        }
        row["hash"] = self.prev_hash = entry_hash(row)
        return row

    async def add(self, count: int) -> None:
        while count > 0:
            n = min(count, BATCH)
            rows = [self._row(i) for i in range(self.next_id, self.next_id + n)]
            async with self.db.write() as conn:
                if self.db.is_sqlite:
                    await conn.execute(insert(log_table), rows)
                else:  # COPY: the fast path for bulk rows on PostgreSQL
                    raw = (await conn.get_raw_connection()).driver_connection
                    columns = list(rows[0])
                    await raw.copy_records_to_table(
                        log_table.name, records=[tuple(r[c] for c in columns) for r in rows],
                        columns=columns)
                await conn.execute(update(chain_table).where(chain_table.c.id == CHAIN_ID)
                                   .values(head_id=rows[-1]["id"], head_hash=rows[-1]["hash"]))
            self.next_id += n
            count -= n


def _queries(rows: int) -> dict[str, tuple[AuditFilter, int]]:
    """Named (filter, page): page 1 and a page in the middle of what the filter matches."""
    by_tool = rows // len(TOOLS)
    return {
        "all_p1": (AuditFilter(), 1),
        "tool_p1": (AuditFilter(tool_name="web_fetch"), 1),
        "tool_deep": (AuditFilter(tool_name="web_fetch"), max(1, by_tool // 2 // PER_PAGE)),
        "session_p1": (AuditFilter(session_id="s00000007"), 1),
        "session_deep": (AuditFilter(session_id="s00000007"), 2),
    }


async def _settle(db: Database) -> None:
    """On PostgreSQL, what autovacuum does soon after a bulk insert: VACUUM (the visibility map
    that index-only counts need) and ANALYZE (planner statistics). Without it the first
    queries after a load measure the load, not the table."""
    if db.is_sqlite:
        return
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f"VACUUM ANALYZE {log_table.name}"))


async def _median_ms(fn: Callable[[], Awaitable[Any]], repeat: int) -> float:
    await fn()  # warm the cache
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


async def _query_times(db: Database, rows: int, repeat: int) -> dict[str, float]:
    out = {}
    for name, (flt, page) in _queries(rows).items():
        out[name] = await _median_ms(
            lambda f=flt, p=page: list_entries(db, f, Window(p, PER_PAGE)), repeat)
    return out


def _event(i: int) -> AuditEvent:
    return AuditEvent("tool_call", "tool_call", user_id="u" * 32, username="bench",
                      session_id="s00000007", run_id=f"bench-run-{i // 7}", tool_name="web_fetch",
                      arguments={"url": f"https://example.com/new/{i}"}, decision="allow",
                      success=True, summary=f"fetched page {i}")


async def _write_costs(db: Database, audit: AuditLog, writes: int) -> tuple[float, float]:
    """Seconds per ``record`` and per bare INSERT (one transaction each), interleaved."""
    bare = log_table.to_metadata(MetaData(), name="audit_bench_bare")
    for index in bare.indexes:  # index names are per database, not per table
        index.name = f"bench_{index.name}"
    async with db.write() as conn:
        await conn.run_sync(bare.metadata.create_all)
        # the same rows, so both tables (and their indexes) are the same size
        await conn.execute(text(f"INSERT INTO {bare.name} SELECT * FROM {log_table.name}"))
    record_s = bare_s = 0.0
    next_id = 10**12
    for start in range(0, writes, 50):
        events = [_event(i) for i in range(start, min(start + 50, writes))]
        t = time.perf_counter()
        for event in events:
            await audit.record(event)
        record_s += time.perf_counter() - t
        values = [{**audit._values(e), "id": next_id + n, "created_at": utcnow(),
                   "prev_hash": GENESIS, "hash": GENESIS} for n, e in enumerate(events)]
        next_id += len(values)
        t = time.perf_counter()
        for row in values:
            async with db.write() as conn:
                await conn.execute(insert(bare).values(**row))
        bare_s += time.perf_counter() - t
    return record_s / writes, bare_s / writes


async def run(quick: bool, *, smoke: bool = False, database_url: str | None = None) -> dict:
    """Milliseconds per filtered page (large vs small table) and microseconds per write."""
    rows, small, repeat, writes = _sizes(quick, smoke)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'audit.db'}")
        try:
            await db.setup([AuditEntry, AuditChain], [])
            audit = AuditLog(db)
            await audit.setup()
            loader = Loader(db, rows)
            await loader.add(small)
            await _settle(db)
            before = await _query_times(db, small, repeat)
            start = time.perf_counter()
            await loader.add(rows - small)
            load_s = time.perf_counter() - start
            await _settle(db)
            after = await _query_times(db, rows, repeat)
            record_s, bare_s = await _write_costs(db, audit, writes)
            verified = (await audit.verify()).ok if rows <= 100_000 else None
        finally:
            await db.dispose()
    out: dict[str, Any] = {"rows": rows, "small_rows": small,
                           "load_rows_per_s": round((rows - small) / load_s)}
    for name, ms in after.items():
        out[f"{name}_ms"] = round(ms, 2)
        out[f"{name}_small_ms"] = round(before[name], 2)
        out[f"{name}_vs_small"] = round(ms / before[name], 2)
    out["record_us"] = round(record_s * 1e6)
    out["bare_insert_us"] = round(bare_s * 1e6)
    out["record_ratio"] = round(record_s / bare_s, 2)
    out["chain_ok"] = verified
    return out
