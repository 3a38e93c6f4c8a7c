"""Agents, scheduled tasks among them (kind ``task``): create, list, change and delete them;
what a run of one is made of. Every function works on the agents of one kind: the other kind's
do not exist for it (404)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, func, insert, not_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..cron import normalize_cron
from ..db import Database, new_id
from ..errors import BadRequest, Conflict, NotFound
from ..models.agents import Agent, AgentKind
from ..models.runs import Run
from ..models.tables import table_of
from ..run_requests import AgentConfig, PromptMode, RunRequest
from ..timeutil import iso, utcnow
from ..tools import UserRef
from .fires import forget_schedule, schedule_key
from .schedules import (
    check_model,
    check_tools,
    clean_name,
    dump_tools,
    load_tools,
    next_run_at,
    owner_of,
    require,
    visible,
)

agents = table_of(Agent)
runs = table_of(Run)

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
    # A field typed without None refuses an explicit null; left out, it keeps its value (the
    # None default marks "left out", which the type cannot say: hence the ignores).

    name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    prompt: str = Field(None, min_length=1, max_length=100_000)  # type: ignore[assignment]
    model: str | None = Field(None, max_length=300)
    schedule: str | None = Field(None, max_length=200, examples=["30 7 * * 1"])
    allowed_tools: list[str] | None = None
    enabled: bool = None  # type: ignore[assignment]
    prompt_mode: PromptMode = None  # type: ignore[assignment]
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
    """The agent as the API shows it (a task's view takes the fields it has; ``now``: one clock
    read for a whole listing)."""
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


def agent_run(row: Any, owner: UserRef, message: str | None = None,
              trigger: str | None = None) -> RunRequest:
    """A run of the agent for ``owner``; its kind is the agent's (``agent`` or ``task``)."""
    return RunRequest(kind=row.kind, user=owner, message=message or "", agent=agent_config(row),
                      agent_id=row.id, trigger=trigger)


async def list_agents(db: Database, user: UserRef, time_zone: str,
                      kind: AgentKind = "agent") -> list[dict[str, Any]]:
    """The agents of one kind the user may see, oldest first, as :func:`agent_out` shows them
    (the times formatted by the database, the rows unpacked as tuples: this is the hot path
    of a listing of thousands)."""
    c = agents.c
    query = (select(c.id, c.user_id, c.name, c.prompt, c.model, c.schedule, c.allowed_tools,
                    c.enabled, c.prompt_mode, c.max_tool_calls, db.iso(c.created_at),
                    db.iso(c.updated_at))
             .where(visible(agents, user), c.kind == kind).order_by(c.created_at, c.id))
    async with db.read() as conn:
        rows = (await conn.execute(query)).all()
    now = utcnow()
    return [{
        "id": id_, "user_id": owner, "name": name, "prompt": prompt, "model": model,
        "schedule": schedule, "allowed_tools": load_tools(tools), "enabled": bool(enabled),
        "prompt_mode": mode, "max_tool_calls": calls, "created_at": created,
        "updated_at": updated,
        "next_run_at": next_run_at(schedule, True, time_zone, now) if schedule and enabled
        else None,
    } for id_, owner, name, prompt, model, schedule, tools, enabled, mode, calls, created, updated
        in rows]


async def create_agent(db: Database, user: UserRef, body: AgentCreate, registry: Any,
                       time_zone: str, kind: AgentKind = "agent") -> dict[str, Any]:
    """Store a new agent of ``user`` (400 naming the field for a bad schedule, model or tool)."""
    if kind == "task" and body.schedule is None:
        raise BadRequest("schedule: a scheduled task needs a schedule")
    now = utcnow()
    values: dict[str, Any] = {
        "id": new_id(), "user_id": user.id, "kind": kind, "name": clean_name(body.name),
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
        row = await _owned(conn, values["id"], user, kind)
    return agent_out(row, time_zone)


async def _owned(conn: AsyncConnection, agent_id: str, user: UserRef, kind: AgentKind) -> Any:
    """The agent of this kind if the user may see it, else a 404 naming the kind."""
    row = (await conn.execute(
        select(agents).where(agents.c.id == agent_id, agents.c.kind == kind,
                             visible(agents, user))
    )).first()
    if row is None:
        raise NotFound(f"{kind} not found")
    return row


async def get_agent(db: Database, user: UserRef, agent_id: str,
                    kind: AgentKind = "agent") -> Any:
    """The agent's row (404 unless the user owns it or is an admin)."""
    async with db.read() as conn:
        return await _owned(conn, agent_id, user, kind)


async def agent_detail(db: Database, user: UserRef, agent_id: str, time_zone: str,
                       shown: int = RUNS_SHOWN) -> dict[str, Any]:
    """The agent, its latest run rows (newest first) and the tokens all its runs used."""
    async with db.read() as conn:
        row = await _owned(conn, agent_id, user, "agent")
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
                       registry: Any, kind: AgentKind = "agent") -> None:
    """Apply the fields given; a new schedule or enabling starts the schedule afresh."""
    changes = body.model_dump(exclude_unset=True)
    require(changes, "name", "prompt", "enabled", "prompt_mode",
            *(("schedule",) if kind == "task" else ()))
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
        row = await _owned(conn, agent_id, user, kind)
        await _change(conn, row, changes)


async def toggle_agent(db: Database, user: UserRef, agent_id: str,
                       kind: AgentKind = "agent") -> bool:
    """Flip ``enabled`` in one statement (two at once flip it twice); returns the new value."""
    async with db.write() as conn:
        row = await _owned(conn, agent_id, user, kind)
        await _change(conn, row, {"enabled": not_(agents.c.enabled)})
        return bool((await conn.execute(
            select(agents.c.enabled).where(agents.c.id == agent_id))).scalar_one())


async def _change(conn: AsyncConnection, row: Any, changes: dict[str, Any]) -> None:
    now = utcnow()
    # enabling: an explicit true, or a flip (toggle_agent) of a disabled agent
    enabling = "enabled" in changes and changes["enabled"] is not False and not row.enabled
    if changes.get("schedule", row.schedule) != row.schedule or enabling:
        changes["scheduled_since"] = now  # fires owed only from now on
    await conn.execute(
        update(agents).where(agents.c.id == row.id).values(**changes, updated_at=now))


async def delete_agent(db: Database, user: UserRef, agent_id: str,
                       kind: AgentKind = "agent") -> None:
    """Delete the agent and its fire records; its runs stay in the history."""
    async with db.write() as conn:
        await _owned(conn, agent_id, user, kind)
        await conn.execute(delete(agents).where(agents.c.id == agent_id))
        await forget_schedule(conn, schedule_key(agent_id))


async def run_request(db: Database, user: UserRef, agent_id: str, message: str | None = None,
                      kind: AgentKind = "agent") -> RunRequest:
    """A run of the agent for its owner (an admin starting someone's agent runs it as them)."""
    async with db.read() as conn:
        row = await _owned(conn, agent_id, user, kind)
        owner = await owner_of(conn, row.user_id)
    if owner is None:
        raise Conflict(f"the owner of this {kind} is disabled or deleted")
    return agent_run(row, owner, message)


async def unfinished_runs(db: Database, agent_id: str) -> list[str]:
    """Ids of the queued or running runs of an agent."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(runs.c.id).where(runs.c.agent_id == agent_id,
                                    runs.c.status.in_(("queued", "running")))
        )).all()
    return [r.id for r in rows]
