"""Agents (scheduled tasks among them) and the record of every scheduled fire. Times are naive UTC
(``sa_type=DateTime``: SQLModel would otherwise demand aware datetimes)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow

AgentKind = Literal["agent", "task"]


class Agent(SQLModel, table=True):
    """A named prompt run headless, with its own model, tools and (optionally) a cron schedule.

    A scheduled task is an agent of kind ``task``: it always has a schedule and runs with the
    default model and the combined prompt. The kind says which API shows it (``/api/agents`` or
    ``/api/tasks``) and names its runs; everything else is the same for both."""

    __tablename__ = "agents"
    __table_args__ = (  # the listings, oldest first: a user's, and every user's (admins)
        Index("ix_agents_listing", "user_id", "kind", "created_at", "id"),
        Index("ix_agents_kind_listing", "kind", "created_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    # A user's objects go with the user.
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    kind: str = Field(default="agent", max_length=16)  # AgentKind
    name: str = Field(max_length=200)
    prompt: str = Field(sa_column=Column(Text, nullable=False))
    model: str | None = Field(default=None, max_length=300)  # provider:model; None: the default
    schedule: str | None = Field(default=None, max_length=200)  # five-field cron
    allowed_tools: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    enabled: bool = True
    prompt_mode: str = Field(default="combined", max_length=16)  # see run_requests.PromptMode
    max_tool_calls: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime, index=True)
    # Fires before this moment are not owed: set on create, on a new schedule and on enabling.
    scheduled_since: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class ScheduleFire(SQLModel, table=True):
    """One fire of one schedule. The unique key lets exactly one server process claim it."""

    __tablename__ = "schedule_fires"
    __table_args__ = (UniqueConstraint("schedule_id", "scheduled_for", name="uq_schedule_fire"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: str = Field(max_length=64)  # "agent:<id>" (services.fires.schedule_key)
    scheduled_for: datetime = Field(sa_type=DateTime)
    status: str = Field(max_length=16)  # started | missed | failed
    run_id: str | None = Field(default=None, max_length=32)
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
