"""The caldav plugin's table: each user's server and login (the password lives in the vault)."""

from __future__ import annotations

from jarvis import ServerAccount
from sqlmodel import Field


class CaldavAccount(ServerAccount, table=True):
    """One user's CalDAV server, login name and chosen calendar."""

    __tablename__ = "caldav_accounts"

    calendar: str | None = Field(default=None, max_length=500)  # None: the first one found


MODELS = [CaldavAccount]
