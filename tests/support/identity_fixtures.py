"""Pytest fixtures for logged-in test clients (imported into tests/conftest.py).

    async def test_something(admin_client, user_client):
        resp = await admin_client.post("/api/agents", json={...})   # Origin is sent for you
        resp = await user_client.get("/api/agents")

The clients share one server per test; ``admin_client.user`` is the admin's UserRef. To test an
app with plugins, override ``jarvis_plugins`` in the test module:

    @pytest.fixture
    def jarvis_plugins():
        return [MyPlugin()]
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from jarvis.tools import UserRef

from tests.support.identity import JarvisClient, start_client

__all__ = [
    "admin_client",
    "anon_client",
    "client_as",
    "jarvis_plugins",
    "jarvis_settings",
    "user_client",
]

ClientAs = Callable[..., Awaitable[JarvisClient]]


@pytest.fixture
def jarvis_plugins() -> list[Any]:
    """The plugins of the app behind the identity fixtures (override to add some)."""
    return []


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    """Settings overrides for that app (override in a test module)."""
    return {}


@pytest.fixture
async def anon_client(make_app, jarvis_plugins, jarvis_settings) -> AsyncIterator[JarvisClient]:
    """An anonymous client of a fresh app; the other identity fixtures share its server."""
    client = await start_client(make_app(*jarvis_plugins, **jarvis_settings))
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
