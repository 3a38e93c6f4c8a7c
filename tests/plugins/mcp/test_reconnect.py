"""A server that dies never takes a run down: the call in flight ends with a clear tool error,
the status says when the next attempt is, and the tools come back when the server does."""

from __future__ import annotations

import asyncio

from jarvis.testing.chat import open_chat
from jarvis.testing.scripted import reply, tool_use

from .conftest import add_server, ok, wait_status


async def test_a_server_killed_mid_call_gives_a_tool_error_and_comes_back(
        user_client, model, notes):
    server = await add_server(user_client, name="notes", transport="http", url=notes.url(),
                              call_timeout=120)
    await wait_status(user_client, server["id"], "connected", tools=True)
    model.script(tool_use("mcp__notes__slow", {"seconds": 100}), reply("The server went away."))
    chat = await open_chat(user_client)
    await chat.send(type="message", content="take your time")
    await chat.until("tool_start")
    for _ in range(200):
        if notes.calls("slow"):
            break
        await asyncio.sleep(0.05)
    notes.stop()  # killed while the call is in flight
    frames = await chat.until("done", "error")
    assert frames[-1]["type"] == "done"  # the run itself went on
    done = next(f for f in frames if f["type"] == "tool_done")
    assert done["success"] is False
    assert "the MCP server notes" in done["result_summary"]
    [result] = model.tool_results()
    assert result.is_error and "notes" in result.content
    status = await wait_status(user_client, server["id"], "retrying")
    assert status["reason"] and status["next_attempt_at"] and status["tools"] == []
    # meanwhile its tools are not offered, and the app goes on serving
    model.script(reply("no notes now"))
    await (await open_chat(user_client, "s2")).say("anything?")
    assert not [t for t in model.requests[-1].tools if t.name.startswith("mcp__notes")]
    notes.start()
    await wait_status(user_client, server["id"], "connected", tools=True, within=30)
    model.script(tool_use("mcp__notes__lookup", {"key": "back"}), reply("It is back."))
    frames = await (await open_chat(user_client, "s3")).say("and now?")
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
    assert notes.calls("lookup")[0]["args"] == {"key": "back"}


async def test_a_server_that_is_not_up_yet_is_retried_with_backoff(user_client, notes):
    notes.stop()
    server = await add_server(user_client, name="notes", transport="http", url=notes.url())
    first = await wait_status(user_client, server["id"], "retrying")
    assert "connect" in first["reason"].lower() or first["reason"]
    later = first
    for _ in range(100):
        later = await ok(await user_client.get(f"/api/mcp-servers/{server['id']}/status"))
        if later["attempts"] >= 3:
            break
        await asyncio.sleep(0.1)
    assert later["attempts"] >= 3
    notes.start()
    await wait_status(user_client, server["id"], "connected", tools=True, within=30)
