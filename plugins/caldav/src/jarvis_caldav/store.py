"""Each user's CalDAV settings: the row in ``caldav_accounts``, the password in the vault.

No aiohttp here: routes and tools both call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jarvis import BadRequest, PerUserSettings, table_of

from .models import CaldavAccount
from .urls import same_server

PASSWORD_NAME = "caldav_password"  # noqa: S105 - a vault key name: user:<id>:caldav_password

SETTINGS = PerUserSettings(table_of(CaldavAccount), PASSWORD_NAME, "CalDAV password")


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
    row = await SETTINGS.row(db, user_id)
    return None if row is None else Account(row["server_url"], row["username"], row["calendar"])


async def view(db: Any, vault: Any, user_id: str) -> dict[str, Any]:
    """The settings as the API shows them: never the password, only whether one is stored."""
    account = await load(db, user_id)
    if account is None:
        return {"server_url": None, "username": None, "calendar": None, "password_set": False}
    return {"server_url": account.server_url, "username": account.username,
            "calendar": account.calendar,
            "password_set": await SETTINGS.has_secret(vault, user_id)}


async def save(db: Any, vault: Any, user_id: str, account: Account, password: str | None) -> None:
    """Store the settings; a missing password keeps the stored one for the same server only."""
    if password is None:
        before = await load(db, user_id)
        if before is None or not await SETTINGS.has_secret(vault, user_id):
            raise BadRequest("password: required")
        if not same_server(before.server_url, account.server_url):
            # the stored password was given for another server: never send it elsewhere
            raise BadRequest("password: required when the server changes")
    await SETTINGS.save(db, vault, user_id, password, {
        "server_url": account.server_url, "username": account.username,
        "calendar": account.calendar})


async def remove(db: Any, vault: Any, user_id: str) -> bool:
    """Forget the settings and the password; False when there was nothing to forget."""
    return await SETTINGS.remove(db, vault, user_id)
