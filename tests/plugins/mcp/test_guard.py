"""The SDK's HTTP client behind the outbound guard: refused addresses are never connected to,
allowed ones are reached at the checked address with the Host header of the URL."""

from __future__ import annotations

import pytest
from aiohttp import web
from jarvis import OutboundPolicy, OutboundRefused
from jarvis_mcp.guard import client_factory


@pytest.fixture
async def echo_host(aiohttp_server):
    seen: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Host", ""))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = await aiohttp_server(app, host="127.0.0.1")
    return server, seen


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"])
async def test_loopback_is_refused_without_the_test_allowance(echo_host, host):
    server, seen = echo_host
    async with client_factory(OutboundPolicy())() as http:
        with pytest.raises(OutboundRefused):
            await http.get(f"http://{host}:{server.port}/mcp")
    assert seen == []  # nothing reached the server


async def test_an_allowed_address_is_reached_with_its_host_header(echo_host):
    server, seen = echo_host
    policy = OutboundPolicy(allow_loopback_for_tests=[f"127.0.0.1:{server.port}"])
    async with client_factory(policy)() as http:
        resp = await http.get(f"http://127.0.0.1:{server.port}/mcp")
        assert resp.status_code == 200
        with pytest.raises(OutboundRefused):  # another port of the same host is not allowed
            await http.get(f"http://127.0.0.1:{server.port + 1}/mcp")
    assert seen == [f"127.0.0.1:{server.port}"]


async def test_metadata_and_private_networks_are_refused():
    async with client_factory(OutboundPolicy())() as http:
        for url in ("http://169.254.169.254/latest/meta-data", "http://10.1.2.3/mcp",
                    "http://metadata.google.internal/"):
            with pytest.raises(OutboundRefused):
                await http.get(url)
