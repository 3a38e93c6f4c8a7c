"""The runtime settings endpoints: shapes, validation, audit, and live effects."""

from __future__ import annotations

import asyncio
import json

import pytest
from jarvis import hookimpl
from jarvis.keys import CONFIG, RUN_QUEUE
from jarvis.testing.clients import start_client

from .conftest import audit_rows

SECTIONS = ["limits", "provider", "security", "audit-retention", "general"]


class Provider:
    def __init__(self, provider_id: str):
        self.id = provider_id
        self.plugin = ""

    async def list_models(self):
        return []

    def stream(self, request):
        raise NotImplementedError


class TwoProviders:
    @hookimpl
    def register_providers(self, settings):
        return [Provider("fakeai"), Provider("other")]


@pytest.fixture
def jarvis_plugins():
    return [TwoProviders()]


async def post(client, section, body):
    r = await client.post(f"/api/settings/{section}", data=json.dumps(body))
    return r.status, await r.json()


async def get(client, section):
    r = await client.get(f"/api/settings/{section}")
    assert r.status == 200
    return await r.json()


async def test_defaults_as_the_reference_shows_them(admin_client):
    client = admin_client
    assert await get(client, "limits") == {
        "max_tool_calls": 20, "max_autonomous_runs_per_hour": 10, "max_concurrent_runs": 3,
        "max_autonomous_runs_per_hour_per_user": 5,
    }
    provider = await get(client, "provider")
    assert provider["default_provider"] == "anthropic"
    assert provider["available_providers"] == ["fakeai", "other"]
    security = await get(client, "security")
    assert security["sanitize_enhanced"] is False and security["canary"] is False
    assert security["llm_screen"] is False and security["taint_guard"] is True
    assert await get(client, "audit-retention") == {"days": 90}
    assert (await get(client, "general"))["agent_name"] == "Jarvis"


async def test_settings_are_admin_only(anon_client, user_client):
    for section in SECTIONS:
        assert (await user_client.get(f"/api/settings/{section}")).status == 403
        assert (await post(user_client, section, {"days": 5}))[0] == 403
        assert (await anon_client.get(f"/api/settings/{section}")).status == 401


async def test_a_change_is_stored_and_audited_with_old_and_new_values(admin_client, user_client,
                                                                      services):
    client = admin_client
    _vault, _audit, db = services
    assert await post(client, "limits", {"max_tool_calls": 30}) == (200, {"ok": True})
    assert (await get(client, "limits"))["max_tool_calls"] == 30
    assert (await get(client, "limits"))["max_concurrent_runs"] == 3  # untouched
    assert await post(client, "security", {"sanitize_enhanced": True, "canary": True}) == (
        200, {"ok": True})
    assert await post(client, "general", {"agent_name": "Friday"}) == (200, {"ok": True})
    status = await (await user_client.get("/api/status")).json()
    assert status["agent_name"] == "Friday"
    assert await post(client, "audit-retention", {"days": 30}) == (200, {"ok": True})
    assert await get(client, "audit-retention") == {"days": 30}

    rows = [r for r in await audit_rows(db) if r["action"] == "settings_changed"]
    details = [json.loads(r["detail"]) for r in rows]
    assert details[0] == {"section": "limits", "old": {"max_tool_calls": 20},
                          "new": {"max_tool_calls": 30}}
    assert details[1]["old"] == {"sanitize_enhanced": False, "canary": False}
    assert details[1]["new"] == {"sanitize_enhanced": True, "canary": True}
    assert [d["section"] for d in details] == ["limits", "security", "general", "audit_retention"]
    assert {r["user_id"] for r in rows} == {client.user.id}


@pytest.mark.parametrize("section,body,field", [
    ("limits", {"max_tool_calls": 0}, "max_tool_calls"),
    ("limits", {"max_tool_calls": 1001}, "max_tool_calls"),
    ("limits", {"max_concurrent_runs": "5"}, "max_concurrent_runs"),
    ("limits", {"max_autonomous_runs_per_hour": True}, "max_autonomous_runs_per_hour"),
    ("limits", {"max_autonomous_runs_per_hour": -1}, "max_autonomous_runs_per_hour"),
    ("limits", {"max_concurrent_runs": None}, "max_concurrent_runs"),
    ("limits", {"max_runs": 3}, "max_runs"),
    ("limits", {}, "body"),
    ("security", {"canary": "yes"}, "canary"),
    ("security", {"llm_screen_timeout": 0}, "llm_screen_timeout"),
    ("security", {"shields_up": True}, "shields_up"),
    ("audit-retention", {"days": 0}, "days"),
    ("audit-retention", {"days": 2.5}, "days"),
    ("general", {"agent_name": ""}, "agent_name"),
    ("general", {"time_zone": "Mars/Olympus"}, "time_zone"),
    ("provider", {"default_provider": "nope"}, "default_provider"),
    ("provider", {"default_provider": None}, "default_provider"),
])
async def test_invalid_values_are_a_400_naming_the_field(admin_client, services, section, body,
                                                        field):
    client = admin_client
    _vault, _audit, db = services
    before = await get(client, section)
    status, error = await post(client, section, body)
    assert status == 400
    assert error["error"].startswith(f"{field}:"), error
    assert await get(client, section) == before
    assert not [r for r in await audit_rows(db) if r["action"] == "settings_changed"]


async def test_malformed_json_is_a_400(admin_client):
    r = await admin_client.post("/api/settings/limits", data="{not json")
    assert r.status == 400 and (await r.json())["error"] == "malformed JSON body"


async def test_the_default_provider_must_be_loaded(admin_client):
    client = admin_client
    assert await post(client, "provider", {"default_provider": "other"}) == (200, {"ok": True})
    assert (await get(client, "provider"))["default_provider"] == "other"
    status, error = await post(client, "provider", {"default_provider": "anthropic"})
    assert status == 400 and "loaded: fakeai, other" in error["error"]


async def test_max_concurrent_runs_applies_to_the_queue_at_once(admin_client):
    client = admin_client
    queue = client.app[RUN_QUEUE]
    assert queue.limit == 3
    await post(client, "limits", {"max_concurrent_runs": 1})
    assert queue.snapshot()["max_concurrent"] == 1
    first = asyncio.ensure_future(queue.acquire())
    second = asyncio.ensure_future(queue.acquire())
    await asyncio.sleep(0)
    assert first.done() and not second.done() and queue.queued == 1
    await post(client, "limits", {"max_concurrent_runs": 2})
    await asyncio.wait_for(second, 5)
    assert queue.snapshot() == {"running": 2, "queued": 0, "max_concurrent": 2}
    queue.release()
    queue.release()


async def test_a_second_process_sees_changes(admin_client, vault_app):
    one = admin_client
    server_two = await start_client(vault_app(TwoProviders()))  # same database: another process
    try:
        two = await server_two.as_user(one.user)
        await check_second_process(one, two)
    finally:
        await server_two.close()


async def check_second_process(one, two):
    await post(two, "limits", {"max_concurrent_runs": 7})
    store = one.app[CONFIG]
    assert store.get("limits").max_concurrent_runs == 3  # in memory until the next refresh
    assert await store.refresh() == ["limits"]
    assert store.get("limits").max_concurrent_runs == 7
    assert one.app[RUN_QUEUE].limit == 7
    assert await store.refresh() == []

    await post(two, "general", {"agent_name": "Edith"})
    store.refresh_interval = 0  # the next read starts a refresh in the background
    assert store.get("general").agent_name == "Jarvis"
    await store._refreshing
    assert (await (await one.get("/api/status")).json())["agent_name"] == "Edith"
