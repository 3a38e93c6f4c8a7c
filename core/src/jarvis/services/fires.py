"""The record of scheduled fires: one row per (schedule, scheduled time), claimed atomically."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database
from ..models.agents import ScheduleFire
from ..models.tables import table_of
from ..timeutil import utcnow

fires: Table = table_of(ScheduleFire)

KEY_PREFIX = "agent:"


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
    async with db.write() as conn:
        result = await conn.execute(
            _insert(conn).values(
                schedule_id=schedule_id, scheduled_for=scheduled_for, status=status,
                detail=detail, created_at=utcnow(),
            ).on_conflict_do_nothing(index_elements=["schedule_id", "scheduled_for"])
        )
    return result.rowcount == 1


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
    async with db.write() as conn:
        await conn.execute(
            update(fires)
            .where(fires.c.schedule_id == schedule_id, fires.c.scheduled_for == scheduled_for)
            .values(status=status, run_id=run_id, detail=detail)
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
