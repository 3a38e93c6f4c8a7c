"""A disabled plugin contributes nothing: no routes, tools, policies or trigger."""

from __future__ import annotations

from typing import Any

import jarvis_telegram
import pytest
from jarvis.testing.clients import logged_in
from jarvis.testing.plugins import BUILTIN_PROVIDERS, contributions


@pytest.fixture
def jarvis_plugins() -> list[Any]:
    return [jarvis_telegram]


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    return {"disable_plugins": [*BUILTIN_PROVIDERS, "telegram"]}


async def test_disabled_plugin_removes_routes_and_tools(admin_client):
    registry = contributions(admin_client)
    assert "telegram_send" not in registry.tools
    assert "telegram.chat" not in registry.policies
    assert [t.name for t in registry.triggers if t.name == "telegram"] == []
    for path in ["/api/telegram/config", "/api/telegram/whitelist", "/api/telegram/triggers"]:
        assert (await admin_client.get(path)).status == 404
    plugins = await (await admin_client.get("/api/plugins")).json()
    assert "telegram" not in [p["name"] for p in plugins]


async def test_enabled_plugin_is_listed(make_app):
    app = make_app(jarvis_telegram, disable_plugins=BUILTIN_PROVIDERS)
    async with logged_in(app, "admin") as admin:
        plugins = {p["name"]: p for p in await (await admin.get("/api/plugins")).json()}
        telegram = plugins["telegram"]
        assert telegram["tools"] == ["telegram_send"]
        assert telegram["policies"] == ["telegram.chat"]
        assert [t["name"] for t in telegram["triggers"]] == ["telegram"]
        assert (await admin.get("/api/telegram/config")).status == 200
