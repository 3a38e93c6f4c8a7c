"""Per-user plugin settings: a plugin's row for each user, and one secret of that user's in the
vault, changed together so that nothing is half-written.

    SETTINGS = PerUserSettings(table_of(CaldavAccount), "caldav_password", "CalDAV password")
    await SETTINGS.save(db, vault, user.id, password, {"server_url": url, "username": name})
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import RowMapping, Table, delete, insert, select

from ..errors import BadRequest
from ..timeutil import utcnow

DEFAULT_PORTS = {"http": 80, "https": 443}


class PerUserSettings:
    """Settings kept in ``table`` (one row per user, keyed by ``user_id``; ``updated_at`` is
    set when the table has it) plus the secret ``user:<user_id>:<secret_name>`` in the vault."""

    def __init__(self, table: Table, secret_name: str, secret_description: str):
        self.table = table
        self.secret_name = secret_name
        self.secret_description = secret_description

    def secret_key(self, user_id: str) -> str:
        """The vault key of the user's secret."""
        return f"user:{user_id}:{self.secret_name}"

    async def row(self, db: Any, user_id: str) -> RowMapping | None:
        """The user's row, or None when unset."""
        async with db.read() as conn:
            result = await conn.execute(select(self.table).where(self.table.c.user_id == user_id))
            return result.mappings().first()

    async def has_secret(self, vault: Any, user_id: str) -> bool:
        """Whether the user's secret is stored (the API shows this, never the secret)."""
        return await vault.exists(self.secret_key(user_id))

    async def save(self, db: Any, vault: Any, user_id: str, secret: str | None,
                   values: dict[str, Any] | None) -> None:
        """Store ``secret`` (None: keep the stored one) and replace the user's row with
        ``values`` (None: leave the row as it is); if the row cannot be written, the secret is
        put back as it was."""
        key = self.secret_key(user_id)
        stored = await vault.get(key)
        if secret is not None:
            await vault.put(key, secret, description=self.secret_description)
        if values is None:
            return
        if "updated_at" in self.table.c:
            values = {**values, "updated_at": utcnow()}
        try:
            async with db.write() as conn:
                await conn.execute(delete(self.table).where(self.table.c.user_id == user_id))
                await conn.execute(insert(self.table).values(user_id=user_id, **values))
        except BaseException:
            if secret is not None:
                if stored is None:
                    await vault.delete(key)
                else:
                    await vault.put(key, stored, description=self.secret_description)
            raise

    async def remove(self, db: Any, vault: Any, user_id: str) -> bool:
        """Forget the row and the secret; False when there was nothing to forget."""
        async with db.write() as conn:
            result = await conn.execute(delete(self.table).where(self.table.c.user_id == user_id))
        had_secret = await vault.delete(self.secret_key(user_id))
        return bool(result.rowcount) or had_secret


def same_server(first: str, second: str) -> bool:
    """True when both URLs lead to the same scheme, host and port (a default port spelt out or
    left out is the same port)."""
    def origin(url: str) -> tuple[str, str | None, int | None]:
        parts = urlsplit(url)
        return parts.scheme, parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme)
    return origin(first) == origin(second)


@dataclass(frozen=True, slots=True)
class ServerLogin:
    """A user's login on an outside server; a plugin's subclass adds its own fields."""

    server_url: str
    username: str


L = TypeVar("L", bound=ServerLogin)


class ServerLogins(PerUserSettings, Generic[L]):
    """Each user's login on an outside server, in a ``ServerAccount`` table: the fields of
    ``record`` (a ``ServerLogin``) as its columns, the password in the vault. A stored password
    is only ever kept for the server it was given for.

    ``view``, ``save_body`` and ``remove`` are what ``user_settings_routes`` takes.
    """

    def __init__(self, table: Table, secret_name: str, secret_description: str, *,
                 record: type[L]):
        super().__init__(table, secret_name, secret_description)
        self.record = record
        self.columns = tuple(field.name for field in fields(record))

    async def login(self, db: Any, user_id: str) -> L | None:
        """The user's login, or None when unset."""
        row = await self.row(db, user_id)
        return None if row is None else self.record(**{name: row[name] for name in self.columns})

    async def view(self, db: Any, vault: Any, user_id: str) -> dict[str, Any]:
        """The login as the API shows it: never the password, only whether one is stored."""
        login = await self.login(db, user_id)
        if login is None:
            return {**dict.fromkeys(self.columns), "password_set": False}
        return {**asdict(login), "password_set": await self.has_secret(vault, user_id)}

    async def save_login(self, db: Any, vault: Any, user_id: str, login: dict[str, Any],
                         password: str | None) -> None:
        """Store the login; a missing password keeps the stored one, for the same server only."""
        if password is None:
            before = await self.login(db, user_id)
            if before is None or not await self.has_secret(vault, user_id):
                raise BadRequest("password: required")
            if not same_server(before.server_url, login["server_url"]):
                # the stored password was given for another server: never send it elsewhere
                raise BadRequest("password: required when the server changes")
        await self.save(db, vault, user_id, password, {name: login[name] for name in self.columns})

    async def save_body(self, context: Any, user_id: str, body: Any) -> dict[str, Any]:
        """Store a settings body (its fields named like the columns, and ``password``; an empty
        plugin column is stored as None); what the audit entry says of it."""
        login = {name: getattr(body, name) for name in self.columns}
        login.update({name: login[name] or None for name in self.columns[2:]})
        await self.save_login(context.db, context.vault, user_id, login, body.password)
        return {"server_url": login["server_url"], "username": login["username"],
                "password_changed": body.password is not None}
