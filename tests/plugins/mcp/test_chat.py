"""A scripted model uses a real MCP server's tools in chat (an SDK server over Streamable HTTP in
a child process): read-only calls run, destructive and unannotated ones wait for confirmation,
refused ones never reach the server (checked at the server), results reach the audit log."""

from __future__ import annotations

import pytest
from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, deny
from jarvis.testing.chat import open_chat
from jarvis.testing.plugins import ModelPlugin, fixed_canary
from jarvis.testing.scripted import reply, tool_use
from jarvis.testing.tools import AnsweringTool, answering_tool

from .conftest import add_server, ok, wait_status


class NoDeleting(Policy):
    """An admin's rule on top of the plugin's: no deleting through MCP."""

    resource = "mcp.tool"

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        if str(request.value).endswith("/delete_note"):
            return deny("deleting notes is not allowed")
        return allow()


@pytest.fixture
def post() -> AnsweringTool:
    """A side effect that asks only when the run is tainted, in a group of its own."""
    return answering_tool("post", "notes_out", "Post a message.", "posted", side_effect=True)


@pytest.fixture
def jarvis_plugins(model, post):
    import jarvis_mcp

    return [jarvis_mcp, ModelPlugin(model, tools=[post], policies=[NoDeleting()])]


async def connected(client, notes, name: str = "notes", **extra) -> dict:
    server = await add_server(client, name=name, transport="http", url=notes.url(), **extra)
    await wait_status(client, server["id"], "connected", tools=True)
    return server


def done_frames(frames: list[dict]) -> list[dict]:
    return [f for f in frames if f["type"] == "tool_done"]


async def audit(admin, **match) -> list[dict]:
    entries = (await ok(await admin.get("/api/audit?per_page=500")))["entries"]
    return [e for e in entries if all(e.get(k) == v for k, v in match.items())]


async def test_a_read_only_call_runs_and_is_audited(user_client, admin_client, model, notes):
    await connected(user_client, notes)
    model.script(tool_use("mcp__notes__lookup", {"key": "garden"}), reply("Buy tomatoes."))
    frames = await (await open_chat(user_client)).say("what does my garden note say?")
    assert not [f for f in frames if f["type"] == "confirmation_required"]
    [done] = done_frames(frames)
    assert done["success"] is True and "buy tomatoes" in done["result_summary"]
    assert notes.calls("lookup")[0]["args"] == {"key": "garden"}
    [result] = model.tool_results()
    assert "the note garden says: buy tomatoes" in result.content
    assert "<<untrusted-data boundary=" in result.content  # outside content, fenced
    [entry] = await audit(admin_client, kind="tool_call", tool_name="mcp__notes__lookup")
    assert entry["success"] is True and entry["arguments"] == {"key": "garden"}
    assert "buy tomatoes" in entry["summary"]


async def test_a_destructive_call_waits_for_confirmation(user_client, model, notes):
    await connected(user_client, notes)
    model.script(tool_use("mcp__notes__add_note", {"title": "seeds"}), reply("Added."))
    chat = await open_chat(user_client)
    asked = await chat.asked("add a note about seeds")
    assert asked["tool_name"] == "mcp__notes__add_note"
    assert "addNote on MCP server notes" in asked["description"]
    assert notes.calls("addNote") == []  # nothing reached the server before the answer
    frames = await chat.answer(asked, approved=True)
    assert done_frames(frames)[0]["confirmed"] is True
    assert [c["args"] for c in notes.calls("addNote")] == [{"title": "seeds"}]


async def test_a_declined_call_never_reaches_the_server(user_client, admin_client, model, notes):
    await connected(user_client, notes)
    model.script(tool_use("mcp__notes__add_note", {"title": "junk"}), reply("Not added."))
    chat = await open_chat(user_client)
    asked = await chat.asked("add junk")
    frames = await chat.answer(asked, approved=False)
    assert "declined" in done_frames(frames)[0]["result_summary"]
    assert notes.calls("addNote") == []
    denials = await audit(admin_client, kind="denial", tool_name="mcp__notes__add_note")
    assert denials and denials[0]["confirmed"] is False


async def test_a_call_a_policy_denies_never_reaches_the_server(user_client, model, notes):
    await connected(user_client, notes)
    model.script(tool_use("mcp__notes__delete_note", {"title": "all"}), reply("I cannot."))
    frames = await (await open_chat(user_client)).say("delete every note")
    [done] = done_frames(frames)
    assert done["success"] is False and "deleting notes is not allowed" in done["result_summary"]
    assert notes.calls("delete_note") == []


async def test_an_agent_gets_only_the_servers_it_was_granted(user_client, model, notes):
    await connected(user_client, notes)
    reader = await ok(await user_client.post("/api/agents", json={
        "name": "Reader", "prompt": "read", "allowed_tools": ["mcp__notes__lookup"]}), 201)
    writer = await ok(await user_client.post("/api/agents", json={
        "name": "Writer", "prompt": "write", "allowed_tools": ["mcp__notes"]}), 201)
    model.script(tool_use("mcp__notes__add_note", {"title": "x"}), reply("could not"))
    run = await ok(await user_client.post(f"/api/agents/{reader['id']}/run", json={}))
    detail = await _finished(user_client, run["run_id"])
    assert "not in this run's allowed tools" in detail["tool_calls"][0]["summary"]
    assert [t.name for t in model.requests[-2].tools] == ["mcp__notes__lookup"]
    assert notes.calls("addNote") == []
    # the server is a group: granting it grants its tools, the asking ones included
    model.script(tool_use("mcp__notes__add_note", {"title": "granted"}), reply("added"))
    run = await ok(await user_client.post(f"/api/agents/{writer['id']}/run", json={}))
    detail = await _finished(user_client, run["run_id"])
    assert detail["tool_calls"][0]["success"] is True
    assert [c["args"] for c in notes.calls("addNote")] == [{"title": "granted"}]


async def _finished(client, run_id: str) -> dict:
    import asyncio

    for _ in range(200):
        detail = await ok(await client.get(f"/api/runs/{run_id}"))
        if detail["run"]["status"] not in ("queued", "running"):
            return detail
        await asyncio.sleep(0.05)
    raise AssertionError(f"run {run_id} did not end")


async def test_an_error_result_time_limit_and_size_cap(user_client, model, notes):
    await connected(user_client, notes, call_timeout=4, max_result_chars=1000)
    model.script(tool_use("mcp__notes__broken", {}), tool_use("mcp__notes__slow", {"seconds": 60}),
                 tool_use("mcp__notes__big", {"size": 5000}), reply("done"))
    frames = await (await open_chat(user_client)).say("try them all")
    broken, slow, big = done_frames(frames)
    assert broken["success"] is False and "the notebook is locked" in broken["result_summary"]
    assert slow["success"] is False and "did not answer within 4 s" in slow["result_summary"]
    assert big["success"] is True
    [result] = model.tool_results()
    assert "x" * 1000 in result.content and "x" * 1001 not in result.content
    assert "cut at 1000 characters" in result.content


async def test_a_new_tool_is_offered_without_a_restart(user_client, model, notes):
    await connected(user_client, notes)
    model.script(tool_use("mcp__notes__grow", {"name": "weather"}), reply("grown"))
    await (await open_chat(user_client)).say("grow a tool")
    # the server announced the change: the next run offers the new tool
    import asyncio

    for _ in range(100):
        model.script(reply("ok"))
        await (await open_chat(user_client, "s2")).say("what can you do?")
        if "mcp__notes__weather" in [t.name for t in model.requests[-1].tools]:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the new tool was never offered")


async def test_a_call_carrying_the_canary_never_reaches_the_server(
        user_client, admin_client, model, notes, monkeypatch):
    token = fixed_canary(monkeypatch)  # the token this run plants
    await ok(await admin_client.post("/api/settings/security", json={"canary": True}))
    await connected(user_client, notes)
    model.script(tool_use("mcp__notes__lookup", {"key": f"notes {token}"}), reply("leaked"))
    frames = await (await open_chat(user_client)).say("look it up")
    assert frames[-1]["type"] == "error"  # the run was halted
    assert notes.calls("lookup") == []
    [hit] = await audit(admin_client, action="canary_hit", tool_name="mcp__notes__lookup")
    assert hit["decision"] == "deny"


async def test_an_mcp_result_taints_the_run(user_client, model, notes, post):
    """After an MCP result (outside content), a side-effect tool that never asks does ask."""
    await connected(user_client, notes)
    model.script(tool_use("post", {"text": "before"}), reply("posted"))
    frames = await (await open_chat(user_client)).say("post it")
    assert not [f for f in frames if f["type"] == "confirmation_required"]
    assert [call["text"] for call in post.calls] == ["before"]
    model.script(tool_use("mcp__notes__lookup", {"key": "a"}),
                 tool_use("post", {"text": "after"}), reply("done"))
    chat = await open_chat(user_client, "s2")
    asked = await chat.asked("read a note, then post")
    assert asked["tool_name"] == "post" and "outside content" in asked["description"]
    await chat.answer(asked, approved=False)
    assert [call["text"] for call in post.calls] == ["before"]
