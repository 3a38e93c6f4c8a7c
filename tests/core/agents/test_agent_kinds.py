"""What holds for agents and scheduled tasks alike (a task is an agent of kind ``task``): the
fields each view checks, ownership, run now, and that each view shows only its own kind."""

from __future__ import annotations

import pytest
from jarvis.testing.scripted import reply

from .conftest import AGENTS, KINDS, TASKS, finished

BAD_FIELDS = [(AGENTS, change, field) for change, field in [
    ({"schedule": "0 25 * * *"}, "schedule"),
    ({"schedule": "every morning"}, "schedule"),
    ({"schedule": "0 8 * *"}, "schedule"),
    ({"schedule": "0 8 31 2 *"}, "schedule"),
    ({"model": "nobody:model"}, "model"),
    ({"model": "echo"}, "model"),
    ({"allowed_tools": ["info", "teleport"]}, "allowed_tools"),
    ({"max_tool_calls": -1}, "max_tool_calls"),
    ({"prompt_mode": "shouting"}, "prompt_mode"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"colour": "blue"}, "colour"),
]] + [(TASKS, change, field) for change, field in [
    ({"schedule": "0 8 * * * *"}, "schedule"),
    ({"schedule": "60 * * * *"}, "schedule"),
    ({"schedule": None}, "schedule"),
    ({"allowed_tools": ["nope"]}, "allowed_tools"),
    ({"allowed_tools": "info"}, "allowed_tools"),
    ({"enabled": "maybe"}, "enabled"),
    ({"prompt": ""}, "prompt"),
    ({"name": "   "}, "name"),
    ({"model": "fake:echo"}, "model"),  # a task runs with the default model
    ({"max_tool_calls": 3}, "max_tool_calls"),
]]


@pytest.mark.parametrize(("kind", "change", "field"), BAD_FIELDS)
async def test_bad_fields_are_400_naming_the_field(user_client, kind, change, field):
    resp = await user_client.post(kind.path, json={**kind.example, **change})
    body = await resp.json()
    assert resp.status == 400 and body["error"].startswith(f"{field}:"), body
    assert await (await user_client.get(kind.path)).json() == []

    made = await kind.make(user_client)
    resp = await user_client.put(f"{kind.path}/{made['id']}", json=change)
    assert resp.status == 400 and (await resp.json())["error"].startswith(f"{field}:")
    got = await kind.read(user_client, made["id"])
    assert {k: got[k] for k in kind.example} == kind.example  # nothing half-written


@pytest.mark.parametrize("kind", KINDS, ids=repr)
async def test_they_belong_to_their_creator(user_client, client_as, kind):
    mine = await kind.make(user_client)
    other = await client_as("user", username="mallory")
    admin = await client_as("admin")
    assert await (await other.get(kind.path)).json() == []
    for method, path, body in kind.item_routes:
        resp = await other.request(method, f"{kind.path}/{mine['id']}{path}", json=body)
        assert resp.status == 404, (method, path)
        assert (await resp.json())["error"] == f"{kind.name} not found"
    # admins see and manage every one
    assert [a["id"] for a in await (await admin.get(kind.path)).json()] == [mine["id"]]
    assert (await kind.read(admin, mine["id"]))["id"] == mine["id"]
    assert (await kind.read(user_client, mine["id"]))["user_id"] == user_client.user.id


@pytest.mark.parametrize(("kind", "other"), [(AGENTS, TASKS), (TASKS, AGENTS)], ids=repr)
async def test_each_view_shows_only_its_own_kind(user_client, kind, other):
    mine = await kind.make(user_client)
    assert await (await user_client.get(other.path)).json() == []
    for method, path, body in other.item_routes:
        resp = await user_client.request(method, f"{other.path}/{mine['id']}{path}", json=body)
        assert resp.status == 404, (method, path)
        assert (await resp.json())["error"] == f"{other.name} not found"
    assert (await kind.read(user_client, mine["id"]))["name"] == kind.example["name"]


@pytest.mark.parametrize("kind", KINDS, ids=repr)
async def test_run_now_runs_through_the_queue_as_a_run_of_its_kind(app, user_client, model,
                                                                   kind):
    made = await kind.make(user_client, prompt="Write the summary.")
    model.script(reply("All quiet today."))
    resp = await user_client.post(f"{kind.path}/{made['id']}/run", json={} if kind is AGENTS
                                  else None)
    run_id = (await resp.json())["run_id"]
    assert (await finished(app, run_id)).text == "All quiet today."
    assert "Your task:\nWrite the summary." in model.requests[0].system
    run = (await (await user_client.get(f"/api/runs/{run_id}")).json())["run"]
    assert (run["kind"], run["agent_id"]) == (kind.name, made["id"])
    assert run["task_id"] == (made["id"] if kind is TASKS else None)
    listed = await (await user_client.get("/api/runs", params={
        f"{kind.name}_id": made["id"], "kind": kind.name})).json()
    assert [r["id"] for r in listed["runs"]] == [run_id]
