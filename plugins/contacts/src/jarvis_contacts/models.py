"""The contacts plugin's table: each user's CardDAV server and login (password in the vault)."""

from __future__ import annotations

from jarvis import ServerAccount
from sqlmodel import Field


class ContactsAccount(ServerAccount, table=True):
    """One user's CardDAV server, login name and chosen address book."""

    __tablename__ = "contacts_accounts"

    addressbook: str | None = Field(default=None, max_length=500)  # None: the first one found


MODELS = [ContactsAccount]
