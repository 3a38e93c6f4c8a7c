"""The reference servers from the npm registry over stdio, added by an admin: their tools in a
user's chat with the same rules (the filesystem server's own annotations decide what asks)."""

from __future__ import annotations

import pytest
from jarvis.testing.chat import open_chat
from jarvis.testing.scripted import reply, tool_use

from .conftest import add_server, node_command, ok, wait_status


@pytest.fixture
def jarvis_outbound_http():
    return None  # stdio only: no HTTP server is reached


@pytest.fixture
def folder(tmp_path):
    found = tmp_path / "shared-files"
    found.mkdir()
    (found / "plan.txt").write_text("Plant the tomatoes in May.")
    return found


async def files_server(admin, npm_servers, folder) -> dict:
    server = await add_server(admin, name="files", transport="stdio", shared=True,
                              **node_command(npm_servers, "server-filesystem", str(folder)))
    await wait_status(admin, server["id"], "connected", tools=True, within=60)
    return server


async def test_filesystem_server_read_runs_write_asks(admin_client, client_as, model,
                                                      npm_servers, folder):
    server = await files_server(admin_client, npm_servers, folder)
    alice = await client_as("user", username="alice")
    status = await ok(await alice.get(f"/api/mcp-servers/{server['id']}/status"))
    tools = {t["name"]: t for t in status["tools"]}
    assert tools["mcp__files__read_text_file"]["read_only"] is True
    assert tools["mcp__files__write_file"]["read_only"] is False
    plan = str(folder / "plan.txt")
    model.script(tool_use("mcp__files__read_text_file", {"path": plan}), reply("May."))
    frames = await (await open_chat(alice)).say("when do I plant?")
    assert not [f for f in frames if f["type"] == "confirmation_required"]
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
    assert "Plant the tomatoes in May." in model.tool_results()[0].content
    # a write asks; declined, the file is never written (checked on the disk the server serves)
    target = folder / "note.txt"
    model.script(tool_use("mcp__files__write_file", {"path": str(target), "content": "hi"}),
                 reply("Not written."))
    chat = await open_chat(alice, "s2")
    asked = await chat.asked("write a note")
    await chat.answer(asked, approved=False)
    assert not target.exists()
    model.script(tool_use("mcp__files__write_file", {"path": str(target), "content": "hi"}),
                 reply("Written."))
    asked = await chat.asked("write it after all")
    frames = await chat.answer(asked, approved=True)
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
    assert target.read_text() == "hi"


async def test_the_servers_own_refusal_reaches_the_model(admin_client, model, npm_servers,
                                                         folder, tmp_path):
    await files_server(admin_client, npm_servers, folder)
    outside = tmp_path / "secret.txt"
    outside.write_text("payroll")
    model.script(tool_use("mcp__files__read_text_file", {"path": str(outside)}), reply("no"))
    frames = await (await open_chat(admin_client)).say("read the secret")
    done = next(f for f in frames if f["type"] == "tool_done")
    assert done["success"] is False and "payroll" not in done["result_summary"]
    assert "payroll" not in model.tool_results()[0].content


async def test_everything_server_over_stdio(admin_client, model, npm_servers):
    server = await add_server(admin_client, name="everything", transport="stdio",
                              **node_command(npm_servers, "server-everything", "stdio"))
    status = await wait_status(admin_client, server["id"], "connected", tools=True, within=60)
    names = {t["name"]: t["mcp_name"] for t in status["tools"]}
    assert names["mcp__everything__get_sum"] == "get-sum"
    model.script(tool_use("mcp__everything__echo", {"message": "tomato"}),
                 tool_use("mcp__everything__get_sum", {"a": 2, "b": 40}), reply("42"))
    frames = await (await open_chat(admin_client)).say("echo and add")
    done = [f for f in frames if f["type"] == "tool_done"]
    assert [d["success"] for d in done] == [True, True]
    echo, total = (r.messages[-1].content[0].content for r in model.requests[1:3])
    assert "Echo: tomato" in echo and "42" in total


async def test_a_command_that_does_not_exist_fails_with_the_reason(admin_client):
    server = await add_server(admin_client, name="missing", transport="stdio",
                              command="/nonexistent/mcp-server")
    status = await wait_status(admin_client, server["id"], "failed")
    assert "cannot be run" in status["reason"]


async def test_stdio_can_be_turned_off_for_everyone(make_app, npm_servers):
    import jarvis_mcp
    from jarvis.testing.clients import start_client
    from jarvis.testing.plugins import BUILTIN_PROVIDERS

    client = await start_client(make_app(jarvis_mcp, disable_plugins=BUILTIN_PROVIDERS,
                                         plugins={"mcp": {"allow_stdio": False}}))
    try:
        admin = await client.as_user("admin")
        refused = await add_server(admin, 403, name="files", transport="stdio",
                                   **node_command(npm_servers, "server-filesystem", "/tmp"))
        assert "allow_stdio" in refused["error"]
    finally:
        await client.close()
