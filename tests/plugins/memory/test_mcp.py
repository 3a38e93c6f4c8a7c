"""The memory tools are served at /mcp too: the SDK's client, with a user's API key, captures
and searches that user's memory, and another user's key finds none of it."""

from __future__ import annotations

import httpx2
import jarvis_mcp
import jarvis_memory
import pytest
from jarvis.testing.plugins import ModelPlugin
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from .test_tools import NOTES, remember

MEMORY_TOOLS = {"memory_capture", "memory_search", "memory_recent", "memory_stats"}


@pytest.fixture
def jarvis_plugins(model):
    return [jarvis_memory, jarvis_mcp, ModelPlugin(model)]


async def mcp_for(client) -> Client:
    await client.reauth()  # a new key needs a recent password
    resp = await client.post("/api/my/api-keys", json={"name": "desktop"})
    assert resp.status == 201
    key = (await resp.json())["key"]
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30)
    return Client(streamable_http_client(str(client.make_url("/mcp")), http_client=http),
                  mode="legacy")


async def test_the_memory_tools_are_listed_with_their_schemas(keyed, alice):
    async with await mcp_for(alice) as mcp:
        tools = {t.name: t for t in (await mcp.list_tools()).tools}
    assert set(tools) >= MEMORY_TOOLS
    search = tools["memory_search"].input_schema
    assert search["required"] == ["query"]
    assert search["properties"]["limit"]["maximum"] == 20
    assert tools["memory_search"].annotations.read_only_hint is True
    assert tools["memory_capture"].annotations.read_only_hint is False


async def test_a_users_key_reaches_only_that_users_memory(keyed, alice, bob):
    await remember(bob, "Bob's locker code is 4711")
    async with await mcp_for(alice) as mcp:
        saved = await mcp.call_tool("memory_capture", {"text": NOTES[0]})
        assert not saved.is_error and saved.content[0].text.startswith("Remembered as ")
        found = await mcp.call_tool("memory_search", {"query": "locker code", "limit": 20})
        assert "4711" not in found.content[0].text and "espresso" in found.content[0].text
        bad = await mcp.call_tool("memory_search", {"query": ""})
        assert bad.is_error and "at least 1 character" in bad.content[0].text
    async with await mcp_for(bob) as mcp:
        found = await mcp.call_tool("memory_search", {"query": NOTES[0], "limit": 20})
        text = found.content[0].text
        assert "espresso" not in text and "4711" in text
        stats = await mcp.call_tool("memory_stats", {})
        assert stats.content[0].text.startswith("1 note(s)")
