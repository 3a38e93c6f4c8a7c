"""The record of scheduled fires: one row per (schedule, scheduled time), claimed atomically."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database
from ..models.agents import ScheduleFire
from ..models.tables import table_of
from ..timeutil import utcnow

fires: Table = table_of(ScheduleFire)

KEY_PREFIX = "agent:"
CLAIMS_PER_STATEMENT = 1000  # rows of one multi-row insert (5 parameters each)


def schedule_key(agent_id: str) -> str:
    """The schedule (job, fire record) of an agent: ``agent:<id>``."""
    return KEY_PREFIX + agent_id


def agent_of(key: str) -> str:
    """The agent id of a schedule key; a ValueError for anything else."""
    if not key.startswith(KEY_PREFIX) or key == KEY_PREFIX:
        raise ValueError(f"not a schedule key: {key!r}")
    return key[len(KEY_PREFIX):]


def _insert(conn: AsyncConnection) -> Any:
    return (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(fires)


async def claim(db: Database, schedule_id: str, scheduled_for: datetime, status: str,
                detail: str | None = None) -> bool:
    """Record a fire; True for the one caller (of any process) whose insert wins."""
    return bool(await claim_each(db, [(schedule_id, scheduled_for, status, detail)]))


async def claim_each(db: Database, rows: Sequence[tuple[str, datetime, str, str | None]]
                     ) -> set[tuple[str, datetime]]:
    """Record several fires, each ``(schedule, scheduled time, status, detail)``, in one
    statement; returns the ``(schedule, scheduled time)`` of those this caller won (the others
    were recorded already, by any process)."""
    if not rows:
        return set()
    now = utcnow()
    won: set[tuple[str, datetime]] = set()
    async with db.write() as conn:
        for start in range(0, len(rows), CLAIMS_PER_STATEMENT):
            result = await conn.execute(
                _insert(conn).values([
                    {"schedule_id": key, "scheduled_for": when, "status": status,
                     "detail": detail, "created_at": now}
                    for key, when, status, detail in rows[start:start + CLAIMS_PER_STATEMENT]
                ]).on_conflict_do_nothing(index_elements=["schedule_id", "scheduled_for"])
                .returning(fires.c.schedule_id, fires.c.scheduled_for)
            )
            won.update((key, when) for key, when in result)
    return won


async def claim_many(db: Database, rows: Iterable[tuple[str, datetime]], status: str,
                     detail: str | None = None) -> int:
    """Record several fires with one status (missed ones); those already recorded stay."""
    values = [
        {"schedule_id": key, "scheduled_for": when, "status": status, "detail": detail,
         "created_at": utcnow()}
        for key, when in rows
    ]
    if not values:
        return 0
    async with db.write() as conn:
        result = await conn.execute(
            _insert(conn).on_conflict_do_nothing(index_elements=["schedule_id", "scheduled_for"]),
            values,
        )
    return max(result.rowcount or 0, 0)


async def settle(db: Database, schedule_id: str, scheduled_for: datetime, *, status: str,
                 run_id: str | None = None, detail: str | None = None) -> None:
    """Record how a claimed fire went: the run it started, or why it failed."""
    await settle_each(db, [(schedule_id, scheduled_for, status, run_id, detail)])


async def settle_each(db: Database,
                      rows: Sequence[tuple[str, datetime, str, str | None, str | None]]) -> None:
    """Record how several claimed fires went, each ``(schedule, scheduled time, status, run id,
    detail)``, in one transaction."""
    if not rows:
        return
    async with db.write() as conn:
        await conn.execute(
            update(fires)
            .where(fires.c.schedule_id == bindparam("key"),
                   fires.c.scheduled_for == bindparam("when"))
            .values(status=bindparam("status"), run_id=bindparam("run"),
                    detail=bindparam("detail")),
            [{"key": key, "when": when, "status": status, "run": run_id, "detail": detail}
             for key, when, status, run_id, detail in rows],
        )


async def last_fires(db: Database) -> dict[str, datetime]:
    """The latest recorded fire time of every schedule."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(fires.c.schedule_id, func.max(fires.c.scheduled_for))
            .group_by(fires.c.schedule_id)
        )).all()
    return {key: when for key, when in rows}


async def fires_of(db: Database, schedule_id: str) -> list[dict[str, Any]]:
    """Every recorded fire of one schedule, oldest first."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(fires).where(fires.c.schedule_id == schedule_id)
            .order_by(fires.c.scheduled_for)
        )).mappings().all()
    return [dict(r) for r in rows]


async def forget_schedule(conn: AsyncConnection, schedule_id: str) -> None:
    """Drop the fire records of a deleted schedule (inside the caller's transaction)."""
    await conn.execute(delete(fires).where(fires.c.schedule_id == schedule_id))
