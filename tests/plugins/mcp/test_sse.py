"""The older SSE transport, against the SDK server speaking it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jarvis.testing.chat import open_chat
from jarvis.testing.scripted import reply, tool_use

from .conftest import NotesServer, add_server, serving, wait_status


@pytest.fixture(scope="module")
def sse(tmp_path_factory) -> Iterator[NotesServer]:
    yield from serving(NotesServer(tmp_path_factory.mktemp("mcp-sse"), "sse"))


@pytest.fixture
def notes_port(sse) -> int:
    return sse.port


async def test_an_sse_server_is_used_like_any_other(user_client, model, sse):
    server = await add_server(user_client, name="old", transport="sse", url=sse.url("/sse"),
                              headers={"Authorization": "Bearer sse-key-1"})
    await wait_status(user_client, server["id"], "connected", tools=True)
    model.script(tool_use("mcp__old__lookup", {"key": "sse"}), reply("ok"))
    frames = await (await open_chat(user_client)).say("look it up")
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
    [call] = sse.calls("lookup")
    assert call["args"] == {"key": "sse"} and call["auth"] == "Bearer sse-key-1"
