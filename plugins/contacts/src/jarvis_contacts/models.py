"""The contacts plugin's table: each user's CardDAV server and login (password in the vault)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, String
from sqlmodel import Field, SQLModel


class ContactsAccount(SQLModel, table=True):
    """One user's CardDAV server, login name and chosen address book."""

    __tablename__ = "contacts_accounts"

    user_id: str = Field(sa_column=Column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True))
    server_url: str = Field(max_length=2048)
    username: str = Field(max_length=320)
    addressbook: str | None = Field(default=None, max_length=500)  # None: the first one found
    updated_at: datetime = Field(sa_type=DateTime)


MODELS = [ContactsAccount]
