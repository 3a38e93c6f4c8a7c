"""Each user's CardDAV settings: the row in ``contacts_accounts``, the password in the vault."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jarvis import ServerLogins, table_of

from .models import ContactsAccount

PASSWORD_NAME = "carddav_password"  # noqa: S105 - a vault key name: user:<id>:carddav_password
SETTINGS = ServerLogins(table_of(ContactsAccount), PASSWORD_NAME, "CardDAV password",
                        columns=("addressbook",))


@dataclass(frozen=True, slots=True)
class Account:
    """Where a user's address book lives and who logs in there."""

    server_url: str
    username: str
    addressbook: str | None


async def load(db: Any, user_id: str) -> Account | None:
    """The user's CardDAV settings, or None when unset."""
    login = await SETTINGS.login(db, user_id)
    return None if login is None else Account(**login)
