"""Every request of a page goes through the outbound guard: nothing reaches loopback (another
port, or a test name resolving there), a private address, or a WebSocket; redirects too."""

from __future__ import annotations

from jarvis.testing.hostile import Internal
from jarvis.testing.plugins import agent_run, plugin_context
from jarvis.testing.scripted import reply, tool_use


async def test_a_page_reaching_for_loopback_is_stopped_at_each_request(admin_client, alice,
                                                                      site, trap, model):
    await admin_client.post("/api/web-whitelist", json={"domain": "example.org"})
    model.script(tool_use("browser_open", {"url": site.url("/sneaky")}), reply("Seen."))
    outcome = await plugin_context(alice, "browser").run(agent_run(alice.user))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert not result.is_error, result.content
    assert "Nothing to see here." in result.content
    assert site.visited("pages.example.org") == ["pages.example.org /sneaky"]
    assert trap.requests == []  # no image, frame, fetch, beacon or socket got there
    for blocked in ("/pixel.png", "/renamed.png", "/frame", "10.1.2.3/lan.png"):
        assert blocked in result.content, result.content
    assert "a loopback address" in result.content
    assert "a private address" in result.content
    assert Internal.BODY not in result.content


async def test_a_redirect_to_loopback_is_refused(admin_client, alice, site, trap, model):
    await admin_client.post("/api/web-whitelist", json={"domain": "example.org"})
    url = site.url("/redirect?to=http://127.0.0.1:TRAP/admin")
    model.script(tool_use("browser_open", {"url": url}), reply("No."))
    outcome = await plugin_context(alice, "browser").run(
        agent_run(alice.user, allowed_tools=["browser"]))
    assert outcome.status == "done"
    [result] = model.tool_results()
    assert result.is_error and "a loopback address" in result.content, result.content
    assert trap.requests == []


async def test_a_redirect_off_the_whitelist_is_refused_headless(admin_client, alice, site,
                                                                model):
    await admin_client.post("/api/web-whitelist", json={"domain": "pages.example.org"})
    away = site.url("/article", host="other.example.net")
    model.script(tool_use("browser_open", {"url": site.url(f"/redirect?to={away}")}),
                 reply("No."))
    await plugin_context(alice, "browser").run(agent_run(alice.user))
    [result] = model.tool_results()
    assert result.is_error and "not allowed" in result.content
    assert site.visited("other.example.net") == []


async def test_a_literal_loopback_address_is_refused_before_the_browser_starts(alice, trap,
                                                                               model):
    model.script(tool_use("browser_open", {"url": f"http://127.0.0.1:{trap.port}/"}),
                 reply("No."))
    await plugin_context(alice, "browser").run(agent_run(alice.user, allowed_tools=["browser"]))
    [result] = model.tool_results()
    assert result.is_error
    assert trap.requests == []
