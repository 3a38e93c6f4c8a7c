"""Each user's CalDAV settings: the row in ``caldav_accounts``, the password in the vault.

No aiohttp here: routes and tools both call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jarvis import ServerLogins, table_of

from .models import CaldavAccount

PASSWORD_NAME = "caldav_password"  # noqa: S105 - a vault key name: user:<id>:caldav_password

SETTINGS = ServerLogins(table_of(CaldavAccount), PASSWORD_NAME, "CalDAV password",
                        columns=("calendar",))


def password_key(user_id: str) -> str:
    """The vault key of the user's CalDAV password."""
    return SETTINGS.secret_key(user_id)


@dataclass(frozen=True, slots=True)
class Account:
    """Where a user's calendar lives and who logs in there."""

    server_url: str
    username: str
    calendar: str | None


async def load(db: Any, user_id: str) -> Account | None:
    """The user's CalDAV settings, or None when unset."""
    login = await SETTINGS.login(db, user_id)
    return None if login is None else Account(**login)
