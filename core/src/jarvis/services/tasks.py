"""Scheduled tasks: a prompt and allowed tools on a cron schedule, run with the default model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, insert, not_, select, update

from ..db import Database, new_id
from ..errors import Conflict
from ..models.agents import ScheduledTask
from ..models.tables import table_of
from ..runtime.cron import normalize_cron
from ..runtime.requests import AgentConfig, RunRequest
from ..timeutil import iso, utcnow
from ..tools import UserRef
from .fires import forget_schedule
from .schedules import (
    check_tools,
    clean_name,
    dump_tools,
    load_tools,
    next_run_at,
    owned_row,
    owner_of,
    require,
    visible,
)

tasks = table_of(ScheduledTask)


class TaskCreate(BaseModel):
    """The body of ``POST /api/tasks``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    schedule: str = Field(min_length=1, max_length=200, description="five-field cron",
                          examples=["0 8 * * 1-5"])
    prompt: str = Field(min_length=1, max_length=100_000)
    allowed_tools: list[str] | None = Field(
        None, description="tool names or groups; null: every tool allowed in headless runs")
    enabled: bool = True


class TaskUpdate(BaseModel):
    """The body of ``PUT /api/tasks/{id}``: only the fields given change."""

    model_config = ConfigDict(extra="forbid")
    # A field typed without None refuses an explicit null; left out, it keeps its value (the
    # None default marks "left out", which the type cannot say: hence the ignores).

    name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    schedule: str = Field(None, min_length=1, max_length=200, examples=["30 7 * * 1"])  # type: ignore[assignment]
    prompt: str = Field(None, min_length=1, max_length=100_000)  # type: ignore[assignment]
    allowed_tools: list[str] | None = None
    enabled: bool = None  # type: ignore[assignment]


class TaskOut(BaseModel):
    id: str
    user_id: str
    name: str
    schedule: str
    prompt: str
    allowed_tools: list[str] | None
    enabled: bool
    created_at: str
    updated_at: str
    next_run_at: str | None


def task_out(row: Any, time_zone: str) -> dict[str, Any]:
    return {
        "id": row.id, "user_id": row.user_id, "name": row.name, "schedule": row.schedule,
        "prompt": row.prompt, "allowed_tools": load_tools(row.allowed_tools),
        "enabled": bool(row.enabled), "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
        "next_run_at": next_run_at(row.schedule, bool(row.enabled), time_zone),
    }


def task_config(row: Any) -> AgentConfig:
    """A task runs like an agent with the default model and the combined prompt."""
    return AgentConfig(prompt=row.prompt, allowed_tools=load_tools(row.allowed_tools),
                       name=row.name)


async def list_tasks(db: Database, user: UserRef, time_zone: str) -> list[dict[str, Any]]:
    async with db.read() as conn:
        rows = (await conn.execute(
            select(tasks).where(visible(tasks, user)).order_by(tasks.c.created_at, tasks.c.id)
        )).all()
    return [task_out(r, time_zone) for r in rows]


async def create_task(db: Database, user: UserRef, body: TaskCreate, registry: Any,
                      time_zone: str) -> dict[str, Any]:
    now = utcnow()
    values: dict[str, Any] = {
        "id": new_id(), "user_id": user.id, "name": clean_name(body.name),
        "schedule": normalize_cron(body.schedule), "prompt": body.prompt,
        "allowed_tools": dump_tools(check_tools(body.allowed_tools, registry.tools,
                                                 registry.tool_prefixes)),
        "enabled": body.enabled, "created_at": now, "updated_at": now, "scheduled_since": now,
    }
    async with db.write() as conn:
        await conn.execute(insert(tasks).values(**values))
        row = await owned_row(conn, tasks, values["id"], user, "task")
    return task_out(row, time_zone)


async def get_task(db: Database, user: UserRef, task_id: str) -> Any:
    async with db.read() as conn:
        return await owned_row(conn, tasks, task_id, user, "task")


async def update_task(db: Database, user: UserRef, task_id: str, body: TaskUpdate,
                      registry: Any) -> None:
    changes = body.model_dump(exclude_unset=True)
    require(changes, "name", "schedule", "prompt", "enabled")
    if "name" in changes:
        changes["name"] = clean_name(changes["name"])
    if "schedule" in changes:
        changes["schedule"] = normalize_cron(changes["schedule"])
    if "allowed_tools" in changes:
        changes["allowed_tools"] = dump_tools(check_tools(
            changes["allowed_tools"], registry.tools, registry.tool_prefixes))
    async with db.write() as conn:
        row = await owned_row(conn, tasks, task_id, user, "task")
        now = utcnow()
        if (changes.get("schedule", row.schedule) != row.schedule
                or (changes.get("enabled") and not row.enabled)):
            changes["scheduled_since"] = now
        await conn.execute(
            update(tasks).where(tasks.c.id == task_id).values(**changes, updated_at=now))


async def toggle_task(db: Database, user: UserRef, task_id: str) -> bool:
    """Flip ``enabled`` in one statement; returns the new value."""
    async with db.write() as conn:
        row = await owned_row(conn, tasks, task_id, user, "task")
        now = utcnow()
        values: dict[str, Any] = {"enabled": not_(tasks.c.enabled), "updated_at": now}
        if not row.enabled:
            values["scheduled_since"] = now
        await conn.execute(update(tasks).where(tasks.c.id == task_id).values(**values))
        return bool((await conn.execute(
            select(tasks.c.enabled).where(tasks.c.id == task_id))).scalar_one())


async def delete_task(db: Database, user: UserRef, task_id: str) -> None:
    async with db.write() as conn:
        await owned_row(conn, tasks, task_id, user, "task")
        await conn.execute(delete(tasks).where(tasks.c.id == task_id))
        await forget_schedule(conn, f"task:{task_id}")


async def run_request(db: Database, user: UserRef, task_id: str) -> RunRequest:
    """A run of the task for its owner."""
    async with db.read() as conn:
        row = await owned_row(conn, tasks, task_id, user, "task")
        owner = await owner_of(conn, row.user_id)
    if owner is None:
        raise Conflict("the owner of this task is disabled or deleted")
    return RunRequest(kind="task", user=owner, agent=task_config(row), task_id=row.id)
