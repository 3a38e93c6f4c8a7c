"""The tool-source hook: tools asked per run, different per user, changing without a restart."""

from __future__ import annotations

import asyncio

import pytest
from jarvis import RunRef, Tool, ToolContext, ToolResult, ToolSource, UserRef, hookimpl
from jarvis.plugins import PluginError
from jarvis.testing.chat import open_chat
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.scripted import ScriptedProvider, reply, tool_use
from pydantic import BaseModel


class NoArgs(BaseModel):
    pass


class Greeting(Tool):
    group = "live__hello"
    description = "Say hello."
    Input = NoArgs

    def __init__(self, name: str, owner: str):
        self.name = name
        self.owner = owner

    async def run(self, args: NoArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=f"hello from {self.owner}'s tool, run by {ctx.user.username}")


class Live(ToolSource):
    name = "live"
    prefix = "live__"

    def __init__(self) -> None:
        self.per_user: dict[str, list[Tool]] = {}
        self.broken = False
        self.asked: list[str] = []

    async def tools(self, context, user: UserRef, run: RunRef) -> list[Tool]:
        assert context.name == "live_tools"  # the source's own plugin's context
        self.asked.append(run.kind)
        if self.broken:
            raise RuntimeError("the source is down")
        return self.per_user.get(user.username, [])


class LivePlugin:
    __name__ = "live_tools"

    def __init__(self, source: ToolSource):
        self.source = source

    @hookimpl
    def register_tool_sources(self, settings) -> list[ToolSource]:
        return [self.source]


@pytest.fixture
def source() -> Live:
    return Live()


@pytest.fixture
def model() -> ScriptedProvider:
    return ScriptedProvider(id="fake", models=("echo",))


@pytest.fixture
def jarvis_plugins(model, source):
    return [ModelPlugin(model), LivePlugin(source)]


@pytest.fixture
def jarvis_settings():
    return {"disable_plugins": BUILTIN_PROVIDERS}


def offered(model: ScriptedProvider, n: int = -1) -> list[str]:
    return [t.name for t in model.requests[n].tools]


async def test_each_run_asks_the_source_and_users_see_their_own(client_as, model, source):
    alice = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    source.per_user["alice"] = [Greeting("live__hello__alice", "alice")]
    model.script(reply("hi"))
    await (await open_chat(alice)).say("hello")
    assert "live__hello__alice" in offered(model)
    model.script(reply("hi"))
    await (await open_chat(bob)).say("hello")
    assert "live__hello__alice" not in offered(model)
    # a tool that appears while the server runs is offered in the next run
    source.per_user["bob"] = [Greeting("live__hello__bob", "bob")]
    model.script(tool_use("live__hello__bob", {}), reply("done"))
    frames = await (await open_chat(bob, "s2")).say("hello again")
    done = next(f for f in frames if f["type"] == "tool_done")
    assert done["success"] is True
    assert "hello from bob's tool, run by bob" in done["result_summary"]
    assert source.asked == ["chat", "chat", "chat"]


async def test_a_failing_source_leaves_the_run_without_its_tools(client_as, model, source):
    alice = await client_as("user", username="alice")
    source.per_user["alice"] = [Greeting("live__hello__alice", "alice")]
    source.broken = True
    model.script(reply("still here"))
    frames = await (await open_chat(alice)).say("hello")
    assert frames[-1]["type"] == "done" and frames[-1]["text"] == "still here"
    assert "live__hello__alice" not in offered(model)


async def test_a_slow_source_does_not_hold_the_run(client_as, model, source, monkeypatch):
    alice = await client_as("user", username="alice")

    async def slow(app, user, run):
        await asyncio.sleep(30)
        return []

    monkeypatch.setattr(source, "tools", slow)
    monkeypatch.setattr(Live, "timeout", 0.1)
    model.script(reply("on time"))
    frames = await (await open_chat(alice)).say("hello")
    assert frames[-1]["text"] == "on time"


async def test_a_tool_outside_the_prefix_is_left_out(client_as, model, source):
    alice = await client_as("user", username="alice")
    source.per_user["alice"] = [Greeting("hello", "alice"), Greeting("live__Bad-Name", "x")]
    model.script(reply("hi"))
    await (await open_chat(alice)).say("hello")
    assert "hello" not in offered(model) and "live__Bad-Name" not in offered(model)


async def test_allowed_tools_accepts_names_under_the_prefix(client_as):
    alice = await client_as("user", username="alice")
    resp = await alice.post("/api/agents", json={
        "name": "Greeter", "prompt": "greet", "allowed_tools": ["live__hello", "live__x__y"]})
    assert resp.status == 201, await resp.json()
    resp = await alice.post("/api/agents", json={
        "name": "Bad", "prompt": "greet", "allowed_tools": ["live__Nope!"]})
    assert resp.status == 400
    assert "allowed_tools" in (await resp.json())["error"]


def test_a_registered_tool_under_a_source_prefix_stops_start_up(make_app, source):
    clash = Greeting("live__static", "nobody")
    with pytest.raises(PluginError, match="live__"):
        make_app(ModelPlugin(tools=[clash]), LivePlugin(source),
                 disable_plugins=BUILTIN_PROVIDERS)


def test_two_sources_with_one_prefix_stop_start_up(make_app):
    class Other(LivePlugin):
        __name__ = "other_live"

    with pytest.raises(PluginError, match="both plugin"):
        make_app(LivePlugin(Live()), Other(Live()), disable_plugins=BUILTIN_PROVIDERS)
