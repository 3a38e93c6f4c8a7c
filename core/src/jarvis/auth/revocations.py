"""Revocations made anywhere reach every process's authentication cache at once (PostgreSQL).

Triggers on the sessions, API keys and users tables send a notification when a session or key
row is deleted, or a user's role, name, password or state changes, whoever made the change: a
server process, the command line, or plain SQL. Each server process listens on one connection
of its own and drops the cached entries named; PostgreSQL delivers the notification as the
change commits. While the listening connection is down, nothing is served from the cache.

On SQLite (one server process) the process's own drops suffice, and the cache's short time to
live covers a change made from the command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import text

from ..background import stop_task
from ..db import Database
from .cache import AuthCache

log = logging.getLogger(__name__)

CHANNEL = "jarvis_auth"
RECONNECT_DELAY = 1.0
START_WAIT = 10.0  # seconds start() waits for the listening connection
SETUP_LOCK_ID = 0x4A415554  # "JAUT": one process at a time replaces the triggers

_FUNCTION = f"""
CREATE OR REPLACE FUNCTION jarvis_auth_revoked() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('{CHANNEL}', 'u:' || OLD.id);
    ELSIF TG_TABLE_NAME = 'api_keys' THEN
        PERFORM pg_notify('{CHANNEL}', 't:' || OLD.key_hash);
    ELSE
        PERFORM pg_notify('{CHANNEL}', 't:' || OLD.token_hash);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

_TRIGGERS = {
    "auth_sessions": "AFTER DELETE",
    "api_keys": "AFTER DELETE",
    "users": "AFTER DELETE OR UPDATE OF role, is_active, password_hash, username",
}


async def install_triggers(db: Database) -> None:
    """Create or replace the function and its triggers (idempotent; processes may race)."""
    async with db.write() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": SETUP_LOCK_ID})
        await conn.execute(text(_FUNCTION))
        for table, when in _TRIGGERS.items():
            await conn.execute(text(
                f"CREATE OR REPLACE TRIGGER jarvis_auth_revoked {when} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION jarvis_auth_revoked()"))


def apply(cache: AuthCache, payload: str) -> None:
    """Drop what one notification names: ``t:<token or key hash>`` or ``u:<user id>``."""
    kind, _, value = payload.partition(":")
    if kind == "t":
        cache.drop(value)
    elif kind == "u":
        cache.drop_user(value)
    else:
        cache.clear()


class RevocationListener:
    """Keeps one connection listening on CHANNEL; the cache serves entries only meanwhile."""

    def __init__(self, db: Database, cache: AuthCache):
        self.db = db
        self.cache = cache
        self._task: asyncio.Task[None] | None = None
        self._up = asyncio.Event()

    async def start(self) -> None:
        await install_triggers(self.db)
        self.cache.enabled = False
        self._task = asyncio.create_task(self._listen(), name="auth-revocations")
        with contextlib.suppress(TimeoutError):  # the cache stays off until it listens
            await asyncio.wait_for(self._up.wait(), START_WAIT)

    async def stop(self) -> None:
        await stop_task(self._task)
        self._task = None

    async def _listen(self) -> None:
        while True:
            lost = asyncio.get_running_loop().create_future()
            conn: Any = None
            try:
                async with self.db.engine.connect() as sa_conn:
                    raw = await sa_conn.get_raw_connection()
                    conn = raw.driver_connection  # asyncpg's own connection
                    conn.add_termination_listener(lambda _c, lost=lost: _settle(lost))
                    await conn.add_listener(CHANNEL, self._notified)
                    try:
                        self.cache.clear()  # whatever happened while no one listened
                        self.cache.enabled = True
                        self._up.set()
                        await lost
                    finally:
                        self.cache.enabled = False
                        with contextlib.suppress(Exception):
                            await conn.remove_listener(CHANNEL, self._notified)
            except asyncio.CancelledError:
                raise
            except Exception as err:
                log.warning("listening for revocations failed (%s); the authentication cache "
                            "is off until it listens again", err)
            self.cache.enabled = False
            await asyncio.sleep(RECONNECT_DELAY)

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        apply(self.cache, payload)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
