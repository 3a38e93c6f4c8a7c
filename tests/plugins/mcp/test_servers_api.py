"""The server routes: owner-scoped (another user's servers do not exist for you), stdio and
shared servers for admins only, private addresses refused, headers kept in the vault."""

from __future__ import annotations

import pytest
from jarvis.testing.chat import open_chat
from jarvis.testing.scripted import reply, tool_use

from .conftest import add_server, ok, wait_status

SECRET = "Bearer sk-notes-5f1c9e2a7b"


async def test_another_users_server_cannot_be_seen_called_or_changed(client_as, model, notes):
    alice = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    server = await add_server(alice, name="notes", transport="http", url=notes.url())
    await wait_status(alice, server["id"], "connected", tools=True)
    assert await ok(await bob.get("/api/mcp-servers")) == []
    sid = server["id"]
    for resp in (await bob.get(f"/api/mcp-servers/{sid}"),
                 await bob.get(f"/api/mcp-servers/{sid}/status"),
                 await bob.put(f"/api/mcp-servers/{sid}", json={"url": notes.url("/other")}),
                 await bob.delete(f"/api/mcp-servers/{sid}")):
        assert resp.status == 404, await resp.json()
        assert (await resp.json())["error"] == "MCP server not found"
    # Bob's runs are not offered Alice's tools, and a call of one is refused before it is made
    model.script(tool_use("mcp__notes__lookup", {"key": "alice"}), reply("nothing"))
    frames = await (await open_chat(bob)).say("read alice's notes")
    assert "mcp__notes__lookup" not in [t.name for t in model.requests[0].tools]
    done = next(f for f in frames if f["type"] == "tool_done")
    assert done["success"] is False and "no tool named" in done["result_summary"]
    assert notes.calls() == []
    # and Bob may have a server of the same name of his own
    await add_server(bob, name="notes", transport="http", url=notes.url())
    assert [s["mine"] for s in await ok(await alice.get("/api/mcp-servers"))] == [True]
    assert (await ok(await alice.get(f"/api/mcp-servers/{sid}")))["url"] == notes.url()


async def test_a_user_cannot_add_a_stdio_or_shared_server(user_client, admin_client):
    refused = await add_server(user_client, 403, name="shell", transport="stdio",
                               command="/bin/sh", args=["-c", "id"])
    assert "only admins add stdio servers" in refused["error"]
    refused = await add_server(user_client, 403, name="everyone", transport="http",
                               url="https://mcp.example.com/mcp", shared=True)
    assert "only admins" in refused["error"]
    assert await ok(await user_client.get("/api/mcp-servers")) == []
    # nor turn a server of theirs into one
    mine = await add_server(user_client, name="mine", transport="http",
                            url="https://mcp.example.com/mcp", enabled=False)
    resp = await user_client.put(f"/api/mcp-servers/{mine['id']}",
                                 json={"transport": "stdio", "command": "/bin/sh", "url": None})
    assert resp.status == 403
    resp = await user_client.put(f"/api/mcp-servers/{mine['id']}", json={"shared": True})
    assert resp.status == 403
    assert (await ok(await user_client.get(f"/api/mcp-servers/{mine['id']}")))["transport"] \
        == "http"


async def test_a_shared_server_is_offered_to_everyone_and_changed_by_admins_only(
        admin_client, client_as, model, notes):
    server = await add_server(admin_client, name="team", transport="http", url=notes.url(),
                              shared=True)
    alice = await client_as("user", username="alice")
    [listed] = await ok(await alice.get("/api/mcp-servers"))
    assert listed["shared"] is True and listed["mine"] is False
    resp = await alice.put(f"/api/mcp-servers/{server['id']}", json={"enabled": False})
    assert resp.status == 403
    assert (await alice.delete(f"/api/mcp-servers/{server['id']}")).status == 403
    await wait_status(alice, server["id"], "connected", tools=True)
    model.script(tool_use("mcp__team__lookup", {"key": "team"}), reply("ok"))
    frames = await (await open_chat(alice)).say("look it up")
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
    assert notes.calls("lookup")[0]["args"] == {"key": "team"}


@pytest.mark.parametrize("url", [
    "http://10.0.0.7/mcp", "http://192.168.1.20:8080/mcp", "http://169.254.169.254/latest",
    "http://localhost:9/mcp", "http://[::1]:9/mcp", "http://127.0.0.1:9/mcp", "file:///etc/passwd",
])
async def test_an_http_server_on_a_private_address_is_refused(user_client, url):
    refused = await add_server(user_client, 400, name="inside", transport="http", url=url)
    assert refused["error"].startswith("url: ")
    assert await ok(await user_client.get("/api/mcp-servers")) == []


async def test_headers_live_in_the_vault_and_never_in_listings(user_client, admin_client, notes):
    server = await add_server(user_client, name="notes", transport="http", url=notes.url(),
                              headers={"Authorization": SECRET})
    assert server["header_names"] == ["Authorization"]
    await wait_status(user_client, server["id"], "connected", tools=True)
    listing = await user_client.get("/api/mcp-servers")
    assert SECRET not in await listing.text()
    assert SECRET not in await (await admin_client.get("/api/audit?per_page=500")).text()
    assert SECRET not in await (await user_client.get(f"/api/mcp-servers/{server['id']}")).text()
    # clearing them
    changed = await ok(await user_client.put(f"/api/mcp-servers/{server['id']}",
                                             json={"headers": {}}))
    assert changed["header_names"] == []


async def test_the_header_reaches_the_server(user_client, model, notes):
    server = await add_server(user_client, name="notes", transport="http", url=notes.url(),
                              headers={"Authorization": SECRET})
    await wait_status(user_client, server["id"], "connected", tools=True)
    model.script(tool_use("mcp__notes__lookup", {"key": "k"}), reply("ok"))
    await (await open_chat(user_client)).say("look")
    assert notes.calls("lookup")[0]["auth"] == SECRET


async def test_bad_input_gets_the_reference_error(user_client):
    for body, field in [({"name": "Bad Name", "url": "https://a.example/mcp"}, "name"),
                        ({"name": "a__b", "url": "https://a.example/mcp"}, "name"),
                        ({"name": "ok"}, "url"),
                        ({"name": "ok", "transport": "ftp", "url": "https://a.example"},
                         "transport"),
                        ({"name": "ok", "url": "https://a.example", "call_timeout": 0},
                         "call_timeout"),
                        ({"name": "ok", "url": "https://a.example", "command": "ls"}, "command")]:
        resp = await user_client.post("/api/mcp-servers", json=body)
        payload = await resp.json()
        assert resp.status == 400, payload
        assert payload["error"].startswith(field), payload
    assert await ok(await user_client.get("/api/mcp-servers")) == []
    await add_server(user_client, name="dup", transport="http", url="https://a.example/mcp")
    clash = await add_server(user_client, 409, name="dup", transport="http",
                             url="https://b.example/mcp")
    assert clash["error"].startswith("name:")


async def test_changing_and_disabling_a_server(user_client, model, notes):
    server = await add_server(user_client, name="notes", transport="http", url=notes.url())
    await wait_status(user_client, server["id"], "connected", tools=True)
    changed = await ok(await user_client.put(f"/api/mcp-servers/{server['id']}",
                                             json={"enabled": False}))
    assert changed["status"]["state"] == "disabled"
    model.script(reply("no tools"))
    await (await open_chat(user_client)).say("anything?")
    assert not [t for t in model.requests[-1].tools if t.name.startswith("mcp__")]
    await ok(await user_client.put(f"/api/mcp-servers/{server['id']}", json={"enabled": True}))
    await wait_status(user_client, server["id"], "connected", tools=True)
    assert (await ok(await user_client.delete(f"/api/mcp-servers/{server['id']}"))) == {"ok": True}
    assert await ok(await user_client.get("/api/mcp-servers")) == []
