"""Each user's CalDAV settings: the row in ``caldav_accounts``, the password in the vault.

No aiohttp here: routes and tools both call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from jarvis import ServerLogin, ServerLogins, table_of

from .models import CaldavAccount

PASSWORD_NAME = "caldav_password"  # noqa: S105 - a vault key name: user:<id>:caldav_password


def password_key(user_id: str) -> str:
    """The vault key of the user's CalDAV password."""
    return SETTINGS.secret_key(user_id)


@dataclass(frozen=True, slots=True)
class Account(ServerLogin):
    """Where a user's calendar lives and who logs in there."""

    calendar: str | None


SETTINGS = ServerLogins(table_of(CaldavAccount), PASSWORD_NAME, "CalDAV password",
                        record=Account)
load = SETTINGS.login
