"""web_fetch through the runtime with a scripted model: Tier 1 pages run at once, other sites
ask in chat (once per site and session) and are refused headless unless ``web`` is granted."""

from __future__ import annotations

from typing import Any

import jarvis_web
import pytest
from jarvis.testing.chat import open_chat
from jarvis.testing.plugins import ModelPlugin, agent_run, plugin_context
from jarvis.testing.scripted import reply, tool_use


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_web, ModelPlugin(model)]


async def test_a_tier1_page_is_read_without_asking(admin_client, alice, site, model):
    await admin_client.post("/api/web-whitelist", json={"domain": "example.org"})
    model.script(tool_use("web_fetch", {"url": site.url("/article")}), reply("Owls hunt at night."))
    chat = await open_chat(alice)
    await chat.send(type="message", content="tell me about owls")
    frames = await chat.until("done", "confirmation_required")
    assert frames[-1]["type"] == "done"
    done = next(f for f in frames if f["type"] == "tool_done")
    assert done["success"] is True and done["confirmed"] is None
    [result] = model.tool_results()
    assert "Owls are birds of prey" in result.content
    assert "<<untrusted-data boundary=" in result.content


async def test_another_site_asks_once_per_site_in_a_chat_session(alice, site, model):
    model.script(tool_use("web_fetch", {"url": site.url("/article", host="other.example.net")}),
                 reply("Read it."),
                 tool_use("web_fetch", {"url": site.url("/plain", host="other.example.net")}),
                 reply("Read that too."))
    chat = await open_chat(alice)
    ask = await chat.asked("read other.example.net")
    assert ask["tool_name"] == "web_fetch"
    assert "other.example.net" in ask["description"]
    assert not site.visited("other.example.net")
    frames = await chat.answer(ask, approved=True)
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is True
    assert site.visited("other.example.net")
    await chat.send(type="message", content="and its plain page")
    frames = await chat.until("done", "confirmation_required")
    assert frames[-1]["type"] == "done", "the approval of example.net was not remembered"
    assert "just some text" in model.tool_results()[0].content


async def test_a_declined_site_is_not_fetched(alice, site, model):
    model.script(tool_use("web_fetch", {"url": site.url("/article", host="other.example.net")}),
                 reply("I did not read it."))
    chat = await open_chat(alice)
    ask = await chat.asked("read it")
    frames = await chat.answer(ask, approved=False)
    assert next(f for f in frames if f["type"] == "tool_done")["success"] is False
    assert not site.visited("other.example.net")


async def test_a_headless_run_is_refused_other_sites(alice, site, model):
    model.script(tool_use("web_fetch", {"url": site.url("/article", host="other.example.net")}),
                 reply("Could not read it."))
    outcome = await plugin_context(alice, "web").run(agent_run(alice.user))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert result.is_error and "refused" in result.content
    assert not site.visited("other.example.net")


async def test_a_headless_run_granted_web_may_fetch_other_sites(alice, site, model):
    model.script(tool_use("web_fetch", {"url": site.url("/article", host="other.example.net")}),
                 reply("Read it."))
    outcome = await plugin_context(alice, "web").run(agent_run(alice.user, allowed_tools=["web"]))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert not result.is_error
    assert "Owls are birds of prey" in result.content


async def test_a_headless_run_reads_tier1_pages_without_a_grant(admin_client, alice, site, model):
    await admin_client.post("/api/web-whitelist", json={"domain": "pages.example.org"})
    model.script(tool_use("web_fetch", {"url": site.url("/plain")}), reply("ok"))
    outcome = await plugin_context(alice, "web").run(agent_run(alice.user))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert not result.is_error and "just some text" in result.content


async def test_a_redirect_off_the_whitelist_is_refused_headless(admin_client, alice, site, model):
    await admin_client.post("/api/web-whitelist", json={"domain": "pages.example.org"})
    away = site.url("/article", host="other.example.net")
    model.script(tool_use("web_fetch", {"url": site.url(f"/redirect?to={away}")}), reply("ok"))
    outcome = await plugin_context(alice, "web").run(agent_run(alice.user))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert result.is_error and "not allowed" in result.content
    assert not site.visited("other.example.net")
