"""The caldav plugin's table: each user's server and login (the password lives in the vault)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, String
from sqlmodel import Field, SQLModel


class CaldavAccount(SQLModel, table=True):
    """One user's CalDAV server, login name and chosen calendar."""

    __tablename__ = "caldav_accounts"

    user_id: str = Field(sa_column=Column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True))
    server_url: str = Field(max_length=2048)
    username: str = Field(max_length=320)
    calendar: str | None = Field(default=None, max_length=500)  # None: the first one found
    updated_at: datetime = Field(sa_type=DateTime)


MODELS = [CaldavAccount]
