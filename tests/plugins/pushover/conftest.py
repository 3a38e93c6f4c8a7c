"""Fixtures for the pushover plugin: the Pushover fake on loopback, an app whose guarded client
may reach it (and nothing else on loopback), and tool calls made by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jarvis_pushover
import pytest
from jarvis import OUTBOUND_HTTP, RunRef, ToolContext, ToolResult
from jarvis.keys import REGISTRY
from jarvis.runtime.context import RunCredentials
from jarvis.security import GuardedHttp
from jarvis.testing.fake_pushover import DEFAULT_APP_TOKEN, DEFAULT_USER_KEY, FakePushover

from tests.support.identity import JarvisClient, start_client

NO_PROVIDERS = ["anthropic", "litellm"]
APP_TOKEN = DEFAULT_APP_TOKEN
USER_KEY = DEFAULT_USER_KEY


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """Cheaper key derivation for the vault's key: start-up speed, not what is tested here."""
    from jarvis.services import crypto

    monkeypatch.setattr(crypto, "SCRYPT_PARAMS", {"n": 2**14, "r": 8, "p": 1})


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
    return {"disable_plugins": NO_PROVIDERS,
            "plugins": {"pushover": {"api_url": f"{pushover.url}/1", "timeout": 5}}}


@pytest.fixture
async def anon_client(make_app, jarvis_plugins, jarvis_settings,
                      pushover) -> AsyncIterator[JarvisClient]:
    """The identity fixtures' app; its guarded client may reach the fake and nothing else."""
    app = make_app(*jarvis_plugins, **jarvis_settings)
    app[OUTBOUND_HTTP] = GuardedHttp(allow_loopback_for_tests={f"127.0.0.1:{pushover.port}"})
    client = await start_client(app)
    yield client
    await client.close()


async def set_app_token(admin: JarvisClient, token: str = APP_TOKEN) -> None:
    resp = await admin.post("/api/credentials", json={
        "key": "system:pushover_app_token", "value": token, "description": "Pushover app"})
    assert resp.status == 200, await resp.text()


async def set_user_key(client: JarvisClient, key: str = USER_KEY, **extra: Any) -> dict:
    resp = await client.post("/api/my/pushover", json={"user_key": key, **extra})
    answer = await resp.json()
    assert resp.status == 200, answer
    return answer


def tool_context(app: Any, user: Any) -> ToolContext:
    """A context like the runtime gives a tool, for calling tools directly."""
    return ToolContext(user=user, run=RunRef("test-run", "chat"), app=app,
                       credentials=RunCredentials(app, user), http=app[OUTBOUND_HTTP],
                       user_folder=Path("/nonexistent"))


async def send(client: JarvisClient, **args: Any) -> ToolResult:
    """Run pushover_send as the client's user."""
    tool = client.app[REGISTRY].tools["pushover_send"]
    return await tool.run(tool.Input.model_validate(args), tool_context(client.app, client.user))
