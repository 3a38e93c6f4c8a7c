"""The file tools through the runtime with a scripted model."""

from __future__ import annotations

from typing import Any

import jarvis_filesystem
import pytest
from jarvis.testing.chat import open_chat
from jarvis.testing.plugins import ModelPlugin, agent_run, plugin_context
from jarvis.testing.scripted import reply, tool_use

from .conftest import SECRET


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_filesystem, ModelPlugin(model)]


async def test_a_write_in_chat_waits_for_the_users_yes(server, alice, model):
    model.script(tool_use("fs_write", {"path": "~/todo.txt", "content": "buy milk"}),
                 reply("Saved."))
    chat = await open_chat(alice, "files")
    ask = await chat.asked("note: buy milk")
    assert ask["tool_name"] == "fs_write"
    assert "write 8 characters to ~/todo.txt" in ask["description"]
    assert not (server.users / server.alice / "todo.txt").exists()
    frames = await chat.answer(ask, approved=True)
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
    assert (server.users / server.alice / "todo.txt").read_text() == "buy milk"


async def test_a_headless_run_cannot_read_outside(server, alice, model):
    model.script(tool_use("fs_read", {"path": "~/to_bob/secret.txt"}), reply("no"))
    run = agent_run(alice.user, allowed_tools=["filesystem"])
    outcome = await plugin_context(alice, "filesystem").run(run)
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert result.is_error and "refused by policy" in result.content
    assert SECRET.decode() not in result.content


async def test_a_headless_write_needs_a_grant(server, alice, model):
    model.script(tool_use("fs_write", {"path": "~/log.txt", "content": "x"}), reply("no"))
    await plugin_context(alice, "filesystem").run(agent_run(alice.user))
    [result] = model.tool_results()
    assert result.is_error and "allowed_tools" in result.content
    assert not (server.users / server.alice / "log.txt").exists()
    model.script(tool_use("fs_write", {"path": "~/log.txt", "content": "x"}), reply("ok"))
    await plugin_context(alice, "filesystem").run(agent_run(alice.user, allowed_tools=["fs_write"]))
    assert (server.users / server.alice / "log.txt").read_text() == "x"
