"""The filesystem plugin's table: the folders the agent may work in."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

MAX_PATH = 1024


def utcnow() -> datetime:
    """Now as naive UTC, as the tables store it."""
    return datetime.now(UTC).replace(tzinfo=None)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a trailing Z."""
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


class FilesystemRoot(SQLModel, table=True):
    """A whitelisted folder (stored canonical: absolute, links resolved)."""

    __tablename__ = "filesystem_whitelist"

    path: str = Field(primary_key=True, max_length=MAX_PATH)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


MODELS = [FilesystemRoot]
