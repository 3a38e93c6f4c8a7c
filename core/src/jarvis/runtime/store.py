"""The run store: run rows and their tool calls, written with SQLAlchemy Core (cheap, atomic)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    DateTime,
    and_,
    case,
    func,
    insert,
    literal,
    not_,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database
from ..models.runs import Run, RunToolCall
from ..models.tables import table_of
from ..pagination import Paged, Window, read_page
from ..timeutil import utcnow
from .events import ToolFinished

runs = table_of(Run)
tool_calls = table_of(RunToolCall)

HOURLY_LOCK_ID = 0x4A52554E  # "JRUN": serialises the hourly count on PostgreSQL
AUTONOMOUS = ("agent", "task", "trigger")


@dataclass(frozen=True, slots=True)
class HourlyBudget:
    """Autonomous runs allowed in any hour: all users together, and each user."""

    total: int
    per_user: int


def _counted(since: datetime, user_id: str | None = None) -> Any:
    """How many autonomous runs since ``since`` count against a budget (runs refused by it never
    started and do not count)."""
    query = select(func.count()).select_from(runs).where(
        runs.c.kind.in_(AUTONOMOUS),
        runs.c.created_at >= since,
        not_(and_(runs.c.status == "limited", runs.c.started_at.is_(None))),
    )
    if user_id is not None:
        query = query.where(runs.c.user_id == user_id)
    return query.scalar_subquery()


def _insert_within(values: dict[str, Any], budget: HourlyBudget) -> Any:
    """INSERT ... SELECT: the row is queued, or limited with the reason, as the counts say."""
    now = values["created_at"]
    since = now - timedelta(hours=1)
    over_total = _counted(since) >= budget.total
    over_user = _counted(since, values["user_id"]) >= budget.per_user
    limited = or_(over_total, over_user)
    status = case((limited, "limited"), else_="queued")
    error = case(
        (over_user, f"not run: your limit of {budget.per_user} autonomous runs per hour is "
         "reached"),
        (over_total, f"not run: the limit of {budget.total} autonomous runs per hour is reached"),
        else_=null(),
    )
    finished = case((limited, literal(now, DateTime)), else_=null())
    columns = [k for k in values if k != "status"]
    row = select(
        *(literal(values[k], runs.c[k].type) for k in columns), status, finished, error,
    )
    return (
        insert(runs)
        .from_select([*columns, "status", "finished_at", "error"], row)
        .returning(runs.c.status)
    )


class RunStore:
    """Reads and writes of the ``runs`` and ``run_tool_calls`` tables."""

    def __init__(self, db: Database):
        self.db = db

    async def create(self, values: dict[str, Any], budget: HourlyBudget | None = None,
                     then: Callable[[AsyncConnection], Awaitable[None]] | None = None) -> str:
        """Insert a run row; returns its status: ``queued``, or ``limited`` when an autonomous
        run is over the hourly ``budget`` (the user's own, or everyone's together): then it is
        recorded but not run.

        The count and the insert are one statement, and on PostgreSQL writers of runs with a
        budget queue on a transaction lock first (SQLite's ``BEGIN IMMEDIATE`` already does):
        parallel starts cannot both take the last place. ``then`` writes more in the same
        transaction when the run is queued (its first message)."""
        values = {**values, "status": "queued", "created_at": utcnow()}
        async with self.db.write() as conn:
            if budget is None or values["kind"] not in AUTONOMOUS:
                await conn.execute(insert(runs).values(**values))
                status = "queued"
            else:
                if not self.db.is_sqlite:
                    await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"),
                                       {"id": HOURLY_LOCK_ID})
                status = (await conn.execute(_insert_within(values, budget))).scalar_one()
            if status == "queued" and then is not None:
                await then(conn)
            return status

    async def started(self, run_id: str, model: str | None) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                update(runs).where(runs.c.id == run_id)
                .values(status="running", started_at=utcnow(), model=model)
            )

    async def set_conversation(self, run_id: str, conversation_id: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                update(runs).where(runs.c.id == run_id).values(conversation_id=conversation_id)
            )

    async def finish(self, run_id: str, **values: Any) -> None:
        """Record the end: status, final_text, error, tokens, tool_calls."""
        async with self.db.write() as conn:
            await self.record_end(conn, run_id, values)

    async def record_end(self, conn: AsyncConnection, run_id: str,
                         values: dict[str, Any]) -> None:
        """:meth:`finish` inside the caller's transaction."""
        await conn.execute(
            update(runs).where(runs.c.id == run_id).values(finished_at=utcnow(), **values))

    async def insert_tool_calls(
        self, conn: AsyncConnection, run_id: str, events: list[ToolFinished]
    ) -> None:
        """Record tool calls of a run inside the caller's transaction."""
        if not events:
            return
        now = utcnow()
        await conn.execute(insert(tool_calls), [{
            "run_id": run_id, "call_id": e.call_id, "tool_name": e.tool_name,
            "arguments": json.dumps(e.arguments, default=str), "decision": e.decision,
            "confirmed": e.confirmed, "success": e.success, "summary": e.result_summary,
            "created_at": now,
        } for e in events])

    async def request_stop(self, *, run_id: str | None = None, user_id: str | None = None) -> int:
        """Flag one run (or every run of a user) that is still queued or running, for the
        process that runs it to stop; the number of runs flagged."""
        if (run_id is None) == (user_id is None):
            raise ValueError("request_stop needs run_id or user_id")
        cond = runs.c.id == run_id if run_id is not None else runs.c.user_id == user_id
        async with self.db.write() as conn:
            result = await conn.execute(
                update(runs).where(cond, runs.c.status.in_(("queued", "running")))
                .values(stop_requested=True))
        return result.rowcount or 0

    async def get(self, run_id: str) -> dict[str, Any] | None:
        async with self.db.read() as conn:
            row = (await conn.execute(select(runs).where(runs.c.id == run_id))).mappings().first()
        return dict(row) if row else None

    async def tool_calls_of(self, run_id: str) -> list[dict[str, Any]]:
        async with self.db.read() as conn:
            rows = (await conn.execute(
                select(tool_calls).where(tool_calls.c.run_id == run_id).order_by(tool_calls.c.id)
            )).mappings().all()
        return [dict(r) for r in rows]

    async def page(self, filters: dict[str, Any], user_id: str | None,
                   window: Window) -> Paged:
        """One page of runs (dicts), newest first; ``user_id`` None: every user's (admins)."""
        where = [runs.c[name] == value for name, value in filters.items() if value is not None]
        if user_id is not None:
            where.append(runs.c.user_id == user_id)
        async with self.db.read() as conn:
            found = await read_page(conn, select(runs), runs, where, window)
        found.rows = [r._asdict() for r in found.rows]
        return found
