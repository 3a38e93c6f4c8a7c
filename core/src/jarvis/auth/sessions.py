"""Server-side sessions behind the signed cookie, and the shared signing key.

The cookie is ``<token>.<HMAC-SHA256(key, token)>``. The row keeps only SHA-256(token), so
deleting it (logout, password change, disabling) revokes the cookie at once, and a copy of the
database yields no usable cookie. The signing key is random and lives in the database (table
``auth_secrets``) rather than in the data folder: several server processes on one PostgreSQL
database then accept each other's cookies without sharing a folder. Someone who can read the
database learns the key but still no session token; the signature's job is to turn away forged
or damaged cookies before any database read.
"""

from __future__ import annotations

import secrets as pysecrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update

from ..db import Database, new_id
from ..timeutil import utcnow
from ..tools import UserRef
from .sql import OWNER_COLUMNS, insert_for, naive, sessions, users
from .sql import secrets as secrets_table
from .tokens import new_token, token_hash

SESSION_LIFETIME = timedelta(days=30)
IDLE_TIMEOUT = timedelta(days=7)  # the default of the security setting session_idle_hours
TOUCH_EVERY = timedelta(minutes=1)  # how often a session's last request time is written
REAUTH_FOR = timedelta(minutes=5)  # how long a re-authentication lasts ("sudo mode")
SIGNING_KEY_NAME = "session_signing_key"


async def shared_secret(db: Database, name: str) -> str:
    """A random secret kept in the database, so that every process sharing it agrees; the first
    process to ask creates it (insert-or-ignore, then read)."""
    async with db.write() as conn:
        await conn.execute(
            insert_for(conn, secrets_table)
            .values(name=name, value=pysecrets.token_hex(32), created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["name"])
        )
        return (
            await conn.execute(select(secrets_table.c.value).where(secrets_table.c.name == name))
        ).scalar_one()


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    expires_at: datetime
    user: UserRef
    user_active: bool
    last_seen_at: datetime


class SessionStore:
    """Create, look up and end sessions; the cookie holds a token, the table only its hash."""

    def __init__(self, db: Database, lifetime: timedelta = SESSION_LIFETIME):
        self.db = db
        self.lifetime = lifetime
        self._lookup = (
            select(
                sessions.c.id,
                sessions.c.expires_at,
                sessions.c.created_at,
                sessions.c.last_seen_at,
                *OWNER_COLUMNS,
            )
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_hash == bindparam("h"))
        )

    async def create(self, user_id: str) -> tuple[str, str, datetime]:
        """A new session: (session id, token for the cookie, expiry)."""
        token = new_token()
        session_id = new_id()
        now = utcnow()
        expires = now + self.lifetime
        async with self.db.write() as conn:
            # Expired rows go here rather than on the read path, which never writes.
            await conn.execute(delete(sessions).where(sessions.c.expires_at < now))
            await conn.execute(
                sessions.insert().values(
                    id=session_id,
                    token_hash=token_hash(token),
                    user_id=user_id,
                    created_at=now,
                    expires_at=expires,
                    last_seen_at=now,
                )
            )
        return session_id, token, expires

    async def lookup(self, hashed: str) -> SessionRow | None:
        """The session joined with its user (Core, one indexed read), or None."""
        async with self.db.read() as conn:
            row = (await conn.execute(self._lookup, {"h": hashed})).first()
        if row is None:
            return None
        return SessionRow(
            row.id,
            naive(row.expires_at),
            UserRef(row.user_id, row.username, row.role),
            bool(row.is_active),
            naive(row.last_seen_at or row.created_at),
        )

    async def touch(self, session_id: str, when: datetime) -> None:
        """Note a request in the session (the idle timeout counts from the last one)."""
        async with self.db.write() as conn:
            await conn.execute(
                update(sessions).where(sessions.c.id == session_id).values(last_seen_at=when)
            )

    async def mark_reauthenticated(self, session_id: str) -> datetime:
        """The password (and code) were confirmed again in this session: for REAUTH_FOR,
        protected actions are allowed in it. Returns until when."""
        until = utcnow() + REAUTH_FOR
        async with self.db.write() as conn:
            await conn.execute(
                update(sessions).where(sessions.c.id == session_id).values(reauth_until=until)
            )
        return until

    async def reauthenticated(self, session_id: str) -> bool:
        """Whether the session confirmed the password within the last REAUTH_FOR."""
        async with self.db.read() as conn:
            until = (
                await conn.execute(
                    select(sessions.c.reauth_until).where(sessions.c.id == session_id)
                )
            ).scalar_one_or_none()
        return until is not None and naive(until) > utcnow()

    async def end(self, hashed: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(delete(sessions).where(sessions.c.token_hash == hashed))

    async def end_by_id(self, session_id: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(delete(sessions).where(sessions.c.id == session_id))
