"""Acting on a page: in chat each action on a site the user does not trust waits for the user;
a trusted site needs no confirmation; a headless run needs its agent granted the browser."""

from __future__ import annotations

from jarvis.testing.chat import of_type, open_chat
from jarvis.testing.plugins import agent_run, plugin_context
from jarvis.testing.scripted import reply, tool_use

from .conftest import contexts


def order(model, site, name: str = "Alice") -> None:
    model.script(tool_use("browser_open", {"url": site.url("/form")}),
                 tool_use("browser_fill", {"selector": "#name", "value": name}),
                 tool_use("browser_select", {"selector": "#flavour", "value": "lemon"}),
                 tool_use("browser_click", {"selector": "#send"}),
                 reply("Ordered."))


def thanks(site) -> list[str]:
    return [h for h in site.visited("pages.example.org") if " /thanks" in h]


async def whitelist(admin_client) -> None:
    resp = await admin_client.post("/api/web-whitelist", json={"domain": "example.org"})
    assert resp.status == 201


async def ordering(admin_client, alice, site, model):
    """A chat in which the model has just been asked to order a cake on the whitelisted site."""
    await whitelist(admin_client)
    order(model, site)
    chat = await open_chat(alice)
    await chat.send(type="message", content="order a lemon cake for Alice")
    return chat


async def test_a_form_is_filled_only_after_the_user_confirms(admin_client, alice, site, model):
    chat = await ordering(admin_client, alice, site, model)
    asks = []
    for _ in range(3):
        ask = (await chat.until("confirmation_required"))[-1]
        asks.append(ask)
        assert thanks(site) == [], "the form went off before every action was confirmed"
        await chat.send(type="confirm", call_id=ask["call_id"], approved=True)
    frames = await chat.until("done")
    assert [a["tool_name"] for a in asks] == ["browser_fill", "browser_select", "browser_click"]
    assert "fill #name with 'Alice'" in asks[0]["description"]
    assert "pages.example.org" in asks[0]["description"]
    assert all(f["success"] for f in of_type(frames, "tool_done"))
    assert thanks(site) == ["pages.example.org /thanks?name=Alice&flavour=lemon"]
    assert "Thanks, Alice!" in model.tool_results()[0].content


async def test_a_declined_fill_leaves_the_field_empty(admin_client, alice, site, model):
    chat = await ordering(admin_client, alice, site, model)
    frames = []
    for approved in (False, True, True):
        frames += await chat.until("confirmation_required")
        await chat.send(type="confirm", call_id=frames[-1]["call_id"], approved=approved)
    frames += await chat.until("done")
    fill = of_type(frames, "tool_done")[1]
    assert fill["tool_name"] == "browser_fill" and fill["success"] is False
    assert thanks(site) == ["pages.example.org /thanks?name=&flavour=lemon"]


async def test_a_trusted_site_needs_no_confirmation(admin_client, alice, site, model):
    await whitelist(admin_client)
    resp = await alice.post("/api/my/browser-trusted", json={"domain": "pages.example.org"})
    assert resp.status == 201
    order(model, site)
    chat = await open_chat(alice)
    frames = await chat.say("order")
    assert of_type(frames, "confirmation_required") == []
    assert thanks(site) == ["pages.example.org /thanks?name=Alice&flavour=lemon"]


async def test_bobs_trust_is_not_alices(admin_client, alice, bob, site, model):
    await whitelist(admin_client)
    assert (await bob.post("/api/my/browser-trusted",
                           json={"domain": "pages.example.org"})).status == 201
    order(model, site)
    chat = await open_chat(alice)
    await chat.send(type="message", content="order")
    ask = (await chat.until("confirmation_required"))[-1]
    assert ask["tool_name"] == "browser_fill"
    await chat.send(type="confirm", call_id=ask["call_id"], approved=False)


async def test_a_headless_run_acts_only_when_granted(admin_client, alice, site, model):
    await whitelist(admin_client)
    assert (await alice.post("/api/my/browser-trusted",
                             json={"domain": "pages.example.org"})).status == 201
    order(model, site)
    outcome = await plugin_context(alice, "browser").run(agent_run(alice.user))
    assert outcome.status == "done"
    assert thanks(site) == []  # even on a trusted site: no one is there to confirm
    assert site.visited("pages.example.org") == ["pages.example.org /form"]
    order(model, site, name="Bea")
    outcome = await plugin_context(alice, "browser").run(
        agent_run(alice.user, allowed_tools=["browser"]))
    assert outcome.status == "done"
    assert thanks(site) == ["pages.example.org /thanks?name=Bea&flavour=lemon"]


async def test_a_link_to_another_site_asks_before_the_browser_goes(admin_client, alice, site,
                                                                   model):
    await admin_client.post("/api/web-whitelist", json={"domain": "pages.example.org"})
    assert (await alice.post("/api/my/browser-trusted",
                             json={"domain": "pages.example.org"})).status == 201
    model.script(tool_use("browser_open", {"url": site.url("/link")}),
                 tool_use("browser_click", {"selector": "#away"}), reply("Stayed."))
    chat = await open_chat(alice)
    await chat.send(type="message", content="follow the link")
    ask = (await chat.until("confirmation_required"))[-1]
    assert ask["tool_name"] == "browser_click"
    assert "web.url" in ask["description"] and "other.example.net" in ask["description"]
    await chat.send(type="confirm", call_id=ask["call_id"], approved=False)
    await chat.until("done")
    assert site.visited("other.example.net") == []


async def test_the_runs_browser_context_is_closed_after_the_run(admin_client, alice, site,
                                                               model):
    await whitelist(admin_client)
    model.script(tool_use("browser_open", {"url": site.url("/article")}), reply("Read."))
    chat = await open_chat(alice)
    frames = await chat.say("read it")
    assert of_type(frames, "tool_done")[0]["success"] is True
    from jarvis.testing.polling import eventually

    await eventually(lambda: contexts(alice) == 0)
    model.script(tool_use("browser_read", {}), reply("Nothing."))
    await chat.say("read it again")  # a new run starts with no page open
    assert "open one with browser_open first" in model.tool_results()[0].content
