"""Runs: one execution of the agent loop (a chat turn, an agent, task or trigger run)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Text
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow

RUN_STATUSES = ("queued", "running", "done", "failed", "stopped", "limited", "interrupted")
FINISHED = ("done", "failed", "stopped", "limited", "interrupted")


class Run(SQLModel, table=True):
    """One run, its owner, what started it, its status and its usage."""

    __tablename__ = "runs"
    __table_args__ = (  # newest first: a user's runs, an agent's, and every run (admins)
        Index("ix_runs_listing", "user_id", "created_at", "id"),
        Index("ix_runs_agent_listing", "agent_id", "created_at", "id"),
        Index("ix_runs_created_listing", "created_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=16, index=True)  # chat | agent | task | trigger | api
    # A user's objects go with the user.
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    agent_id: str | None = Field(default=None, max_length=64, index=True)
    task_id: str | None = Field(default=None, max_length=64, index=True)
    session_id: str | None = Field(default=None, max_length=64)
    conversation_id: str | None = Field(default=None, max_length=32, index=True)
    trigger: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=300)
    status: str = Field(default="queued", max_length=16, index=True)
    input_tokens: int = 0
    output_tokens: int = 0
    tool_calls: int = 0
    prompt: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    final_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=DateTime)
    started_at: datetime | None = Field(None, sa_type=DateTime)
    finished_at: datetime | None = Field(None, sa_type=DateTime)
    # the server process that runs it (server_instances.id); NULL: none (e.g. made by a script)
    instance_id: str | None = Field(default=None, max_length=32)
    # a sub-run (an agent asked by another's tool call): the run that asked
    parent_run_id: str | None = Field(default=None, max_length=32, index=True)
    # asked to stop by another process; the owning process polls this flag
    stop_requested: bool = False


class RunToolCall(SQLModel, table=True):
    """One tool call of a run: what was asked, what was decided, how it went."""

    __tablename__ = "run_tool_calls"

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    call_id: str = Field(max_length=200)
    tool_name: str = Field(max_length=200)
    # JSON
    arguments: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    decision: str = Field(max_length=16)  # allow | ask | deny
    confirmed: bool | None = None
    success: bool = False
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
