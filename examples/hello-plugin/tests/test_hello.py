"""Tests of the example plugin, written as a third-party plugin's tests would be: the fixtures
(make_app, make_client, user_client, ...) come with Jarvis, and the model is the scripted fake."""

from __future__ import annotations

import asyncio

import jarvis_hello
import pytest
from jarvis.testing.clients import create_user, running
from jarvis.testing.plugins import (
    BUILTIN_PROVIDERS,
    ModelPlugin,
    agent_run,
    plugin_context,
    trigger_state,
)
from jarvis.testing.scripted import reply, tool_use


@pytest.fixture
def jarvis_plugins(model):
    return [jarvis_hello, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings():
    return {"disable_plugins": BUILTIN_PROVIDERS,
            "plugins": {"hello": {"greeting": "Ahoy", "blocked_names": ["Mallory"]}}}


async def test_routes(anon_client, user_client):
    resp = await anon_client.get("/api/hello", params={"name": "Ada"})
    assert await resp.json() == {"greeting": "Ahoy, Ada!"}
    assert (await anon_client.get("/api/hello/me")).status == 401
    resp = await user_client.get("/api/hello/me")
    assert await resp.json() == {"greeting": "Ahoy, user!"}


async def test_the_settings_panel_is_drawn_from_the_greeting_route(user_client):
    panels = await (await user_client.get("/api/ui/panels")).json()
    hello = next(p for p in panels if p["id"] == "hello")
    (section,) = hello["sections"]
    assert (section["kind"], section["method"], section["path"]) == ("action", "GET", "/api/hello")
    assert section["input_schema"]["properties"]["name"]["default"] == "world"


async def test_the_agent_greets_through_the_tool(user_client, model):
    model.script(tool_use("hello_greet", {"name": "Ada"}), reply("Done."))
    hello = plugin_context(user_client, "hello")
    outcome = await hello.run(agent_run(user_client.user, "Greet Ada.", allowed_tools=["hello"]))
    assert outcome.status == "done" and outcome.tool_calls == 1
    tool_result = model.requests[1].messages[-1].content[0]
    assert "Ahoy, Ada!" in tool_result.content and not tool_result.is_error


async def test_the_policy_denies_a_blocked_name(user_client, model):
    model.script(tool_use("hello_greet", {"name": "mallory"}), reply("I may not."))
    request = agent_run(user_client.user, "Greet Mallory.", allowed_tools=["hello"])
    outcome = await plugin_context(user_client, "hello").run(request)
    tool_result = model.requests[1].messages[-1].content[0]
    assert tool_result.is_error
    assert "blocked list" in tool_result.content
    assert outcome.text == "I may not."


async def test_the_ticker_trigger_starts_runs(make_app, model):
    async with running(make_app()) as first:
        owner = await create_user(first, "owner")
    model.script(reply("Hello, world!"), reply("Hello again!"))
    app = make_app(jarvis_hello, ModelPlugin(model), disable_plugins=BUILTIN_PROVIDERS,
                   plugins={"hello": {"ticker_seconds": 0.05, "ticker_user_id": owner.id}})
    async with running(app):
        (ticker,) = plugin_context(app, "hello").triggers
        for _ in range(200):
            if len(ticker.outcomes) >= 2:
                break
            await asyncio.sleep(0.05)
        assert [o.text for o in ticker.outcomes[:2]] == ["Hello, world!", "Hello again!"]
        assert trigger_state(app, "hello-ticker")["state"] == "running"


async def test_the_ticker_is_off_by_default(anon_client):
    for _ in range(100):
        state = trigger_state(anon_client, "hello-ticker")
        if state["state"] == "stopped":
            break
        await asyncio.sleep(0.01)
    assert state["state"] == "stopped"
    assert "ticker_seconds" in state["detail"]
