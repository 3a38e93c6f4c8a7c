"""The filesystem plugin's table: the folders the agent may work in."""

from __future__ import annotations

from datetime import datetime

from jarvis import utcnow
from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

MAX_PATH = 1024


class FilesystemRoot(SQLModel, table=True):
    """A whitelisted folder (stored canonical: absolute, links resolved)."""

    __tablename__ = "filesystem_whitelist"

    path: str = Field(primary_key=True, max_length=MAX_PATH)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


MODELS = [FilesystemRoot]
