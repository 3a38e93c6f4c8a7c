"""SQL helpers shared by the identity modules: tables, locks, upserts, time normalisation."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ..models.auth import ApiKey, AuthChallenge, AuthSecret, AuthSession, AuthThrottle
from ..models.tables import table_of
from ..models.users import User

users: Table = table_of(User)
sessions: Table = table_of(AuthSession)
api_keys: Table = table_of(ApiKey)
challenges: Table = table_of(AuthChallenge)
throttle: Table = table_of(AuthThrottle)
secrets: Table = table_of(AuthSecret)

# What a session or API key lookup reads of the user it belongs to.
OWNER_COLUMNS = (users.c.id.label("user_id"), users.c.username, users.c.role, users.c.is_active)


def naive(value: datetime) -> datetime:
    """UTC without tzinfo (PostgreSQL hands back aware datetimes, SQLite naive ones)."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


async def lock(conn: AsyncConnection, name: str) -> None:
    """Serialise writers of one kind inside the current transaction. SQLite's ``BEGIN IMMEDIATE``
    (what ``Database.write`` opens) already does; PostgreSQL takes an advisory transaction lock."""
    if conn.dialect.name == "postgresql":
        key = zlib.crc32(f"jarvis.auth.{name}".encode())
        await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def insert_for(conn: AsyncConnection, table: Table) -> Any:
    """An INSERT that supports ``on_conflict_do_*`` on this connection's dialect."""
    return (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
