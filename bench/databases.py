"""The databases a benchmark runs on: SQLite in a temporary folder, or a throw-away PostgreSQL
database (created for the benchmark and dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

# The server benchmarks may use; BENCH_PG_URL points elsewhere (trust or password in the URL).
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def postgresql_reachable(url: str = PG_URL) -> bool:
    """True when PostgreSQL answers at ``url`` within two seconds."""
    try:
        import asyncpg
    except ImportError:
        return False
    try:
        conn = await asyncpg.connect(_dsn(url), timeout=2)
    except (OSError, TimeoutError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


@asynccontextmanager
async def throwaway_postgresql(url: str = PG_URL) -> AsyncIterator[str]:
    """A fresh, empty database on the server of ``url``; yields its SQLAlchemy URL and drops it
    (and any connection left to it) afterwards."""
    import asyncpg

    name = f"jarvis_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_dsn(url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = _dsn(url).rsplit("/", 1)[0]
        try:
            yield f"postgresql+asyncpg{base.removeprefix('postgresql')}/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def database(kind: str) -> AsyncIterator[str | None]:
    """``None`` for SQLite (the benchmark keeps its own file in a temporary folder), else the
    URL of a throw-away PostgreSQL database."""
    if kind == "sqlite":
        yield None
    elif kind == "postgresql":
        async with throwaway_postgresql() as url:
            yield url
    else:
        raise ValueError(f"unknown database {kind!r}: use sqlite or postgresql")
