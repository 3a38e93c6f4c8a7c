"""Pytest fixtures for testing Jarvis and its plugins. Nothing loads them on its own: a project's
top-level ``conftest.py`` asks for them (install ``jarvis-server[test]`` for pytest and friends)::

    pytest_plugins = ["jarvis.testing.pytest_plugin"]

    async def test_my_route(make_client):            # an app with exactly these plugins
        client = await make_client(my_plugin)
        assert (await client.get("/api/my-route")).status == 200

    async def test_as_users(admin_client, user_client):   # logged-in clients of one app
        resp = await admin_client.post("/api/...", json={...})

Override ``jarvis_plugins`` (and ``jarvis_settings``, ``jarvis_outbound_http``) in a test module
to put plugins behind the logged-in clients. ``TEST_DATABASE=postgresql`` runs every test on
PostgreSQL (``TEST_PG_URL``, default ``127.0.0.1:5432/test``), each test in a schema of its own;
the default is a SQLite file per test.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from ..app import create_app
from ..security import GuardedHttp
from ..settings import Settings
from ..tools import UserRef
from .clients import JarvisClient, start_client
from .hostile import serve_all
from .plugins import use_outbound_http
from .scripted import ScriptedProvider

TEST_DATABASE = os.environ.get("TEST_DATABASE", "sqlite")
PG_URL = os.environ.get("TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

MakeClient = Callable[..., Awaitable[TestClient]]
ClientAs = Callable[..., Awaitable[JarvisClient]]


def pytest_report_header(config: pytest.Config) -> str:
    return f"jarvis test database: {TEST_DATABASE}"


def pytest_sessionstart(session: pytest.Session) -> None:
    """On PostgreSQL, an unreachable server fails the run at once rather than skipping."""
    if TEST_DATABASE != "postgresql":
        return
    try:
        asyncio.run(_pg_execute("SELECT 1"))
    except Exception as err:
        pytest.exit(f"PostgreSQL at {PG_URL} is unreachable: {err}", returncode=3)


async def _pg_execute(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg", "postgresql"))
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
    """``make_settings(**overrides)``: settings with a throw-away data folder and database."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"data_dir": tmp_path / "data", "database_url": database["url"]}
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def make_app(make_settings, database):
    """``make_app(*plugins, entrypoints=False, **settings)``: an app with exactly these plugins
    (nothing is built in), or every installed plugin with ``entrypoints=True``."""

    def make(*plugins: Any, entrypoints: bool = False, settings: Settings | None = None,
             **overrides: Any):
        return create_app(
            settings or make_settings(**overrides),
            None if entrypoints else list(plugins),
            database_schema=database["schema"],
            trigger_backoff=0.02,
        )

    return make


@pytest.fixture
def make_client(aiohttp_client, make_app) -> MakeClient:
    """``await make_client(plugin, ...)``: an anonymous test client of an app with those plugins."""

    async def make(*plugins: Any, **kwargs: Any) -> TestClient:
        return await aiohttp_client(make_app(*plugins, **kwargs))

    return make


@pytest.fixture
def model() -> ScriptedProvider:
    """The scripted model ``fake:echo``; put ``ModelPlugin(model)`` among the plugins to use it."""
    return ScriptedProvider(id="fake", models=("echo",))


@pytest.fixture
def jarvis_plugins() -> list[Any]:
    """The plugins of the app behind the logged-in client fixtures (override to add some)."""
    return []


@pytest.fixture
async def hostile_port(aiohttp_server: Any, hostile: Any) -> int:
    """The loopback port of the test module's ``hostile`` server: a fixture of the module's own
    whose ``handle(request)`` answers every method and path (``jarvis.testing.hostile``)."""
    return await serve_all(aiohttp_server, hostile.handle)


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    """Settings overrides for that app (override in a test module)."""
    return {}


@pytest.fixture
def jarvis_outbound_http() -> GuardedHttp | None:
    """The guarded client that app gets before it starts (override, e.g. with
    ``jarvis.testing.plugins.loopback_http(port)``); None keeps its own, which refuses loopback."""
    return None


@pytest.fixture
async def anon_client(make_app, jarvis_plugins, jarvis_settings,
                      jarvis_outbound_http) -> AsyncIterator[JarvisClient]:
    """An anonymous client of a fresh app; the other client fixtures share its server."""
    app = make_app(*jarvis_plugins, **jarvis_settings)
    if jarvis_outbound_http is not None:
        use_outbound_http(app, jarvis_outbound_http)
    client = await start_client(app)
    yield client
    await client.close()


@pytest.fixture
def client_as(anon_client: JarvisClient) -> ClientAs:
    """``await client_as("admin" | "user" | user_ref, username=None)``: a new logged-in client."""

    async def make(who: str | UserRef = "user", **kwargs: Any) -> JarvisClient:
        return await anon_client.as_user(who, **kwargs)

    return make


@pytest.fixture
async def admin_client(client_as: ClientAs) -> JarvisClient:
    """A client logged in as an admin (user name "admin")."""
    return await client_as("admin")


@pytest.fixture
async def user_client(client_as: ClientAs) -> JarvisClient:
    """A client logged in as a regular user (user name "user")."""
    return await client_as("user")
