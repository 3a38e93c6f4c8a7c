"""Each user's CalDAV settings: the row in ``caldav_accounts``, the password in the vault.

No aiohttp here: routes and tools both call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jarvis import BadRequest
from sqlalchemy import delete, insert, select

from .models import CaldavAccount
from .urls import same_server

PASSWORD_NAME = "caldav_password"  # noqa: S105 - a vault key name: user:<id>:caldav_password

accounts = CaldavAccount.__table__  # type: ignore[attr-defined]


def password_key(user_id: str) -> str:
    """The vault key of the user's CalDAV password."""
    return f"user:{user_id}:{PASSWORD_NAME}"


@dataclass(frozen=True, slots=True)
class Account:
    """Where a user's calendar lives and who logs in there."""

    server_url: str
    username: str
    calendar: str | None


async def load(db: Any, user_id: str) -> Account | None:
    """The user's CalDAV settings, or None when unset."""
    async with db.read() as conn:
        row = (await conn.execute(
            select(accounts.c.server_url, accounts.c.username, accounts.c.calendar)
            .where(accounts.c.user_id == user_id))).first()
    return None if row is None else Account(row.server_url, row.username, row.calendar)


async def view(db: Any, vault: Any, user_id: str) -> dict[str, Any]:
    """The settings as the API shows them: never the password, only whether one is stored."""
    account = await load(db, user_id)
    if account is None:
        return {"server_url": None, "username": None, "calendar": None, "password_set": False}
    return {"server_url": account.server_url, "username": account.username,
            "calendar": account.calendar,
            "password_set": await vault.exists(password_key(user_id))}


async def save(db: Any, vault: Any, user_id: str, account: Account, password: str | None) -> None:
    """Store the settings; a missing password keeps the stored one for the same server only."""
    key = password_key(user_id)
    before = await load(db, user_id)
    stored = await vault.get(key)
    if password is None:
        if stored is None or before is None:
            raise BadRequest("password: required")
        if not same_server(before.server_url, account.server_url):
            # the stored password was given for another server: never send it elsewhere
            raise BadRequest("password: required when the server changes")
    else:
        await vault.put(key, password, description="CalDAV password")
    try:
        async with db.write() as conn:
            await conn.execute(delete(accounts).where(accounts.c.user_id == user_id))
            await conn.execute(insert(accounts).values(
                user_id=user_id, server_url=account.server_url, username=account.username,
                calendar=account.calendar, updated_at=datetime.now(UTC).replace(tzinfo=None)))
    except BaseException:
        # the row did not change: put the password back as it was, so nothing is half-written
        if password is not None:
            if stored is None:
                await vault.delete(key)
            else:
                await vault.put(key, stored, description="CalDAV password")
        raise


async def remove(db: Any, vault: Any, user_id: str) -> bool:
    """Forget the settings and the password; False when there was nothing to forget."""
    async with db.write() as conn:
        result = await conn.execute(delete(accounts).where(accounts.c.user_id == user_id))
    had_password = await vault.delete(password_key(user_id))
    return bool(result.rowcount) or had_password
