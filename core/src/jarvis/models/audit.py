"""The audit log: an append-only, hash-chained table, and the head of its chain."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, Text
from sqlmodel import Field, SQLModel

# INTEGER on SQLite so the id is the rowid; BIGINT on PostgreSQL.
AUDIT_ID = BigInteger().with_variant(Integer(), "sqlite")


class AuditEntry(SQLModel, table=True):
    """One audited event. ``hash`` covers every column and ``prev_hash`` (see audit_chain)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        # GET /api/audit pages newest first (created_at, id): each filter column leads an index
        # in that order, so a filtered page, with or without a time window, is an index walk.
        Index("ix_audit_log_created_at", "created_at", "id"),
        Index("ix_audit_log_user_id", "user_id", "created_at", "id"),
        Index("ix_audit_log_tool_name", "tool_name", "created_at", "id"),
        Index("ix_audit_log_session_id", "session_id", "created_at", "id"),
        Index("ix_audit_log_task_id", "task_id", "created_at", "id"),
        Index("ix_audit_log_run_id", "run_id", "created_at", "id"),
        Index("ix_audit_log_confirmed", "confirmed", "created_at", "id"),
    )

    id: int = Field(sa_column=Column(AUDIT_ID, primary_key=True, autoincrement=False))
    created_at: datetime = Field(sa_type=DateTime())  # naive UTC, hashed to the microsecond
    kind: str = Field(max_length=20)  # tool_call | denial | admin | security
    action: str = Field(max_length=64)
    user_id: str | None = Field(default=None, max_length=64)
    username: str | None = Field(default=None, max_length=200)
    session_id: str | None = Field(default=None, max_length=200)
    run_id: str | None = Field(default=None, max_length=200)
    task_id: str | None = Field(default=None, max_length=200)
    tool_name: str | None = Field(default=None, max_length=100)
    arguments: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON
    decision: str | None = Field(default=None, max_length=10)
    confirmed: bool | None = None
    success: bool | None = None
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditChain(SQLModel, table=True):
    """The chain's head (last id and hash) and anchor (what the oldest kept row points to)."""

    __tablename__ = "audit_chain"

    id: str = Field(primary_key=True, max_length=20)  # always "main"
    head_id: int = Field(default=0, sa_column=Column(AUDIT_ID, nullable=False))
    head_hash: str = Field(max_length=64)
    anchor_id: int = Field(default=0, sa_column=Column(AUDIT_ID, nullable=False))
    anchor_hash: str = Field(max_length=64)
