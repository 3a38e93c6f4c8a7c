"""Fixtures for sub-agents: the plugin, the scripted model, two harmless tools that count their
calls (``note``, and ``stamp``, which acts on the world and asks every time), and helpers that
make real agents through the API and run them."""

from __future__ import annotations

from typing import Any

import jarvis_subagents
import pytest
from jarvis import RunOutcome, Tool, ToolResult
from jarvis.testing.clients import JarvisClient
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, plugin_context
from pydantic import BaseModel


class NoteInput(BaseModel):
    text: str = ""


class Note(Tool):
    name = "note"
    group = "notes"
    description = "Write down a note."
    Input = NoteInput

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def run(self, args: NoteInput, ctx: Any) -> ToolResult:
        self.calls.append(f"{ctx.run.id}:{args.text}")
        return ToolResult(content="noted")


class Stamp(Note):
    name = "stamp"
    group = "stamps"
    description = "Stamp a document (acts on the world; asks first)."
    side_effect = True

    def requires_confirmation(self, args: BaseModel) -> bool:
        return True


@pytest.fixture
def note() -> Note:
    return Note()


@pytest.fixture
def stamp() -> Stamp:
    return Stamp()


@pytest.fixture
def subagents_config() -> dict[str, Any]:
    return {}


@pytest.fixture
def jarvis_plugins(model, note, stamp) -> list[Any]:
    return [jarvis_subagents, ModelPlugin(model, tools=[note, stamp])]


@pytest.fixture
def jarvis_settings(subagents_config) -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS, "plugins": {"subagents": subagents_config}}


async def make_agent(client: JarvisClient, name: str, **fields: Any) -> str:
    resp = await client.post("/api/agents", json={"name": name, "prompt": f"You are {name}.",
                                                  **fields})
    body = await resp.json()
    assert resp.status == 201, body
    return body["id"]


async def run_agent(client: JarvisClient, agent_id: str, message: str = "Go.") -> RunOutcome:
    """A run of the client's agent, waited for."""
    context = plugin_context(client, "subagents")
    return await context.run(await context.agent_run_request(client.user, agent_id, message))


async def runs_of(client: JarvisClient, **query: Any) -> list[dict[str, Any]]:
    resp = await client.get("/api/runs", params={"per_page": 200, **query})
    body = await resp.json()
    assert resp.status == 200, body
    return body["runs"]
