"""Jarvis as an MCP server: the SDK's own client lists and calls the tools at /mcp with an API
key, acting with that user's rights; without a key, or with a revoked one, it is refused."""

from __future__ import annotations

import json

import httpx2
import pytest
from jarvis.testing.scripted import reply
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from .conftest import ok


@pytest.fixture
def jarvis_outbound_http():
    return None  # no outside MCP server in these tests


async def new_key(client) -> dict:
    await client.reauth()  # a new key needs a recent password
    return await ok(await client.post("/api/my/api-keys", json={"name": "desktop"}), 201)


def mcp_client(client, key: str | None, statuses: list[int] | None = None) -> Client:
    """The SDK's client on /mcp; ``statuses`` collects the HTTP status of every answer."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}

    async def note(response) -> None:
        if statuses is not None:
            statuses.append(response.status_code)

    http = httpx2.AsyncClient(headers=headers, timeout=30, event_hooks={"response": [note]})
    url = str(client.make_url("/mcp"))
    return Client(streamable_http_client(url, http_client=http), mode="legacy")


def payload(result) -> object:
    assert not result.is_error, result
    return json.loads(result.content[0].text)


async def test_the_sdk_client_lists_and_calls_the_tools_with_an_api_key(client_as, model):
    alice = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    agent = await ok(await alice.post("/api/agents", json={"name": "Gardener",
                                                           "prompt": "Answer about plants."}),
                     201)
    await ok(await bob.post("/api/agents", json={"name": "Bob's own", "prompt": "x"}), 201)
    key = await new_key(alice)
    async with mcp_client(alice, key["key"]) as mcp:
        tools = {t.name for t in (await mcp.list_tools()).tools}
        assert {"list_my_agents", "run_agent", "chat", "list_runs", "get_run"} <= tools
        agents = payload(await mcp.call_tool("list_my_agents", {}))
        assert [a["name"] for a in agents] == ["Gardener"]  # not Bob's
        model.script(reply("Water them in the morning."))
        run = payload(await mcp.call_tool("run_agent", {"agent_id": agent["id"]}))
        assert run["status"] == "done" and run["text"] == "Water them in the morning."
        model.script(reply("Hello Alice."))
        said = payload(await mcp.call_tool("chat", {"message": "hello"}))
        assert said["text"] == "Hello Alice." and said["conversation_id"]
        runs = payload(await mcp.call_tool("list_runs", {}))
        assert {r["id"] for r in runs["runs"]} == {run["run_id"], said["run_id"]}
        detail = payload(await mcp.call_tool("get_run", {"run_id": run["run_id"]}))
        assert detail["final_text"] == "Water them in the morning."
    # the run is Alice's, started through /mcp: the REST API shows it to her
    listed = await ok(await alice.get("/api/runs"))
    assert run["run_id"] in {r["id"] for r in listed["runs"]}


async def test_another_users_agents_and_runs_stay_out_of_reach(client_as, model):
    alice = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    bobs = await ok(await bob.post("/api/agents", json={"name": "Secret", "prompt": "x"}), 201)
    model.script(reply("bob's answer"))
    started = await ok(await bob.post(f"/api/agents/{bobs['id']}/run", json={}))
    key = await new_key(alice)
    async with mcp_client(alice, key["key"]) as mcp:
        refused = await mcp.call_tool("run_agent", {"agent_id": bobs["id"]})
        assert refused.is_error and "not found" in refused.content[0].text
        hidden = await mcp.call_tool("get_run", {"run_id": started["run_id"]})
        assert hidden.is_error
        assert payload(await mcp.call_tool("list_runs", {}))["runs"] == []


async def test_without_a_key_or_with_a_revoked_one_it_is_refused(user_client):
    statuses: list[int] = []
    with pytest.raises(Exception):  # noqa: B017 - the SDK wraps the 401 in its own errors
        async with mcp_client(user_client, None, statuses) as mcp:
            await mcp.list_tools()
    assert statuses == [401]
    key = await new_key(user_client)
    statuses.clear()
    async with mcp_client(user_client, key["key"], statuses) as mcp:
        assert (await mcp.list_tools()).tools
    assert statuses and all(s < 300 for s in statuses)
    await ok(await user_client.delete(f"/api/my/api-keys/{key['id']}"))
    statuses.clear()
    with pytest.raises(Exception):  # noqa: B017
        async with mcp_client(user_client, key["key"], statuses) as mcp:
            await mcp.list_tools()
    assert statuses == [401]
    # the same refusal over plain HTTP is the reference's JSON error
    plain = await user_client.spawn()
    resp = await plain.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                            headers={"Authorization": f"Bearer {key['key']}"})
    assert resp.status == 401 and "error" in await resp.json()


async def test_every_request_is_audited_with_the_key(client_as, admin_client):
    alice = await client_as("user", username="alice")
    key = await new_key(alice)
    async with mcp_client(alice, key["key"]) as mcp:
        await mcp.call_tool("list_my_agents", {})
    entries = (await ok(await admin_client.get("/api/audit?per_page=200")))["entries"]
    mine = [e for e in entries if e["action"] == "mcp_request" and e["username"] == "alice"]
    calls = [e for e in mine if e["tool_name"] == "list_my_agents"]
    assert calls and calls[0]["success"] is True
    assert any("initialize" in e["summary"] for e in mine)
