"""The pushover plugin's table: each user's device choice (the user key lives in the vault)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, String
from sqlmodel import Field, SQLModel


class PushoverTarget(SQLModel, table=True):
    """Which of a user's devices get their notifications (None: all of them)."""

    __tablename__ = "pushover_targets"

    user_id: str = Field(sa_column=Column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True))
    device: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(sa_type=DateTime)


MODELS = [PushoverTarget]
