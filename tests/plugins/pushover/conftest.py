"""Fixtures for the pushover plugin: the Pushover fake on loopback, an app whose guarded client
may reach it (and nothing else on loopback), and tool calls made by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import jarvis_pushover
import pytest
from jarvis import GuardedHttp, ToolResult
from jarvis.testing.clients import JarvisClient
from jarvis.testing.fake_pushover import DEFAULT_APP_TOKEN, DEFAULT_USER_KEY, FakePushover
from jarvis.testing.plugins import BUILTIN_PROVIDERS, loopback_http, run_tool

APP_TOKEN = DEFAULT_APP_TOKEN
USER_KEY = DEFAULT_USER_KEY


@pytest.fixture
def monthly_limit() -> int:
    return 100


@pytest.fixture
async def pushover(monthly_limit) -> AsyncIterator[FakePushover]:
    async with FakePushover(monthly_limit=monthly_limit, devices=("phone", "laptop")) as fake:
        yield fake


@pytest.fixture
def jarvis_plugins() -> list[Any]:
    return [jarvis_pushover]


@pytest.fixture
def jarvis_settings(pushover) -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS,
            "plugins": {"pushover": {"api_url": f"{pushover.url}/1", "timeout": 5}}}


@pytest.fixture
def jarvis_outbound_http(pushover) -> GuardedHttp:
    """The app's guarded client may reach the fake and nothing else on loopback."""
    return loopback_http(pushover.port)


async def set_app_token(admin: JarvisClient, token: str = APP_TOKEN) -> None:
    resp = await admin.post("/api/credentials", json={
        "key": "system:pushover_app_token", "value": token, "description": "Pushover app"})
    assert resp.status == 200, await resp.text()


async def set_user_key(client: JarvisClient, key: str = USER_KEY, **extra: Any) -> dict:
    resp = await client.post("/api/my/pushover", json={"user_key": key, **extra})
    answer = await resp.json()
    assert resp.status == 200, answer
    return answer


async def send(client: JarvisClient, **args: Any) -> ToolResult:
    """Run pushover_send as the client's user."""
    return await run_tool(client, "pushover_send", **args)
