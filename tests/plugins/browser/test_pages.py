"""Reading pages: the visible text only, as untrusted data; screenshots reach the chat as
images; the limits of one run (pages, time) hold; a missing Chromium is said in words."""

from __future__ import annotations

import base64

import pytest
from jarvis.testing.chat import of_type, open_chat
from jarvis.testing.plugins import agent_run, plugin_context
from jarvis.testing.scripted import reply, tool_use


async def whitelist(admin_client) -> None:
    resp = await admin_client.post("/api/web-whitelist", json={"domain": "example.org"})
    assert resp.status == 201


async def test_a_tier1_page_is_read_as_a_reader_sees_it(admin_client, alice, site, model):
    await whitelist(admin_client)
    model.script(tool_use("browser_open", {"url": site.url("/article")}), reply("Owls."))
    chat = await open_chat(alice)
    frames = await chat.say("read about owls")
    assert of_type(frames, "confirmation_required") == []
    [result] = model.tool_results()
    assert "Title: Owls" in result.content and "Owls hunt mostly at night." in result.content
    assert "HIDDEN-PASSAGE" not in result.content and "FADED-PASSAGE" not in result.content
    assert "2 passage(s) hidden from readers" in result.content
    assert result.content.startswith("<<untrusted-data boundary=")


async def test_another_site_asks_in_chat_and_is_refused_headless(alice, site, model):
    url = site.url("/article", host="other.example.net")
    model.script(tool_use("browser_open", {"url": url}), reply("No."))
    chat = await open_chat(alice)
    await chat.send(type="message", content="read it")
    ask = (await chat.until("confirmation_required"))[-1]
    assert ask["tool_name"] == "browser_open" and "other.example.net" in ask["description"]
    await chat.send(type="confirm", call_id=ask["call_id"], approved=False)
    await chat.until("done")
    model.script(tool_use("browser_open", {"url": url}), reply("No."))
    await plugin_context(alice, "browser").run(agent_run(alice.user))
    assert "refused" in model.tool_results()[0].content
    assert site.visited("other.example.net") == []


async def test_a_screenshot_reaches_the_chat_as_an_image(admin_client, alice, site, model):
    await whitelist(admin_client)
    model.script(tool_use("browser_open", {"url": site.url("/article")}),
                 tool_use("browser_screenshot", {}), reply("Here it is."))
    chat = await open_chat(alice)
    frames = await chat.say("show me")
    [shown] = of_type(frames, "images")
    [image] = shown["images"]
    assert image["media_type"] == "image/png"
    assert base64.b64decode(image["data"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert "was shown to the user" in model.tool_results()[0].content
    assert image["data"] not in model.tool_results()[0].content


@pytest.mark.parametrize("browser_settings", [{"max_pages": 2}])
async def test_a_run_opens_at_most_max_pages(admin_client, alice, site, model):
    await whitelist(admin_client)
    model.script(*[tool_use("browser_open", {"url": site.url("/article"), "new_tab": True})
                   for _ in range(3)], reply("Done."))
    await plugin_context(alice, "browser").run(agent_run(alice.user))
    [result] = model.tool_results()
    assert result.is_error and "opened 2 pages, the most it may" in result.content


@pytest.mark.parametrize("browser_settings", [{"max_pages": 2}])
async def test_pop_ups_count_towards_the_page_limit(admin_client, alice, site, model):
    await whitelist(admin_client)
    model.script(tool_use("browser_open", {"url": site.url("/popups")}),
                 tool_use("browser_open", {"url": site.url("/article"), "new_tab": True}),
                 reply("Done."))
    await plugin_context(alice, "browser").run(agent_run(alice.user))
    [result] = model.tool_results()
    assert result.is_error and "the most it may" in result.content


@pytest.mark.parametrize("browser_settings", [{"executable_path": "/nonexistent/chromium"}])
async def test_a_missing_chromium_is_said_in_words(admin_client, alice, site, model):
    await whitelist(admin_client)
    model.script(tool_use("browser_open", {"url": site.url("/article")}), reply("No."))
    await plugin_context(alice, "browser").run(agent_run(alice.user))
    [result] = model.tool_results()
    assert result.is_error and "Chromium is not installed at /nonexistent/chromium" in \
        result.content
    assert site.visited("pages.example.org") == []


@pytest.mark.parametrize("browser_settings", [{"run_seconds": 0.001}])
async def test_a_run_keeps_its_browser_no_longer_than_run_seconds(admin_client, alice, site,
                                                                  model):
    await whitelist(admin_client)
    model.script(tool_use("browser_open", {"url": site.url("/article")}),
                 tool_use("browser_read", {}), reply("No."))
    await plugin_context(alice, "browser").run(agent_run(alice.user))
    [result] = model.tool_results()
    assert result.is_error and "browser time is used up (0.001 s)" in result.content
    assert site.visited("pages.example.org") == []
