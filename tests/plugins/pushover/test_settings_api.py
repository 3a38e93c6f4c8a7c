"""/api/my/pushover: each user's user key (kept secret) and device."""

from __future__ import annotations

import pytest
from jarvis.testing.plugins import plugin_context

from .conftest import USER_KEY, set_user_key

UNSET = {"user_key_set": False, "device": None}


async def test_settings_round_trip_never_returns_the_key(user_client):
    assert await (await user_client.get("/api/my/pushover")).json() == UNSET
    assert await set_user_key(user_client, device="phone") == {"user_key_set": True,
                                                               "device": "phone"}
    resp = await user_client.get("/api/my/pushover")
    assert await resp.json() == {"user_key_set": True, "device": "phone"}
    assert USER_KEY not in await resp.text()
    vault = plugin_context(user_client, "pushover").vault
    stored = await vault.get(f"user:{user_client.user.id}:pushover_user_key")
    assert stored == USER_KEY


async def test_the_device_changes_without_the_key_and_stays_when_left_out(user_client):
    await set_user_key(user_client, device="phone")
    resp = await user_client.post("/api/my/pushover", json={"device": "phone,laptop"})
    assert await resp.json() == {"user_key_set": True, "device": "phone,laptop"}
    resp = await user_client.post("/api/my/pushover", json={"user_key": "a" * 30})
    assert (await resp.json())["device"] == "phone,laptop"
    resp = await user_client.post("/api/my/pushover", json={"device": ""})
    assert (await resp.json())["device"] is None


async def test_the_first_save_needs_a_key(user_client):
    resp = await user_client.post("/api/my/pushover", json={"device": "phone"})
    assert resp.status == 400
    assert (await resp.json())["error"] == "user_key: required"
    assert await (await user_client.get("/api/my/pushover")).json() == UNSET


@pytest.mark.parametrize(("field", "value"), [
    ("user_key", "short"),
    ("user_key", "u" * 31),
    ("user_key", "uQiRzpo4DXghDmr9QzzfQu27cmVRs!"),
    ("device", "my phone"),
    ("device", "x" * 26),
])
async def test_bad_values_are_refused_naming_the_field(user_client, field, value):
    body = {"user_key": USER_KEY, field: value}
    resp = await user_client.post("/api/my/pushover", json=body)
    answer = await resp.json()
    assert resp.status == 400 and answer["error"].startswith(field)
    assert value not in answer["error"]


async def test_delete_forgets_the_key_and_device(user_client):
    await set_user_key(user_client, device="phone")
    resp = await user_client.delete("/api/my/pushover")
    assert await resp.json() == {"ok": True}
    assert await (await user_client.get("/api/my/pushover")).json() == UNSET


async def test_users_see_only_their_own_settings(user_client, client_as):
    await set_user_key(user_client)
    bob = await client_as("user", username="bob")
    assert await (await bob.get("/api/my/pushover")).json() == UNSET


async def test_settings_need_a_login(anon_client):
    assert (await anon_client.get("/api/my/pushover")).status == 401


async def test_a_user_with_settings_can_still_be_deleted(admin_client, user_client):
    await set_user_key(user_client, device="phone")
    resp = await admin_client.delete(f"/api/admin/users/{user_client.user.id}")
    assert resp.status == 200, await resp.text()
