"""The file tools through the runtime with a scripted model."""

from __future__ import annotations

import json
from typing import Any

import jarvis_filesystem
import pytest
from jarvis import AgentConfig, hookimpl
from jarvis.keys import RUNTIME
from jarvis.providers.base import ToolResultBlock
from jarvis.runtime.requests import RunRequest
from jarvis.testing.scripted import ScriptedProvider, reply, tool_use

from .conftest import SECRET


class ModelPlugin:
    """Registers the scripted model."""

    __name__ = "scripted_model"

    def __init__(self, provider: ScriptedProvider):
        self.provider = provider

    @hookimpl
    def register_providers(self, settings):
        return [self.provider]


@pytest.fixture
def model() -> ScriptedProvider:
    return ScriptedProvider(id="fake", models=("echo",))


@pytest.fixture
def fs_plugins(model) -> list[Any]:
    return [jarvis_filesystem, ModelPlugin(model)]


def tool_results(model: ScriptedProvider) -> list[ToolResultBlock]:
    return [b for b in model.requests[-1].messages[-1].content if isinstance(b, ToolResultBlock)]


async def frames_until(ws: Any, *types: str) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = json.loads((await ws.receive(timeout=10)).data)
        frames.append(frame)
        if frame["type"] in types:
            return frames


async def test_a_write_in_chat_waits_for_the_users_yes(server, alice, model):
    model.script(tool_use("fs_write", {"path": "~/todo.txt", "content": "buy milk"}),
                 reply("Saved."))
    ws = await alice.ws_connect("/ws/files")
    await frames_until(ws, "session")
    await ws.send_str(json.dumps({"type": "message", "content": "note: buy milk"}))
    ask = (await frames_until(ws, "confirmation_required"))[-1]
    assert ask["tool_name"] == "fs_write"
    assert "write 8 characters to ~/todo.txt" in ask["description"]
    assert not (server.users / "alice" / "todo.txt").exists()
    await ws.send_str(json.dumps({"type": "confirm", "call_id": ask["call_id"], "approved": True}))
    frames = await frames_until(ws, "done")
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
    assert (server.users / "alice" / "todo.txt").read_text() == "buy milk"


def agent_run(user, allowed_tools=None) -> RunRequest:
    return RunRequest(kind="agent", user=user, agent_id="agent-1",
                      agent=AgentConfig(prompt="Tidy up.", allowed_tools=allowed_tools))


async def test_a_headless_run_cannot_read_outside(server, alice, model):
    model.script(tool_use("fs_read", {"path": "~/to_bob/secret.txt"}), reply("no"))
    outcome = await alice.app[RUNTIME].run(agent_run(alice.user, allowed_tools=["filesystem"]))
    assert outcome.status == "done"
    [result] = tool_results(model)
    assert result.is_error and "refused by policy" in result.content
    assert SECRET.decode() not in result.content


async def test_a_headless_write_needs_a_grant(server, alice, model):
    model.script(tool_use("fs_write", {"path": "~/log.txt", "content": "x"}), reply("no"))
    await alice.app[RUNTIME].run(agent_run(alice.user))
    [result] = tool_results(model)
    assert result.is_error and "allowed_tools" in result.content
    assert not (server.users / "alice" / "log.txt").exists()
    model.script(tool_use("fs_write", {"path": "~/log.txt", "content": "x"}), reply("ok"))
    await alice.app[RUNTIME].run(agent_run(alice.user, allowed_tools=["fs_write"]))
    assert (server.users / "alice" / "log.txt").read_text() == "x"
