"""Per-user plugin settings: a plugin's row for each user, and one secret of that user's in the
vault, changed together so that nothing is half-written.

    SETTINGS = PerUserSettings(table_of(CaldavAccount), "caldav_password", "CalDAV password")
    await SETTINGS.save(db, vault, user.id, password, {"server_url": url, "username": name})
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, Table, delete, insert, select

from ..timeutil import utcnow


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
