"""API keys: shown once, stored as a hash, acting with their owner's role."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update

from ..db import Database, new_id
from ..errors import NotFound
from ..timeutil import iso, utcnow
from ..tools import UserRef
from .sql import OWNER_COLUMNS, api_keys, users
from .tokens import api_key_prefix, new_api_key, token_hash

log = logging.getLogger(__name__)

MAX_KEYS_PER_USER = 100


@dataclass(frozen=True, slots=True)
class KeyRow:
    id: str
    user: UserRef
    user_active: bool


class ApiKeyStore:
    """Keys per user. ``last_used_at`` is collected in memory and written in batches by
    :meth:`flush` (the identity service calls it every few seconds), not once per request."""

    def __init__(self, db: Database):
        self.db = db
        self._pending: dict[str, float] = {}
        self._lookup = (
            select(api_keys.c.id, *OWNER_COLUMNS)
            .join(users, users.c.id == api_keys.c.user_id)
            .where(api_keys.c.key_hash == bindparam("h"))
        )

    async def create(self, user_id: str, name: str) -> tuple[str, str, str]:
        """A new key for the user: (id, the key itself, its visible prefix)."""
        key = new_api_key()
        key_id = new_id()
        async with self.db.write() as conn:
            await conn.execute(
                api_keys.insert().values(
                    id=key_id,
                    user_id=user_id,
                    name=name,
                    prefix=api_key_prefix(key),
                    key_hash=token_hash(key),
                    created_at=utcnow(),
                    last_used_at=None,
                )
            )
        return key_id, key, api_key_prefix(key)

    async def count(self, user_id: str) -> int:
        async with self.db.read() as conn:
            stmt = select(func.count()).select_from(api_keys).where(api_keys.c.user_id == user_id)
            return int((await conn.execute(stmt)).scalar_one())

    async def list(self, user_id: str) -> list[dict[str, Any]]:
        """The user's keys, newest first, without the keys themselves."""
        await self.flush()
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(
                        api_keys.c.id,
                        api_keys.c.name,
                        api_keys.c.prefix,
                        api_keys.c.created_at,
                        api_keys.c.last_used_at,
                    )
                    .where(api_keys.c.user_id == user_id)
                    .order_by(api_keys.c.created_at.desc(), api_keys.c.id)
                )
            ).all()
        return [
            {
                "id": r.id,
                "name": r.name,
                "prefix": r.prefix,
                "created_at": iso(r.created_at),
                "last_used_at": iso(r.last_used_at),
            }
            for r in rows
        ]

    async def owner_of(self, key_id: str) -> str | None:
        """The id of the user a key belongs to, or None."""
        async with self.db.read() as conn:
            stmt = select(api_keys.c.user_id).where(api_keys.c.id == key_id)
            return (await conn.execute(stmt)).scalar_one_or_none()

    async def delete(self, user_id: str, key_id: str) -> str:
        """Delete one of the user's keys and return its hash; 404 for a key of someone else."""
        async with self.db.write() as conn:
            hashed = (
                await conn.execute(
                    delete(api_keys)
                    .where(api_keys.c.id == key_id, api_keys.c.user_id == user_id)
                    .returning(api_keys.c.key_hash)
                )
            ).scalar_one_or_none()
        if hashed is None:
            raise NotFound("no such API key")
        self._pending.pop(key_id, None)
        return hashed

    async def lookup(self, hashed: str) -> KeyRow | None:
        """The key's owner (Core, one indexed read), or None."""
        async with self.db.read() as conn:
            row = (await conn.execute(self._lookup, {"h": hashed})).first()
        if row is None:
            return None
        return KeyRow(row.id, UserRef(row.user_id, row.username, row.role), bool(row.is_active))

    def touch(self, key_id: str) -> None:
        """Note a use of the key (now, in seconds since the epoch: cheap on every request);
        written by the next :meth:`flush`."""
        self._pending[key_id] = time.time()

    async def flush(self) -> None:
        """Write the collected ``last_used_at`` times in one transaction."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        params = [{"kid": k, "t": datetime.fromtimestamp(t, UTC).replace(tzinfo=None)}
                  for k, t in pending.items()]
        try:
            async with self.db.write() as conn:
                await conn.execute(
                    update(api_keys)
                    .where(api_keys.c.id == bindparam("kid"))
                    .values(last_used_at=bindparam("t")),
                    params,
                )
        except Exception:
            log.exception("could not record API key use")
