"""Servers are connected when a server process starts, and a second process on the same
database picks up a server added in the first without a restart."""

from __future__ import annotations

from jarvis.testing.chat import open_chat
from jarvis.testing.clients import start_client
from jarvis.testing.plugins import loopback_http, use_outbound_http
from jarvis.testing.scripted import reply, tool_use

from .conftest import add_server, wait_status


async def test_another_process_connects_the_servers_and_offers_their_tools(
        user_client, make_app, jarvis_plugins, jarvis_settings, model, notes):
    server = await add_server(user_client, name="notes", transport="http", url=notes.url())
    await wait_status(user_client, server["id"], "connected", tools=True)
    app = make_app(*jarvis_plugins, **jarvis_settings)  # a process started after the change
    use_outbound_http(app, loopback_http(notes.port, timeout=10.0))
    other = await start_client(app)
    try:
        same_user = await other.as_user(user_client.user)
        await wait_status(same_user, server["id"], "connected", tools=True)
        model.script(tool_use("mcp__notes__lookup", {"key": "elsewhere"}), reply("ok"))
        frames = await (await open_chat(same_user)).say("look it up over there")
        assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
        assert notes.calls("lookup")[0]["args"] == {"key": "elsewhere"}
    finally:
        await other.close()
