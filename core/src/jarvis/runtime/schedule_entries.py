"""The scheduler's view of the agents and tasks tables: what is scheduled, what a fire runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, select

from ..db import Database
from ..models.agents import Agent, ScheduledTask
from ..models.tables import table_of
from ..models.users import User
from ..tools import UserRef
from .requests import AgentConfig, RunRequest

agents: Table = table_of(Agent)
tasks: Table = table_of(ScheduledTask)
users: Table = table_of(User)

TABLES = {"agent": agents, "task": tasks}


@dataclass(frozen=True, slots=True)
class Entry:
    """One enabled schedule: ``key`` is ``agent:<id>`` or ``task:<id>``."""

    key: str
    schedule: str
    scheduled_since: datetime


@dataclass(slots=True)
class Target:
    """What one fire of a schedule needs, read fresh from the tables."""

    entry: Entry
    enabled: bool
    owner: UserRef | None  # None: the owner is disabled or deleted
    request: RunRequest | None


def split_key(key: str) -> tuple[str, str]:
    kind, _sep, row_id = key.partition(":")
    if kind not in TABLES or not row_id:
        raise ValueError(f"not a schedule key: {key!r}")
    return kind, row_id


async def stamp(db: Database) -> tuple[Any, ...]:
    """Changes whenever a row is added, changed or deleted in either table (cheap to read)."""
    async with db.read() as conn:
        out: list[Any] = []
        for table in (agents, tasks):
            row = (await conn.execute(
                select(func.count(), func.max(table.c.updated_at)).select_from(table)
            )).one()
            out.extend(row)
    return tuple(out)


async def load_entries(db: Database) -> list[Entry]:
    """Every enabled schedule of both tables."""
    out: list[Entry] = []
    async with db.read() as conn:
        for kind, table in TABLES.items():
            rows = await conn.execute(
                select(table.c.id, table.c.schedule, table.c.scheduled_since)
                .where(table.c.enabled.is_(True), table.c.schedule.is_not(None))
            )
            out.extend(Entry(f"{kind}:{r.id}", r.schedule, r.scheduled_since) for r in rows)
    return out


async def load_entry(db: Database, key: str) -> Entry | None:
    """One schedule if it exists, is enabled and has a schedule."""
    target = await load_target(db, key, with_request=False)
    return target.entry if target is not None and target.enabled else None


async def load_target(db: Database, key: str, with_request: bool = True) -> Target | None:
    """The schedule's row, its owner and the run it would start; None when it has no schedule."""
    from ..services.agents import agent_config
    from ..services.tasks import task_config

    kind, row_id = split_key(key)
    table = TABLES[kind]
    async with db.read() as conn:
        row = (await conn.execute(
            select(table, users.c.username, users.c.role, users.c.is_active)
            .select_from(table.outerjoin(users, users.c.id == table.c.user_id))
            .where(table.c.id == row_id)
        )).first()
    if row is None or not row.schedule:
        return None
    owner = UserRef(row.user_id, row.username, row.role) if row.is_active else None
    entry = Entry(key, row.schedule, row.scheduled_since)
    request = None
    if with_request and owner is not None:
        config: AgentConfig = agent_config(row) if kind == "agent" else task_config(row)
        request = RunRequest(
            kind=kind, user=owner, agent=config, trigger="schedule",  # type: ignore[arg-type]
            agent_id=row_id if kind == "agent" else None,
            task_id=row_id if kind == "task" else None,
        )
    return Target(entry, bool(row.enabled), owner, request)
