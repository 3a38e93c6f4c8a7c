"""One live server for the contract suite (all installed plugins, a database of its own), its
three callers, one keep-alive HTTP session, and the known failures of routes still in the works."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import Iterator
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis.transport.requests as st_requests

from .server import Caller, LiveServer
from .spec import contract_app, contract_settings

_count_opened = st_requests._count_opened_connections


def _opened_connections(session: Any) -> int:
    # niquests (CalDAV plugin) brings urllib3-future, which replaces urllib3's modules in the
    # environment; its pool container has no keys(), which schemathesis counts connections with
    # to resend a request on a dropped keep-alive connection. Without the count it resends once.
    try:
        return _count_opened(session)
    except AttributeError:
        return 0


st_requests._count_opened_connections = _opened_connections

TEST_DATABASE = os.environ.get("TEST_DATABASE", "sqlite")
PG_URL = os.environ.get("TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def _pg(sql: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg", "postgresql"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The server under test, on 127.0.0.1, for the whole contract suite."""
    with tempfile.TemporaryDirectory(prefix="jarvis-contract-") as tmp:
        data = Path(tmp) / "data"
        schema = None
        url = f"sqlite+aiosqlite:///{data / 'jarvis.db'}"
        if TEST_DATABASE == "postgresql":
            schema, url = f"t_{uuid.uuid4().hex[:16]}", PG_URL
            _pg(f'CREATE SCHEMA "{schema}"')
        settings = contract_settings(data, url)
        server = LiveServer(lambda: contract_app(settings, schema))
        try:
            yield server.start()
        finally:
            server.stop()
            if schema is not None:
                _pg(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def callers(live_server: LiveServer) -> dict[str, Caller]:
    """The admin (session cookie), a user (session cookie) and the admin's API key."""
    admin = live_server.add_user("admin", "admin")
    user = live_server.add_user("user", "user")
    key_id, key = live_server.api_key_for(admin)
    return {
        "admin": Caller("admin", admin, "cookieAuth", live_server.cookie_for(admin)),
        "user": Caller("user", user, "cookieAuth", live_server.cookie_for(user)),
        "api_key": Caller("api_key", admin, "apiKeyHeader", key, key_id),
    }


@pytest.fixture(scope="session")
def http_session() -> Iterator[requests.Session]:
    """One keep-alive HTTP session for the suite; it keeps no cookies (each call sends its own
    credential, so a cookie set by an answer, e.g. a login, never changes who later calls are)."""
    with requests.Session() as session:
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        yield session


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        label = getattr(item, "operation_label", None)
        if label is None:
            continue
        # schemathesis names each operation's test "test_x[GET /path]", but pytest 9.2 builds the
        # node id from the parametrization, which it leaves empty: give the id its operation.
        node_id = getattr(item, "_id", None)
        if node_id is not None and getattr(node_id, "params", "") is None:
            item._id = node_id.with_params(label)
