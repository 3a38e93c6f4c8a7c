"""The bot token and the chat whitelist, through the admin API."""

from __future__ import annotations

import pytest
from jarvis.testing.plugins import plugin_context

from .conftest import TOKEN, config, set_token, wait_status, whitelist


async def audit_actions(client) -> list[str]:
    resp = await client.get("/api/audit", params={"per_page": 100})
    assert resp.status == 200, await resp.text()
    body = await resp.json()
    return [entry["action"] for entry in body["entries"]]


async def test_token_round_trip_never_returns_the_token(admin_client, app, fake):
    assert await config(admin_client) == {
        "bot_token_set": False, "status": "stopped", "error": None, "bot_username": None,
        "ignored_messages": 0}

    resp = await admin_client.post("/api/telegram/config", json={"bot_token": TOKEN})
    text = await resp.text()
    assert resp.status == 200 and TOKEN not in text and TOKEN.split(":")[1] not in text
    running = await wait_status(admin_client, "running")
    assert running["bot_token_set"] is True
    assert running["bot_username"] == fake.bot_username
    assert await plugin_context(app, "telegram").vault.get("system:telegram_bot_token") == TOKEN
    assert TOKEN not in await (await admin_client.get("/api/telegram/config")).text()

    removed = await set_token(admin_client, None)
    assert removed["bot_token_set"] is False
    stopped = await wait_status(admin_client, "stopped")
    assert stopped["bot_username"] is None
    assert await plugin_context(app, "telegram").vault.get("system:telegram_bot_token") is None

    actions = await audit_actions(admin_client)
    assert actions.count("credential_set") == 1 and actions.count("credential_deleted") == 1


async def test_empty_token_removes_it(admin_client):
    await set_token(admin_client, TOKEN)
    assert (await set_token(admin_client, ""))["bot_token_set"] is False


@pytest.mark.parametrize("body", [
    {"bot_token": "not a token"},
    {"bot_token": "123456789:short"},
    {"bot_token": "abc:AAFakeTokenForLoopbackTests0123456789"},
    {"bot_token": 12345},
    {},
    {"bot_token": TOKEN, "extra": 1},
])
async def test_malformed_token_is_refused_naming_the_field(admin_client, body):
    resp = await admin_client.post("/api/telegram/config", json=body)
    error = await resp.json()
    assert resp.status == 400
    field = "extra" if "extra" in body else "bot_token"
    assert error["error"].startswith(field)
    assert "not a token" not in str(error)
    assert (await config(admin_client))["bot_token_set"] is False


async def test_config_and_whitelist_are_for_admins(user_client, anon_client):
    for method, path in [("GET", "/api/telegram/config"), ("POST", "/api/telegram/config"),
                         ("GET", "/api/telegram/whitelist"), ("POST", "/api/telegram/whitelist"),
                         ("DELETE", "/api/telegram/whitelist/1")]:
        resp = await user_client.request(method, path, json={"bot_token": TOKEN})
        assert resp.status == 403, (method, path)
        resp = await anon_client.request(method, path, json={"bot_token": TOKEN})
        assert resp.status == 401, (method, path)


async def test_whitelist_add_list_remove(admin_client):
    phone = await whitelist(admin_client, "123456789", "My phone")
    assert phone["chat_id"] == "123456789" and phone["label"] == "My phone"
    group = await whitelist(admin_client, -1001234567890, "  Family  ")
    assert group["chat_id"] == "-1001234567890" and group["label"] == "Family"

    listed = await (await admin_client.get("/api/telegram/whitelist")).json()
    assert [(c["chat_id"], c["label"]) for c in listed] == [
        ("123456789", "My phone"), ("-1001234567890", "Family")]

    resp = await admin_client.delete("/api/telegram/whitelist/-1001234567890")
    assert (resp.status, await resp.json()) == (200, {"ok": True})
    resp = await admin_client.delete("/api/telegram/whitelist/-1001234567890")
    assert resp.status == 404
    listed = await (await admin_client.get("/api/telegram/whitelist")).json()
    assert [c["chat_id"] for c in listed] == ["123456789"]

    actions = await audit_actions(admin_client)
    assert actions.count("telegram_chat_whitelisted") == 2
    assert actions.count("telegram_chat_removed") == 1


async def test_duplicate_chat_is_a_conflict(admin_client):
    await whitelist(admin_client, "555")
    resp = await admin_client.post("/api/telegram/whitelist", json={"chat_id": 555})
    assert resp.status == 409
    listed = await (await admin_client.get("/api/telegram/whitelist")).json()
    assert len(listed) == 1


@pytest.mark.parametrize("chat_id", ["abc", "12a", 1.5, True, 0, "", None, "1" * 25, 2**63])
async def test_bad_chat_id_is_refused_naming_the_field(admin_client, chat_id):
    resp = await admin_client.post("/api/telegram/whitelist", json={"chat_id": chat_id})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("chat_id")


async def test_bad_chat_id_in_the_path_is_refused(admin_client):
    resp = await admin_client.delete("/api/telegram/whitelist/abc")
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("chat_id")


async def test_overlong_label_is_refused(admin_client):
    resp = await admin_client.post("/api/telegram/whitelist",
                                   json={"chat_id": 1, "label": "x" * 201})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("label")
