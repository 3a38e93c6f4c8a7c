"""The columns of a plugin's table of each user's login on an outside server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class ServerAccount(SQLModel):
    """Base of a plugin's table (``class MyAccount(ServerAccount, table=True)``): one row per
    user (``user_id``, removed with the user) with the server's URL, the login name and when it
    was saved; the password lives in the vault (``PerUserSettings``)."""

    user_id: str = Field(max_length=32, primary_key=True, foreign_key="users.id",
                         ondelete="CASCADE")
    server_url: str = Field(max_length=2048)
    username: str = Field(max_length=320)
    updated_at: datetime = Field(sa_type=DateTime)
