"""The agents API: shapes of the reference, defaults, run modes, runs and token totals
(ownership and validation: test_agent_kinds)."""

from __future__ import annotations

import asyncio

import pytest
from jarvis.keys import RUN_QUEUE
from jarvis.testing.scripted import hang, reply, tool_use

from .conftest import AGENT, finished, make_agent


async def test_create_list_get_update_delete(user_client):
    created = await make_agent(user_client)
    assert {k: created[k] for k in AGENT} == AGENT
    assert created["id"] and created["created_at"].endswith("Z")
    assert created["user_id"] == user_client.user.id

    listed = await (await user_client.get("/api/agents")).json()
    assert [a["id"] for a in listed] == [created["id"]]
    for key in ("id", "name", "prompt", "model", "schedule", "enabled", "created_at"):
        assert listed[0][key] == created[key]

    resp = await user_client.put(f"/api/agents/{created['id']}",
                                 json={"name": "Evening Summary", "schedule": None})
    assert await resp.json() == {"ok": True}
    detail = await (await user_client.get(f"/api/agents/{created['id']}")).json()
    assert detail["agent"]["name"] == "Evening Summary"
    assert detail["agent"]["schedule"] is None and detail["agent"]["next_run_at"] is None
    assert detail["agent"]["prompt"] == AGENT["prompt"]  # untouched fields stay
    assert detail["runs"] == []
    assert (detail["total_input_tokens"], detail["total_output_tokens"]) == (0, 0)

    resp = await user_client.delete(f"/api/agents/{created['id']}")
    assert await resp.json() == {"ok": True}
    assert (await user_client.get(f"/api/agents/{created['id']}")).status == 404
    assert await (await user_client.get("/api/agents")).json() == []


async def test_defaults_when_only_name_and_prompt_are_given(user_client):
    resp = await user_client.post("/api/agents", json={"name": "Plain", "prompt": "Hi"})
    agent = await resp.json()
    assert resp.status == 201
    assert (agent["model"], agent["schedule"], agent["allowed_tools"], agent["enabled"],
            agent["prompt_mode"], agent["max_tool_calls"]) == (None, None, None, True,
                                                               "combined", None)


async def test_anonymous_callers_are_refused(anon_client):
    assert (await anon_client.get("/api/agents")).status == 401
    assert (await anon_client.post("/api/agents", json=AGENT)).status == 401


async def test_tools_and_groups_and_any_model_of_a_loaded_provider_are_accepted(user_client):
    agent = await make_agent(user_client, allowed_tools=["lookup", "notes"],
                             model="fake:some-new-model")
    assert agent["allowed_tools"] == ["lookup", "notes"]
    assert agent["model"] == "fake:some-new-model"


async def test_null_is_refused_for_required_fields_on_update(user_client):
    agent = await make_agent(user_client)
    resp = await user_client.put(f"/api/agents/{agent['id']}", json={"prompt": None})
    assert resp.status == 400 and (await resp.json())["error"].startswith("prompt:")


async def test_run_now_with_a_message_override(app, user_client, model):
    agent = await make_agent(user_client, prompt_mode="user_message", prompt="Be brief.")
    resp = await user_client.post(f"/api/agents/{agent['id']}/run",
                                  json={"message": "What is on today?"})
    await finished(app, (await resp.json())["run_id"])
    first = model.requests[0]
    text = first.messages[0].content[0].text
    assert "Be brief." in text and "What is on today?" in text
    assert "Be brief." not in first.system


async def test_agent_only_mode_replaces_the_persona(app, user_client, model):
    agent = await make_agent(user_client, prompt_mode="agent_only", prompt="You are a poet.")
    resp = await user_client.post(f"/api/agents/{agent['id']}/run", json={})
    await finished(app, (await resp.json())["run_id"])
    system = model.requests[0].system
    assert system.startswith("You are a poet.") and "You are Jarvis" not in system


async def test_run_now_while_paused_waits_until_resume(app, user_client, admin_client, model):
    agent = await make_agent(user_client)
    assert (await admin_client.post("/api/pause")).status == 200
    run_id = (await (await user_client.post(f"/api/agents/{agent['id']}/run", json={})).json())[
        "run_id"]
    for _ in range(50):  # give the run every chance to start (it must not)
        await asyncio.sleep(0)
    assert app[RUN_QUEUE].snapshot()["queued"] == 1
    run = await (await user_client.get(f"/api/runs/{run_id}")).json()
    assert run["run"]["status"] == "queued" and model.requests == []
    assert (await admin_client.post("/api/resume")).status == 200
    assert (await finished(app, run_id)).status == "done"
    assert len(model.requests) == 1


async def test_stop_mid_run(app, user_client, model):
    agent = await make_agent(user_client)
    model.script(hang())
    run_id = (await (await user_client.post(f"/api/agents/{agent['id']}/run", json={})).json())[
        "run_id"]
    await model.wait_for(1)
    resp = await user_client.post(f"/api/agents/{agent['id']}/stop")
    assert await resp.json() == {"ok": True}
    assert (await finished(app, run_id)).status == "stopped"
    detail = await (await user_client.get(f"/api/agents/{agent['id']}")).json()
    assert [r["status"] for r in detail["runs"]] == ["stopped"]


async def test_token_totals_add_up_and_runs_are_newest_first(app, user_client, model):
    agent = await make_agent(user_client)
    other = await make_agent(user_client, name="Other")
    model.script(reply("one", usage=(100, 10)), reply("two", usage=(250, 25)),
                 reply("three", usage=(7, 3)))
    ids = []
    for target in (agent, agent, other):
        resp = await user_client.post(f"/api/agents/{target['id']}/run", json={})
        ids.append((await resp.json())["run_id"])
        await finished(app, ids[-1])
    detail = await (await user_client.get(f"/api/agents/{agent['id']}")).json()
    assert detail["total_input_tokens"] == 350 and detail["total_output_tokens"] == 35
    assert [r["id"] for r in detail["runs"]] == [ids[1], ids[0]]
    assert [r["input_tokens"] for r in detail["runs"]] == [250, 100]
    other_detail = await (await user_client.get(f"/api/agents/{other['id']}")).json()
    assert (other_detail["total_input_tokens"], other_detail["total_output_tokens"]) == (7, 3)


async def test_headless_run_refuses_a_confirmation_tool_unless_granted(app, user_client, model,
                                                                       tools):
    plain = await make_agent(user_client, allowed_tools=None)
    model.script(tool_use("send_note", {"text": "hi"}), reply("could not send"))
    run_id = (await (await user_client.post(f"/api/agents/{plain['id']}/run", json={})).json())[
        "run_id"]
    await finished(app, run_id)
    assert tools["send_note"].calls == []
    calls = (await (await user_client.get(f"/api/runs/{run_id}")).json())["tool_calls"]
    assert calls[0]["tool_name"] == "send_note" and calls[0]["success"] is False
    assert "needs confirmation" in calls[0]["summary"]

    granted = await make_agent(user_client, allowed_tools=["notes"])
    model.script(tool_use("send_note", {"text": "hello"}), reply("sent it"))
    run_id = (await (await user_client.post(f"/api/agents/{granted['id']}/run", json={})).json())[
        "run_id"]
    await finished(app, run_id)
    assert tools["send_note"].calls == [{"text": "hello"}]


async def test_tools_not_allowed_in_scheduled_runs_are_never_offered(app, user_client, model):
    agent = await make_agent(user_client, allowed_tools=["desktop", "info"])
    run_id = (await (await user_client.post(f"/api/agents/{agent['id']}/run", json={})).json())[
        "run_id"]
    await finished(app, run_id)
    offered = {t.name for t in model.requests[0].tools}
    assert offered == {"lookup"}


async def test_an_agent_cannot_raise_the_admins_tool_call_limit(app, admin_client, user_client,
                                                                model):
    resp = await admin_client.post("/api/settings/limits", json={"max_tool_calls": 2})
    assert resp.status == 200
    agent = await make_agent(user_client, max_tool_calls=1000)
    model.script(*[tool_use("lookup", {"text": str(i)}) for i in range(6)], reply("Enough."))
    run_id = (await (await user_client.post(f"/api/agents/{agent['id']}/run", json={})).json())[
        "run_id"]
    outcome = await finished(app, run_id)
    assert outcome.status == "limited" and outcome.tool_calls == 2
    run = await (await user_client.get(f"/api/runs/{run_id}")).json()
    assert [c["tool_name"] for c in run["tool_calls"]] == ["lookup"] * 2


@pytest.mark.parametrize("limit", [0, 1])
async def test_the_agents_max_tool_calls_caps_its_runs(app, user_client, model, limit):
    agent = await make_agent(user_client, max_tool_calls=limit)
    model.script(tool_use("lookup", {"text": "a"}), tool_use("lookup", {"text": "b"}),
                 reply("Here is what I have."))
    run_id = (await (await user_client.post(f"/api/agents/{agent['id']}/run", json={})).json())[
        "run_id"]
    outcome = await finished(app, run_id)
    assert outcome.status == "limited" and outcome.tool_calls == limit
    run = await (await user_client.get(f"/api/runs/{run_id}")).json()
    assert [c["tool_name"] for c in run["tool_calls"]] == ["lookup"] * limit
