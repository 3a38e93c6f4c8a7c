"""The test kit's own helpers: the loopback allowance (an app gets a client that may reach a
test's loopback server before it starts, a running app's own client is widened in place, its
state staying frozen, and no other loopback port opens), and the API shortcuts."""

from __future__ import annotations

import warnings

import pytest
from jarvis.testing.clients import expect, make_agent, running
from jarvis.testing.hostile import Internal
from jarvis.testing.plugins import allow_loopback, loopback_http, plugin_context, use_outbound_http


async def fetch_status(client, url: str) -> int | str:
    try:
        return (await plugin_context(client, "core").http.fetch(url)).status
    except Exception as err:  # the guard's refusal, as the tools see it
        return str(err)


async def test_a_running_app_is_allowed_one_more_server_and_no_other(make_app, aiohttp_server):
    first, second = await Internal.serve(aiohttp_server), await Internal.serve(aiohttp_server)
    first_port, second_port = first.port, second.port
    app = make_app()
    allow_loopback(app, first_port)
    async with running(app) as client:
        assert await fetch_status(client, f"http://127.0.0.1:{first_port}/") == 500
        refused = await fetch_status(client, f"http://127.0.0.1:{second_port}/")
        assert "loopback" in str(refused) and second.requests == []
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no change of a started app's state
            http = allow_loopback(client, second_port)
        assert http is plugin_context(client, "core").http
        assert await fetch_status(client, f"http://127.0.0.1:{second_port}/") == 500
        assert await fetch_status(client, f"http://127.0.0.1:{first_port}/") == 500
        assert len(first.requests) == 2 and len(second.requests) == 1


async def test_a_running_app_keeps_its_client(make_app):
    async with running(make_app()) as client:
        with pytest.raises(RuntimeError, match="allow_loopback"):
            use_outbound_http(client, loopback_http())
        with pytest.raises(TypeError, match="timeout"):
            allow_loopback(client, 1234, timeout=3.0)


async def test_expect_checks_the_status_and_make_agent_makes_one(user_client):
    agent = await make_agent(user_client, "Inbox", prompt="Sort the mail.")
    listed = await expect(await user_client.get("/api/agents"))
    assert [(a["id"], a["name"], a["prompt"]) for a in listed] == [
        (agent["id"], "Inbox", "Sort the mail.")]
    with pytest.raises(AssertionError, match=r"expected HTTP 200, got 404: .*not found"):
        await expect(await user_client.get(f"/api/agents/{'0' * 32}"))
