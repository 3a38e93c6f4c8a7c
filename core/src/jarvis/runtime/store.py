"""The run store: run rows and their tool calls, written with SQLAlchemy Core (cheap, atomic)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    func,
    insert,
    not_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database
from ..models.runs import Run, RunToolCall
from ..models.tables import table_of
from ..pagination import Paged, Window, read_page
from ..services import conversations
from ..services.group_writes import GroupWrite
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


def _counted(since: datetime) -> Any:
    """The autonomous runs since ``since`` that count against a budget (runs refused by it
    never started and do not count)."""
    return and_(
        runs.c.kind.in_(AUTONOMOUS),
        runs.c.created_at >= since,
        not_(and_(runs.c.status == "limited", runs.c.started_at.is_(None))),
    )


@dataclass(frozen=True, slots=True)
class _Create:
    values: dict[str, Any]
    budget: HourlyBudget | None
    messages: list[dict[str, Any]]  # its first messages, stored when it is queued
    model: str | None  # the model its conversation is now with
    conversation: dict[str, Any] | None  # a new conversation's row, inserted first


class RunStore:
    """Reads and writes of the ``runs`` and ``run_tool_calls`` tables."""

    def __init__(self, db: Database):
        self.db = db
        # runs starting together (a minute's scheduled agents) are written together
        self._creates: GroupWrite[_Create, str] = GroupWrite(db, self._create)
        self._starts: GroupWrite[tuple[str, str | None], None] = GroupWrite(db, self._started)

    async def create(self, values: dict[str, Any], budget: HourlyBudget | None = None,
                     messages: list[dict[str, Any]] | None = None,
                     model: str | None = None,
                     conversation: dict[str, Any] | None = None) -> str:
        """Insert a run row; returns its status: ``queued``, or ``limited`` when an autonomous
        run is over the hourly ``budget`` (the user's own, or everyone's together): then it is
        recorded but not run. ``messages``, its first messages (rows), are stored with a queued
        run, and its conversation (if any) then says ``model``; ``conversation`` is the row of
        a new conversation for the run, inserted with it.

        The counts and the inserts are one transaction, and on PostgreSQL writers of runs with
        a budget queue on a transaction lock first (SQLite's ``BEGIN IMMEDIATE`` already
        does): parallel starts cannot both take the last place. Runs created at the same
        moment (a minute's scheduled agents) share the transaction and its statements."""
        values = {**values, "status": "queued", "created_at": utcnow()}
        return await self._creates.add(
            _Create(values, budget, messages or [], model, conversation))

    async def _create(self, conn: AsyncConnection, creates: list[_Create]) -> list[str]:
        rows = [dict(c.values) for c in creates]
        started = [c.conversation for c in creates if c.conversation is not None]
        if started:
            await conn.execute(insert(conversations.conversations), started)
        budgeted = [i for i, c in enumerate(creates)
                    if c.budget is not None and c.values["kind"] in AUTONOMOUS]
        if budgeted:
            if not self.db.is_sqlite:
                await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"),
                                   {"id": HOURLY_LOCK_ID})
            since = min(rows[i]["created_at"] for i in budgeted) - timedelta(hours=1)
            total = await conn.scalar(
                select(func.count()).select_from(runs).where(_counted(since))) or 0
            users = {rows[i]["user_id"] for i in budgeted}
            mine: dict[str, int] = {user: count for user, count in await conn.execute(
                select(runs.c.user_id, func.count())
                .where(_counted(since), runs.c.user_id.in_(users)).group_by(runs.c.user_id))}
            for i in budgeted:
                budget, row = creates[i].budget, rows[i]
                assert budget is not None
                used = mine.get(row["user_id"], 0)
                if used >= budget.per_user or total >= budget.total:
                    row.update(status="limited", finished_at=row["created_at"], error=(
                        f"not run: your limit of {budget.per_user} autonomous runs per hour "
                        "is reached" if used >= budget.per_user else
                        f"not run: the limit of {budget.total} autonomous runs per hour is "
                        "reached"))
                else:
                    total += 1
                    mine[row["user_id"]] = used + 1
        same_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:  # one insert for each set of columns given
            same_keys.setdefault(tuple(sorted(row)), []).append(row)
        for group in same_keys.values():
            await conn.execute(insert(runs), group)
        await conversations.insert_messages_of_runs(conn, [
            (c.messages, c.values.get("conversation_id"), c.values["id"], c.model)
            for c, row in zip(creates, rows, strict=True) if row["status"] == "queued"])
        return [row["status"] for row in rows]

    async def started(self, run_id: str, model: str | None) -> None:
        """Mark a run running (with the runs starting at the same moment, in one write)."""
        await self._starts.add((run_id, model))

    async def _started(self, conn: AsyncConnection,
                       starts: list[tuple[str, str | None]]) -> list[None]:
        await conn.execute(
            update(runs).where(runs.c.id == bindparam("run"))
            .values(status="running", started_at=utcnow(), model=bindparam("new_model")),
            [{"run": run_id, "new_model": model} for run_id, model in starts])
        return [None] * len(starts)

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
