"""Each plugin gets its own PluginContext: in its hooks, its routes, its tools, its triggers and
its tool sources; before the app is built only its settings and state are there."""

from __future__ import annotations

import asyncio

import pytest
from jarvis import (
    Access,
    PluginContext,
    Routes,
    Tool,
    ToolResult,
    ToolSource,
    Trigger,
    hookimpl,
    plugin_context,
)
from jarvis.testing.plugins import contributions, run_tool, trigger_state
from jarvis.testing.plugins import plugin_context as context_of
from pydantic import BaseModel


class NoteSettings(BaseModel):
    word: str = "plain"


class Seen(BaseModel):
    plugin: str
    word: str
    stored: str | None


class NoInput(BaseModel):
    pass


class WhoAmI(Tool):
    group = "who"
    description = "Say which plugin's context the tool got."
    Input = NoInput

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    async def run(self, args, ctx):
        return ToolResult(content=f"{ctx.context.name}:{ctx.context.state['started']}")


class Waits(Trigger):
    def __init__(self, name: str):
        self.name = name
        self.context: PluginContext | None = None

    async def run(self, emit):
        self.context = emit.context
        emit.status("running", f"owned by {emit.context.name}")
        await asyncio.Event().wait()


class Nothing(ToolSource):
    name = "nothing"
    prefix = "nothing__"

    async def tools(self, context, user, run):
        return []


class Plugin:
    """A plugin with a route, a tool, a trigger and a state of its own."""

    def __init__(self, name: str, source: bool = False):
        self.__name__ = name
        self.source = source
        self.routes = Routes(name)
        self.early: list[str] = []

        @self.routes.get(f"/api/{name}/seen", access=Access.USER, response=Seen)
        async def seen(request):
            context = plugin_context(request)
            stored = await context.vault.get(f"system:{context.name}_token")
            return Seen(plugin=context.name, word=context.plugin_settings(NoteSettings).word,
                        stored=stored)

    @hookimpl
    def register_tools(self, context):
        try:
            context.db  # noqa: B018 - not built yet
        except RuntimeError as err:
            self.early.append(str(err))
        context.state["settings"] = context.plugin_settings(NoteSettings)
        return [WhoAmI(f"{self.__name__}_who")]

    @hookimpl
    def register_routes(self):
        return self.routes

    @hookimpl
    def register_triggers(self, context):
        return [Waits(f"{self.__name__}-waits")]

    @hookimpl
    def register_tool_sources(self):
        return [Nothing()] if self.source else []

    @hookimpl
    async def on_startup(self, context):
        context.state["started"] = context.name
        await context.vault.put(f"system:{context.name}_token", f"{context.name}-secret")


@pytest.fixture
def jarvis_plugins():
    return [Plugin("north", source=True), Plugin("south")]


@pytest.fixture
def jarvis_settings():
    return {"plugins": {"north": {"word": "cold"}, "south": {"word": "warm"}}}


async def test_a_route_reaches_its_own_plugins_context(user_client):
    north = await (await user_client.get("/api/north/seen")).json()
    south = await (await user_client.get("/api/south/seen")).json()
    assert north == {"plugin": "north", "word": "cold", "stored": "north-secret"}
    assert south == {"plugin": "south", "word": "warm", "stored": "south-secret"}


async def test_a_tool_gets_its_plugins_context_and_state(user_client):
    assert (await run_tool(user_client, "north_who")).content == "north:north"
    assert (await run_tool(user_client, "south_who")).content == "south:south"
    assert context_of(user_client, "north").state["settings"].word == "cold"


async def test_a_trigger_gets_its_plugins_context_and_the_plugin_finds_its_trigger(anon_client):
    north = context_of(anon_client, "north")
    (waits,) = north.triggers
    assert north.own(Waits) is waits and north.own(Nothing) is north.tool_sources[0]
    assert context_of(anon_client, "south").own(Nothing) is None
    for _ in range(200):
        if trigger_state(anon_client, "north-waits")["state"] == "running":
            break
        await asyncio.sleep(0.01)
    assert trigger_state(anon_client, "north-waits")["detail"] == "owned by north"
    assert waits.context is north


async def test_before_the_app_is_built_only_settings_and_state_are_there(make_app):
    plugin = Plugin("early")
    app = make_app(plugin)
    assert plugin.early and "not built yet" in plugin.early[0]
    assert contributions(app).tools["early_who"].plugin == "early"
