"""The scheduler's view of the agents table: what is scheduled, what a fire runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, select

from ..db import Database
from ..models.agents import Agent
from ..models.tables import table_of
from ..models.users import User
from ..run_requests import RunRequest
from ..services.fires import agent_of, schedule_key
from ..tools import UserRef

agents: Table = table_of(Agent)
users: Table = table_of(User)


@dataclass(frozen=True, slots=True)
class Entry:
    """One enabled schedule: ``key`` is ``agent:<id>`` (services.fires.schedule_key)."""

    key: str
    schedule: str
    scheduled_since: datetime


@dataclass(slots=True)
class Target:
    """What one fire of a schedule needs, read fresh from the table."""

    entry: Entry
    enabled: bool
    owner: UserRef | None  # None: the owner is disabled or deleted
    request: RunRequest | None


async def stamp(db: Database) -> tuple[Any, ...]:
    """Changes whenever an agent is added, changed or deleted (cheap to read)."""
    async with db.read() as conn:
        row = (await conn.execute(
            select(func.count(), func.max(agents.c.updated_at)).select_from(agents)
        )).one()
    return tuple(row)


async def load_entries(db: Database) -> list[Entry]:
    """Every enabled schedule."""
    async with db.read() as conn:
        rows = await conn.execute(
            select(agents.c.id, agents.c.schedule, agents.c.scheduled_since)
            .where(agents.c.enabled.is_(True), agents.c.schedule.is_not(None))
        )
        return [Entry(schedule_key(r.id), r.schedule, r.scheduled_since) for r in rows]


async def load_entry(db: Database, key: str) -> Entry | None:
    """One schedule if it exists, is enabled and has a schedule."""
    target = await load_target(db, key, with_request=False)
    return target.entry if target is not None and target.enabled else None


async def load_target(db: Database, key: str, with_request: bool = True) -> Target | None:
    """The schedule's row, its owner and the run it would start; None when it has no schedule."""
    return (await load_targets(db, [key], with_request)).get(key)


async def load_targets(db: Database, keys: Iterable[str],
                       with_request: bool = True) -> dict[str, Target]:
    """:func:`load_target` of several schedules in one query; those without one are left out."""
    from ..services.agents import agent_run

    ids = {agent_of(key) for key in keys}
    async with db.read() as conn:
        rows = (await conn.execute(
            select(agents, users.c.username, users.c.role, users.c.is_active)
            .select_from(agents.outerjoin(users, users.c.id == agents.c.user_id))
            .where(agents.c.id.in_(ids))
        )).all()
    found: dict[str, Target] = {}
    for row in rows:
        if not row.schedule:
            continue
        key = schedule_key(row.id)
        owner = UserRef(row.user_id, row.username, row.role) if row.is_active else None
        request = None
        if with_request and owner is not None:
            request = agent_run(row, owner, trigger="schedule")
        found[key] = Target(Entry(key, row.schedule, row.scheduled_since), bool(row.enabled),
                            owner, request)
    return found
