"""The scheduled tasks API: shapes of the reference, toggle, run now with the default model
(ownership and validation: test_agent_kinds)."""

from __future__ import annotations

from jarvis.testing.scripted import reply

from .conftest import TASK, finished, make_task, run_rows


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


async def test_missing_schedule_is_400(user_client):
    resp = await user_client.post("/api/tasks", json={"name": "x", "prompt": "y"})
    assert resp.status == 400 and (await resp.json())["error"].startswith("schedule:")
