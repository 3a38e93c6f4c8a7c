"""Server processes sharing the database: who is alive, so runs of dead ones can be closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow


class ServerInstance(SQLModel, table=True):
    """One running server process and its last heartbeat."""

    __tablename__ = "server_instances"

    id: str = Field(primary_key=True, max_length=32)
    host: str = Field(default="", max_length=255)  # for operators: which machine and process
    pid: int = 0
    started_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    heartbeat_at: datetime = Field(default_factory=utcnow, index=True, sa_type=DateTime)
