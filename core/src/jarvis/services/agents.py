"""Agents: create, list, change and delete them; what a run of one is made of."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database, new_id
from ..errors import Conflict
from ..models.agents import Agent
from ..models.runs import Run
from ..runtime.cron import normalize_cron
from ..runtime.prompt import PromptMode
from ..runtime.requests import AgentConfig, RunRequest
from ..timeutil import iso, utcnow
from ..tools import UserRef
from .fires import forget_schedule
from .schedules import (
    check_model,
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

agents = Agent.__table__  # type: ignore[attr-defined]
runs = Run.__table__  # type: ignore[attr-defined]

RUNS_SHOWN = 50  # runs listed with an agent; the full history is at /api/runs


class AgentCreate(BaseModel):
    """The body of ``POST /api/agents``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    prompt: str = Field(min_length=1, max_length=100_000)
    model: str | None = Field(None, max_length=300, description="provider:model; null: default")
    schedule: str | None = Field(None, max_length=200, description="five-field cron, or null",
                                 examples=["0 8 * * 1-5"])
    allowed_tools: list[str] | None = Field(
        None, description="tool names or groups; null: every tool allowed in headless runs")
    enabled: bool = True
    prompt_mode: PromptMode = "combined"
    max_tool_calls: int | None = Field(None, ge=0, le=1000)


class AgentUpdate(BaseModel):
    """The body of ``PUT /api/agents/{id}``: only the fields given change."""

    model_config = ConfigDict(extra="forbid")
    # A field typed without None refuses an explicit null; left out, it keeps its value.

    name: str = Field(None, min_length=1, max_length=200)
    prompt: str = Field(None, min_length=1, max_length=100_000)
    model: str | None = Field(None, max_length=300)
    schedule: str | None = Field(None, max_length=200, examples=["30 7 * * 1"])
    allowed_tools: list[str] | None = None
    enabled: bool = None
    prompt_mode: PromptMode = None
    max_tool_calls: int | None = Field(None, ge=0, le=1000)


class AgentOut(BaseModel):
    id: str
    user_id: str
    name: str
    prompt: str
    model: str | None
    schedule: str | None
    allowed_tools: list[str] | None
    enabled: bool
    prompt_mode: PromptMode
    max_tool_calls: int | None
    created_at: str
    updated_at: str
    next_run_at: str | None


def agent_out(row: Any, time_zone: str, now: datetime | None = None) -> dict[str, Any]:
    """One agent as the API shows it (``now``: one clock read for a whole listing)."""
    return {
        "id": row.id, "user_id": row.user_id, "name": row.name, "prompt": row.prompt,
        "model": row.model, "schedule": row.schedule,
        "allowed_tools": load_tools(row.allowed_tools), "enabled": bool(row.enabled),
        "prompt_mode": row.prompt_mode, "max_tool_calls": row.max_tool_calls,
        "created_at": iso(row.created_at), "updated_at": iso(row.updated_at),
        "next_run_at": next_run_at(row.schedule, bool(row.enabled), time_zone, now),
    }


def agent_config(row: Any) -> AgentConfig:
    """How a run of this agent goes (what the runtime takes)."""
    return AgentConfig(
        prompt=row.prompt, model=row.model, prompt_mode=row.prompt_mode,
        allowed_tools=load_tools(row.allowed_tools), max_tool_calls=row.max_tool_calls,
        name=row.name,
    )


async def list_agents(db: Database, user: UserRef, time_zone: str) -> list[dict[str, Any]]:
    async with db.read() as conn:
        rows = (await conn.execute(
            select(agents).where(visible(agents, user))
            .order_by(agents.c.created_at, agents.c.id)
        )).all()
    now = utcnow()
    return [agent_out(r, time_zone, now) for r in rows]


async def create_agent(db: Database, user: UserRef, body: AgentCreate, registry: Any,
                       time_zone: str) -> dict[str, Any]:
    """Store a new agent of ``user`` (400 naming the field for a bad schedule, model or tool)."""
    now = utcnow()
    values = {
        "id": new_id(), "user_id": user.id, "name": clean_name(body.name),
        "prompt": body.prompt, "model": check_model(body.model, registry.providers),
        "schedule": normalize_cron(body.schedule) if body.schedule is not None else None,
        "allowed_tools": dump_tools(check_tools(body.allowed_tools, registry.tools,
                                                 registry.tool_prefixes)),
        "enabled": body.enabled, "prompt_mode": body.prompt_mode,
        "max_tool_calls": body.max_tool_calls,
        "created_at": now, "updated_at": now, "scheduled_since": now,
    }
    async with db.write() as conn:
        await conn.execute(insert(agents).values(**values))
        row = await owned_row(conn, agents, values["id"], user, "agent")
    return agent_out(row, time_zone)


async def get_agent(db: Database, user: UserRef, agent_id: str) -> Any:
    """The agent's row (404 unless the user owns it or is an admin)."""
    async with db.read() as conn:
        return await owned_row(conn, agents, agent_id, user, "agent")


async def agent_detail(db: Database, user: UserRef, agent_id: str, time_zone: str,
                       shown: int = RUNS_SHOWN) -> dict[str, Any]:
    """The agent, its latest run rows (newest first) and the tokens all its runs used."""
    async with db.read() as conn:
        row = await owned_row(conn, agents, agent_id, user, "agent")
        recent = (await conn.execute(
            select(runs).where(runs.c.agent_id == agent_id)
            .order_by(runs.c.created_at.desc(), runs.c.id.desc()).limit(shown)
        )).all()
        totals = (await conn.execute(
            select(func.coalesce(func.sum(runs.c.input_tokens), 0),
                   func.coalesce(func.sum(runs.c.output_tokens), 0))
            .where(runs.c.agent_id == agent_id)
        )).one()
    return {
        "agent": agent_out(row, time_zone), "runs": [dict(r._mapping) for r in recent],
        "total_input_tokens": int(totals[0]), "total_output_tokens": int(totals[1]),
    }


async def update_agent(db: Database, user: UserRef, agent_id: str, body: AgentUpdate,
                       registry: Any) -> None:
    """Apply the fields given; a new schedule or enabling starts the schedule afresh."""
    changes = body.model_dump(exclude_unset=True)
    require(changes, "name", "prompt", "enabled", "prompt_mode")
    if "name" in changes:
        changes["name"] = clean_name(changes["name"])
    if "model" in changes:
        changes["model"] = check_model(changes["model"], registry.providers)
    if changes.get("schedule") is not None:
        changes["schedule"] = normalize_cron(changes["schedule"])
    if "allowed_tools" in changes:
        changes["allowed_tools"] = dump_tools(check_tools(
            changes["allowed_tools"], registry.tools, registry.tool_prefixes))
    async with db.write() as conn:
        row = await owned_row(conn, agents, agent_id, user, "agent")
        now = utcnow()
        if (changes.get("schedule", row.schedule) != row.schedule
                or (changes.get("enabled") and not row.enabled)):
            changes["scheduled_since"] = now  # fires owed only from now on
        await conn.execute(
            update(agents).where(agents.c.id == agent_id).values(**changes, updated_at=now))


async def delete_agent(db: Database, user: UserRef, agent_id: str) -> None:
    """Delete the agent and its fire records; its runs stay in the history."""
    async with db.write() as conn:
        await owned_row(conn, agents, agent_id, user, "agent")
        await conn.execute(delete(agents).where(agents.c.id == agent_id))
        await forget_schedule(conn, f"agent:{agent_id}")


async def run_request(db: Database, user: UserRef, agent_id: str,
                      message: str | None = None) -> RunRequest:
    """A run of the agent for its owner (an admin starting someone's agent runs it as them)."""
    async with db.read() as conn:
        row = await owned_row(conn, agents, agent_id, user, "agent")
        owner = await _owner(conn, row.user_id)
    return RunRequest(kind="agent", user=owner, message=message or "", agent=agent_config(row),
                      agent_id=row.id)


async def _owner(conn: AsyncConnection, user_id: str) -> UserRef:
    owner = await owner_of(conn, user_id)
    if owner is None:
        raise Conflict("the owner of this agent is disabled or deleted")
    return owner


async def unfinished_runs(db: Database, agent_id: str | None = None,
                          task_id: str | None = None) -> list[str]:
    """Ids of the queued or running runs of an agent or a task."""
    cond = runs.c.agent_id == agent_id if agent_id is not None else runs.c.task_id == task_id
    async with db.read() as conn:
        rows = (await conn.execute(
            select(runs.c.id).where(cond, runs.c.status.in_(("queued", "running")))
        )).all()
    return [r.id for r in rows]
