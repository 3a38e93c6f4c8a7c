"""Each user's CardDAV settings: the row in ``contacts_accounts``, the password in the vault."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from jarvis import BadRequest, PerUserSettings
from yarl import URL

from .models import ContactsAccount

PASSWORD_NAME = "carddav_password"  # noqa: S105 - a vault key name: user:<id>:carddav_password
SETTINGS = PerUserSettings(ContactsAccount.__table__, PASSWORD_NAME, "CardDAV password")  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Account:
    """Where a user's address book lives and who logs in there."""

    server_url: str
    username: str
    addressbook: str | None


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parsed = URL(url)
    return parsed.scheme, parsed.host, parsed.port


async def load(db: Any, user_id: str) -> Account | None:
    """The user's CardDAV settings, or None when unset."""
    row = await SETTINGS.row(db, user_id)
    return None if row is None else Account(row["server_url"], row["username"],
                                            row["addressbook"])


async def view(db: Any, vault: Any, user_id: str) -> dict[str, Any]:
    """The settings as the API shows them: never the password, only whether one is stored."""
    account = await load(db, user_id)
    if account is None:
        return {"server_url": None, "username": None, "addressbook": None,
                "password_set": False}
    return {**asdict(account), "password_set": await SETTINGS.has_secret(vault, user_id)}


async def save(db: Any, vault: Any, user_id: str, account: Account, password: str | None) -> None:
    """Store the settings; a missing password keeps the stored one for the same server only."""
    if password is None:
        before = await load(db, user_id)
        if before is None or not await SETTINGS.has_secret(vault, user_id):
            raise BadRequest("password: required")
        if _origin(before.server_url) != _origin(account.server_url):
            raise BadRequest("password: required when the server changes")
    await SETTINGS.save(db, vault, user_id, password, asdict(account))


async def remove(db: Any, vault: Any, user_id: str) -> bool:
    """Forget the settings and the password; False when there was nothing to forget."""
    return await SETTINGS.remove(db, vault, user_id)
