"""Each user's CardDAV settings: the row in ``contacts_accounts``, the password in the vault."""

from __future__ import annotations

from dataclasses import dataclass

from jarvis import ServerLogin, ServerLogins, table_of

from .models import ContactsAccount

PASSWORD_NAME = "carddav_password"  # noqa: S105 - a vault key name: user:<id>:carddav_password


@dataclass(frozen=True, slots=True)
class Account(ServerLogin):
    """Where a user's address book lives and who logs in there."""

    addressbook: str | None


SETTINGS = ServerLogins(table_of(ContactsAccount), PASSWORD_NAME, "CardDAV password",
                        record=Account)
load = SETTINGS.login
