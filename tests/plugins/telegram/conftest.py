"""Fixtures for the Telegram plugin: the fake Bot API on loopback, the scripted model, an app
with the plugin pointed at the fake, and helpers to drive the listener."""

from __future__ import annotations

import asyncio
from typing import Any

import jarvis_telegram
import pytest
from jarvis.testing.fake_telegram import FakeTelegram
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, plugin_context
from jarvis.testing.polling import eventually
from jarvis_telegram.listener import TelegramListener, listener_of

TOKEN = "123456789:AAFakeTokenForLoopbackTests0123456789"
NEW_TOKEN = "987654321:BBAnotherFakeTokenForLoopbackTests9876"
CHAT = 4242  # whitelisted in most tests
STRANGER = 9999  # never whitelisted


@pytest.fixture
async def fake():
    async with FakeTelegram(TOKEN, max_poll_wait=0.2) as server:
        yield server


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_telegram, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings(fake) -> dict[str, Any]:
    return {
        "disable_plugins": BUILTIN_PROVIDERS,
        "plugins": {"telegram": {"api_base_url": fake.base_url, "poll_timeout": 1,
                                 "config_check_interval": 0.1}},
    }


@pytest.fixture
def app(anon_client):
    return anon_client.app


@pytest.fixture
def listener(app) -> TelegramListener:
    found = listener_of(plugin_context(app, "telegram"))
    assert found is not None
    return found


@pytest.fixture
def waits(listener) -> list[float]:
    """Every wait the listener asks for, recorded; the waits themselves are kept short."""
    seen: list[float] = []

    async def short_sleep(seconds: float) -> None:
        seen.append(seconds)
        await asyncio.sleep(0.01)

    listener.sleep = short_sleep
    return seen


async def replies(fake: FakeTelegram, count: int = 1) -> list[Any]:
    """The bot's sent messages once there are ``count`` (generous wait: runs go through the
    whole runtime)."""
    return await fake.wait_for_outbox(count, timeout=10.0)


async def config(client) -> dict[str, Any]:
    resp = await client.get("/api/telegram/config")
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def set_token(client, token: str | None) -> dict[str, Any]:
    resp = await client.post("/api/telegram/config", json={"bot_token": token})
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def wait_status(client, status: str) -> dict[str, Any]:
    """The config once the listener reports ``status``."""

    async def reached() -> dict[str, Any] | None:
        body = await config(client)
        return body if body["status"] == status else None

    return await eventually(reached)


async def whitelist(client, chat_id: int | str, label: str = "",
                    *owners: Any) -> dict[str, Any]:
    """Whitelist a chat for these users' clients (none: for the admin who adds it)."""
    body: dict[str, Any] = {"chat_id": chat_id, "label": label}
    if owners:
        body["user_ids"] = [owner.user.id for owner in owners]
    resp = await client.post("/api/telegram/whitelist", json=body)
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def make_agent(client, **fields: Any) -> dict[str, Any]:
    data = {"name": "Weather", "prompt": "Answer weather questions.", "model": "fake:echo",
            "enabled": True, **fields}
    resp = await client.post("/api/agents", json=data)
    body = await resp.json()
    assert resp.status == 201, body
    return body


async def add_trigger(client, trigger_word: str, agent_id: str, **fields: Any) -> dict[str, Any]:
    resp = await client.post("/api/telegram/triggers", json={
        "trigger_word": trigger_word, "agent_id": agent_id, **fields})
    body = await resp.json()
    assert resp.status == 201, body
    return body
