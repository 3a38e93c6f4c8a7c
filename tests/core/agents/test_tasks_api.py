"""The scheduled tasks API: shapes of the reference, toggle, run now, ownership, validation."""

from __future__ import annotations

import pytest
from jarvis.testing.scripted import reply

from .conftest import finished, make_task, run_rows

TASK = {"name": "Morning check", "schedule": "0 8 * * *", "prompt": "Check the calendar.",
        "allowed_tools": ["info"], "enabled": True}


async def test_create_list_get_update_delete(user_client):
    resp = await user_client.post("/api/tasks", json=TASK)
    assert resp.status == 201
    task = await resp.json()
    assert {k: task[k] for k in TASK} == TASK and task["id"]
    listed = await (await user_client.get("/api/tasks")).json()
    assert [(t["id"], t["name"], t["schedule"], t["enabled"]) for t in listed] == [
        (task["id"], "Morning check", "0 8 * * *", True)]

    resp = await user_client.put(f"/api/tasks/{task['id']}",
                                 json={"schedule": "0   */4 * * *", "prompt": "Look ahead."})
    assert await resp.json() == {"ok": True}
    got = await (await user_client.get(f"/api/tasks/{task['id']}")).json()
    assert (got["schedule"], got["prompt"], got["name"]) == ("0 */4 * * *", "Look ahead.",
                                                             "Morning check")

    assert await (await user_client.delete(f"/api/tasks/{task['id']}")).json() == {"ok": True}
    assert (await user_client.get(f"/api/tasks/{task['id']}")).status == 404
    assert (await user_client.delete(f"/api/tasks/{task['id']}")).status == 404


async def test_toggle_returns_the_new_state(user_client):
    task = await make_task(user_client)
    assert await (await user_client.post(f"/api/tasks/{task['id']}/toggle")).json() == {
        "enabled": False}
    got = await (await user_client.get(f"/api/tasks/{task['id']}")).json()
    assert got["enabled"] is False and got["next_run_at"] is None
    assert await (await user_client.post(f"/api/tasks/{task['id']}/toggle")).json() == {
        "enabled": True}


async def test_run_now_uses_the_default_model(app, admin_client, user_client, model):
    await admin_client.post("/api/settings/provider",
                            json={"default_provider": "fake", "default_model": "small"})
    task = await make_task(user_client, prompt="Say what is due today.")
    model.script(reply("Nothing is due."))
    resp = await user_client.post(f"/api/tasks/{task['id']}/run")
    started = await resp.json()
    assert started == {"ok": True, "run_id": started["run_id"]}
    [row] = await run_rows(app, task_id=task["id"])
    assert row["id"] == started["run_id"]
    outcome = await finished(app, row["id"])
    assert (outcome.status, outcome.text) == ("done", "Nothing is due.")
    assert row["kind"] == "task" and row["model"] == "fake:small"
    assert model.requests[0].model == "small"
    assert "Say what is due today." in model.requests[0].system


async def test_tasks_belong_to_their_creator(user_client, client_as):
    task = await make_task(user_client)
    other = await client_as("user", username="trudy")
    admin = await client_as("admin")
    assert await (await other.get("/api/tasks")).json() == []
    for method, path in [("GET", ""), ("PUT", ""), ("DELETE", ""), ("POST", "/toggle"),
                         ("POST", "/run")]:
        body = {"name": "x"} if method == "PUT" else None
        resp = await other.request(method, f"/api/tasks/{task['id']}{path}", json=body)
        assert resp.status == 404, (method, path)
        assert (await resp.json())["error"] == "task not found"
    assert [t["id"] for t in await (await admin.get("/api/tasks")).json()] == [task["id"]]
    resp = await admin.post(f"/api/tasks/{task['id']}/toggle")
    assert await resp.json() == {"enabled": False}


@pytest.mark.parametrize(("change", "field"), [
    ({"schedule": "0 8 * * * *"}, "schedule"),
    ({"schedule": "60 * * * *"}, "schedule"),
    ({"schedule": None}, "schedule"),
    ({"allowed_tools": ["nope"]}, "allowed_tools"),
    ({"allowed_tools": "info"}, "allowed_tools"),
    ({"enabled": "maybe"}, "enabled"),
    ({"prompt": ""}, "prompt"),
    ({"model": "fake:echo"}, "model"),
])
async def test_bad_fields_are_400_naming_the_field(user_client, change, field):
    resp = await user_client.post("/api/tasks", json={**TASK, **change})
    body = await resp.json()
    assert resp.status == 400 and body["error"].startswith(f"{field}:"), body
    task = await make_task(user_client)
    resp = await user_client.put(f"/api/tasks/{task['id']}", json=change)
    assert resp.status == 400 and (await resp.json())["error"].startswith(f"{field}:")
    got = await (await user_client.get(f"/api/tasks/{task['id']}")).json()
    assert got["schedule"] == task["schedule"] and got["allowed_tools"] == task["allowed_tools"]


async def test_missing_schedule_is_400(user_client):
    resp = await user_client.post("/api/tasks", json={"name": "x", "prompt": "y"})
    assert resp.status == 400 and (await resp.json())["error"].startswith("schedule:")
