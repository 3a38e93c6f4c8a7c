"""A CalDAV server whose answers point elsewhere (a calendar-home-set on another host) cannot
make the plugin reach loopback or private hosts: every request, whatever built its URL, passes
the outbound guard when it connects, and no body from a refused host reaches the user."""

from __future__ import annotations

import pytest
from aiohttp import web
from jarvis.testing.hostile import Internal, serve_all
from jarvis.testing.plugins import allow_loopback, loopback_http, run_tool

from .conftest import save_settings

MULTISTATUS = """<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:response><d:href>{path}</d:href><d:propstat><d:prop>
    <d:current-user-principal><d:href>/principal/</d:href></d:current-user-principal>
    <c:calendar-home-set><d:href>{home}</d:href></c:calendar-home-set>
    <d:resourcetype><d:collection/></d:resourcetype>
  </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>"""


class Hostile:
    """Stands in for a public CalDAV server that points its calendar home at ``home``."""

    def __init__(self) -> None:
        self.home = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = MULTISTATUS.format(path=request.path, home=self.home)
        return web.Response(status=207, text=body, content_type="application/xml")


@pytest.fixture
def hostile() -> Hostile:
    return Hostile()


@pytest.fixture
def jarvis_outbound_http(hostile_port):
    """Only the hostile server is reachable (it plays a public host); the rest of loopback is
    the server's own and stays refused."""
    return loopback_http(hostile_port)


async def probe(client, hostile_port: int, login: tuple[str, str]) -> dict:
    await save_settings(client, {"server_url": f"http://127.0.0.1:{hostile_port}/",
                                 "username": login[0], "password": login[1]})
    resp = await client.post("/api/my/caldav/test")
    assert resp.status == 200
    return await resp.json()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::ffff:127.0.0.1]"])
async def test_a_home_set_on_loopback_does_not_reach_the_radicale_there(
        user_client, hostile, hostile_port, radicale, dav_user, host):
    hostile.home = f"http://{host}:{radicale.port}/{dav_user[0]}/"
    answer = await probe(user_client, hostile_port, dav_user)
    assert answer["ok"] is False and answer["calendars"] == []
    refused = f"connecting to http://127.0.0.1:{hostile_port} was refused: "
    assert answer["error"].startswith(refused)
    assert "loopback" in answer["error"]


async def test_an_internal_services_error_body_is_never_shown(
        user_client, aiohttp_server, hostile, hostile_port, dav_user):
    internal = Internal()
    port = await serve_all(aiohttp_server, internal.handle)
    hostile.home = f"http://localhost:{port}/admin/"
    answer = await probe(user_client, hostile_port, dav_user)
    assert answer["ok"] is False
    assert "INTERNAL-SECRET" not in answer["error"] and "C0FFEE" not in answer["error"]
    assert internal.requests == []
    listed = await run_tool(user_client, "caldav_list_events")
    assert not listed.ok and Internal.BODY not in listed.error
    assert internal.requests == []


async def test_closed_and_open_ports_look_the_same(user_client, aiohttp_server, hostile,
                                                   hostile_port, radicale, dav_user):
    """No port scanner: a listening and a closed loopback port give one answer."""
    errors = []
    for port in (radicale.port, 1):
        hostile.home = f"http://localhost:{port}/x/"
        errors.append((await probe(user_client, hostile_port, dav_user))["error"])
    assert errors[0] == errors[1]
    assert "refused" in errors[0]


async def test_an_error_of_the_users_own_server_shows_no_body(user_client, aiohttp_server,
                                                              dav_user):
    """Even the configured server's error bodies stay out: only the status is shown."""
    internal = Internal()
    port = await serve_all(aiohttp_server, internal.handle)
    allow_loopback(user_client, port)  # the configured server is reachable
    answer = await probe(user_client, port, dav_user)
    assert answer["ok"] is False and "HTTP 500" in answer["error"]
    assert Internal.BODY not in answer["error"]
