"""Trigger words through the API: each belongs to its creator and runs one of their agents."""

from __future__ import annotations

import pytest

from .conftest import add_trigger, make_agent


async def test_trigger_create_list_update_delete(user_client):
    agent = await make_agent(user_client)
    other = await make_agent(user_client, name="Other")
    created = await add_trigger(user_client, "  Weather   report ", agent["id"])
    assert created["trigger_word"] == "Weather report"
    assert (created["agent_id"], created["enabled"]) == (agent["id"], True)

    listed = await (await user_client.get("/api/telegram/triggers")).json()
    assert [t["id"] for t in listed] == [created["id"]]

    resp = await user_client.put(f"/api/telegram/triggers/{created['id']}",
                                 json={"enabled": False, "agent_id": other["id"]})
    changed = await resp.json()
    assert resp.status == 200, changed
    assert (changed["enabled"], changed["agent_id"], changed["trigger_word"]) == (
        False, other["id"], "Weather report")

    resp = await user_client.delete(f"/api/telegram/triggers/{created['id']}")
    assert (resp.status, await resp.json()) == (200, {"ok": True})
    assert await (await user_client.get("/api/telegram/triggers")).json() == []


async def test_triggers_of_others_are_not_found(user_client, client_as):
    agent = await make_agent(user_client)
    mine = await add_trigger(user_client, "weather", agent["id"])
    bob = await client_as("user", username="bob")
    bobs_agent = await make_agent(bob)

    assert await (await bob.get("/api/telegram/triggers")).json() == []
    path = f"/api/telegram/triggers/{mine['id']}"
    assert (await bob.put(path, json={"enabled": False})).status == 404
    assert (await bob.put(path, json={"agent_id": bobs_agent["id"]})).status == 404
    assert (await bob.delete(path)).status == 404
    still = await (await user_client.get("/api/telegram/triggers")).json()
    assert [(t["id"], t["enabled"]) for t in still] == [(mine["id"], True)]


async def test_agent_must_exist_and_be_the_callers(user_client, client_as):
    bob = await client_as("user", username="bob")
    bobs_agent = await make_agent(bob)
    for agent_id in [bobs_agent["id"], "0" * 32]:
        resp = await user_client.post("/api/telegram/triggers",
                                      json={"trigger_word": "hi", "agent_id": agent_id})
        assert resp.status == 400
        assert (await resp.json())["error"].startswith("agent_id")
    mine = await add_trigger(user_client, "hi", (await make_agent(user_client))["id"])
    resp = await user_client.put(f"/api/telegram/triggers/{mine['id']}",
                                 json={"agent_id": bobs_agent["id"]})
    assert resp.status == 400
    assert await (await user_client.get("/api/telegram/triggers")).json() == [mine]


@pytest.mark.parametrize(("body", "field"), [
    ({"trigger_word": "   ", "agent_id": "a"}, "trigger_word"),
    ({"trigger_word": "?!", "agent_id": "a"}, "trigger_word"),
    ({"trigger_word": "x" * 201, "agent_id": "a"}, "trigger_word"),
    ({"agent_id": "a"}, "trigger_word"),
    ({"trigger_word": "hi"}, "agent_id"),
    ({"trigger_word": "hi", "agent_id": "a", "enabled": "maybe"}, "enabled"),
    ({"trigger_word": "hi", "agent_id": "a", "owner": "x"}, "owner"),
])
async def test_bad_trigger_is_refused_naming_the_field(user_client, body, field):
    resp = await user_client.post("/api/telegram/triggers", json=body)
    assert resp.status == 400
    assert (await resp.json())["error"].startswith(field)


async def test_deleting_the_agent_deletes_its_triggers(user_client):
    agent = await make_agent(user_client)
    await add_trigger(user_client, "weather", agent["id"])
    assert (await user_client.delete(f"/api/agents/{agent['id']}")).status == 200
    assert await (await user_client.get("/api/telegram/triggers")).json() == []


async def test_triggers_need_a_login(anon_client):
    assert (await anon_client.get("/api/telegram/triggers")).status == 401
