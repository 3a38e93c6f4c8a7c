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
from ..models.users import User

users: Table = User.__table__  # type: ignore[attr-defined]
sessions: Table = AuthSession.__table__  # type: ignore[attr-defined]
api_keys: Table = ApiKey.__table__  # type: ignore[attr-defined]
challenges: Table = AuthChallenge.__table__  # type: ignore[attr-defined]
throttle: Table = AuthThrottle.__table__  # type: ignore[attr-defined]
secrets: Table = AuthSecret.__table__  # type: ignore[attr-defined]


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
