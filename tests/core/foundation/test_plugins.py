"""Plugin discovery, disabling, validation of hookimpls and duplicate contributions."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from jarvis import Access, Routes, Tool, Trigger, hookimpl
from jarvis.keys import REGISTRY
from jarvis.plugins import PluginError
from jarvis.testing.tools import answering_tool


def make_tool(tool_name: str) -> Tool:
    return answering_tool(tool_name, "echo", "Echo the text.", "{text}")


class ToolPlugin:
    def __init__(self, tool_name: str = "echo_text"):
        self.tool_name = tool_name

    @hookimpl
    def register_tools(self, settings):
        return [make_tool(self.tool_name)]


def route_plugin(path: str, access: Access = Access.ANON, name: str = "RoutePlugin"):
    routes = Routes()

    @routes.get(path, access=access)
    async def handler(request):
        return {"path": path}

    class RoutePlugin:
        @hookimpl
        def register_routes(self, settings):
            return routes

    return type(name, (RoutePlugin,), {})()


async def test_example_plugin_is_discovered_through_its_entry_point(make_client):
    client = await make_client(entrypoints=True)
    registry = client.app[REGISTRY]
    hello = registry.plugins["hello"]
    assert hello.distribution == "jarvis-hello"
    assert hello.tools == ["hello_greet"]
    assert "register_routes" in hello.hooks
    resp = await client.get("/api/hello", params={"name": "Ada"})
    assert resp.status == 200
    assert await resp.json() == {"greeting": "Hello, Ada!"}


async def test_capability_plugins_are_installed_entry_points(make_client):
    client = await make_client(entrypoints=True)
    names = set(client.app[REGISTRY].plugins)
    assert {"email", "telegram", "caldav", "web", "filesystem", "pushover"} <= names
    assert {"anthropic", "litellm"} <= names


async def test_disabled_plugin_contributes_nothing(make_client, monkeypatch):
    monkeypatch.setenv("JARVIS_DISABLE_PLUGINS", "hello, web")
    client = await make_client(entrypoints=True)
    registry = client.app[REGISTRY]
    assert "hello" not in registry.plugins and "web" not in registry.plugins
    assert "hello_greet" not in registry.tools
    resp = await client.get("/api/hello")
    assert resp.status == 404
    assert (await resp.json())["error"] == "not found"


async def test_example_plugin_settings_section_is_used(make_client):
    client = await make_client(entrypoints=True, plugins={"hello": {"greeting": "Ahoy"}})
    resp = await client.get("/api/hello")
    assert await resp.json() == {"greeting": "Ahoy, world!"}


def test_invalid_plugin_settings_name_plugin_and_field(make_app):
    with pytest.raises(Exception) as info:
        make_app(entrypoints=True, plugins={"hello": {"greeting": ""}})
    assert "plugin hello" in str(info.value)
    assert "plugins.hello.greeting" in str(info.value)


def test_misspelt_hookimpl_fails_startup(make_app):
    class Misspelt:
        @hookimpl
        def register_tool(self, settings):  # the hook is register_tools
            return []

    with pytest.raises(PluginError, match="register_tool"):
        make_app(Misspelt())


def test_duplicate_tool_names_fail_startup_naming_both_plugins(make_app):
    class First(ToolPlugin):
        pass

    class Second(ToolPlugin):
        pass

    with pytest.raises(PluginError) as info:
        make_app(First(), Second())
    message = str(info.value)
    assert "echo_text" in message and "First" in message and "Second" in message


def test_duplicate_route_fails_startup_naming_both_plugins(make_app):
    with pytest.raises(PluginError) as info:
        make_app(route_plugin("/api/same", name="One"), route_plugin("/api/same", name="Two"))
    assert str(info.value) == "route GET /api/same is registered by both plugin One and plugin Two"


def test_plugin_route_clashing_with_core_route_fails(make_app):
    with pytest.raises(PluginError, match="plugin core"):
        make_app(route_plugin("/api/status"))


def test_route_without_access_declaration_is_refused(make_app):
    async def bare(request):
        return web.json_response({})

    class Bare:
        @hookimpl
        def register_routes(self, settings):
            return [web.get("/api/bare", bare)]

    with pytest.raises(PluginError, match="does not declare who may call it"):
        make_app(Bare())


def test_bad_tool_name_is_refused(make_app):
    with pytest.raises(PluginError, match="must match"):
        make_app(ToolPlugin("Bad-Name"))


class CrashingTrigger(Trigger):
    name = "crashy"

    def __init__(self):
        self.starts = 0

    async def run(self, emit):
        self.starts += 1
        emit.status("running")
        await asyncio.sleep(0.01)
        raise ConnectionError(f"lost connection #{self.starts}")


async def test_crashing_trigger_restarts_while_server_keeps_serving(make_client):
    trigger = CrashingTrigger()

    class TriggerPlugin:
        @hookimpl
        def register_triggers(self, settings):
            return [trigger]

    client = await make_client(TriggerPlugin())
    for _ in range(200):
        if trigger.starts >= 3:
            break
        assert (await client.get("/health")).status == 200
        await asyncio.sleep(0.02)
    assert trigger.starts >= 3
    resp = await client.get("/health")
    assert await resp.json() == {"status": "ok"}
    from jarvis.routes.system import plugin_list

    row = next(p for p in plugin_list(client.app) if p["name"] == "TriggerPlugin")
    (state,) = row["triggers"]
    assert state["name"] == "crashy"
    assert state["restarts"] >= 2
    assert "lost connection" in state["last_error"]


async def test_event_hooks_run_and_a_failing_one_is_skipped(make_client):
    calls = []

    class Broken:
        @hookimpl
        def on_startup(self, context):
            raise RuntimeError("broken plugin")

    class Good:
        @hookimpl
        async def on_startup(self, context):
            calls.append("startup")
            assert context.name == "Good" and context.db is not None

        @hookimpl
        def on_shutdown(self, context):
            calls.append("shutdown")

    client = await make_client(Broken(), Good())
    assert calls == ["startup"]
    assert (await client.get("/health")).status == 200
    await client.close()
    assert calls == ["startup", "shutdown"]
