"""Shared fixtures. ``TEST_DATABASE=postgresql`` runs the suite on PostgreSQL (each test in a
schema of its own); the default is a SQLite file per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from jarvis.app import create_app
from jarvis.settings import Settings

TEST_DATABASE = os.environ.get("TEST_DATABASE", "sqlite")
PG_URL = os.environ.get("TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

MakeClient = Callable[..., Awaitable[TestClient]]


def pytest_report_header(config: pytest.Config) -> str:
    return f"jarvis test database: {TEST_DATABASE}"


def pytest_sessionstart(session: pytest.Session) -> None:
    """On PostgreSQL, an unreachable server fails the run at once rather than skipping."""
    if TEST_DATABASE != "postgresql":
        return
    import asyncio

    try:
        asyncio.run(_pg_execute("SELECT 1"))
    except Exception as err:
        pytest.exit(f"PostgreSQL at {PG_URL} is unreachable: {err}", returncode=3)


async def _pg_execute(sql: str) -> None:
    import asyncpg

    dsn = PG_URL.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
async def database(tmp_path) -> AsyncIterator[dict[str, Any]]:
    """The database URL (and PostgreSQL schema) this test uses."""
    if TEST_DATABASE == "postgresql":
        schema = f"t_{uuid.uuid4().hex[:16]}"
        await _pg_execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield {"url": PG_URL, "schema": schema}
        finally:
            await _pg_execute(f'DROP SCHEMA "{schema}" CASCADE')
    else:
        yield {"url": f"sqlite+aiosqlite:///{tmp_path / 'data' / 'jarvis.db'}", "schema": None}


@pytest.fixture
def make_settings(tmp_path, database) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"data_dir": tmp_path / "data", "database_url": database["url"]}
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def make_app(make_settings, database):
    """Build an app with exactly the given plugins (plus the built-in ones)."""

    def make(*plugins: Any, entrypoints: bool = False, settings: Settings | None = None, **overrides: Any):
        return create_app(
            settings or make_settings(**overrides),
            None if entrypoints else list(plugins),
            database_schema=database["schema"],
            trigger_backoff=0.02,
        )

    return make


@pytest.fixture
def make_client(aiohttp_client, make_app) -> MakeClient:
    """``await make_client(plugin, ...)``: a test client for an app with those plugins."""

    async def make(*plugins: Any, **kwargs: Any) -> TestClient:
        return await aiohttp_client(make_app(*plugins, **kwargs))

    return make

from tests.support.identity_fixtures import *  # noqa: E402,F401,F403
