"""A CardDAV server whose answers point elsewhere (a principal or address book on loopback, a
card's href at a private address) cannot make the plugin reach them: every connection passes
the outbound guard, the password goes to the configured server only, and no server's body
reaches the user."""

from __future__ import annotations

import pytest
from aiohttp import web
from jarvis.testing.hostile import Internal
from jarvis.testing.plugins import allow_loopback, loopback_http, run_tool

from .conftest import save_settings

PROPS = """<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
  <d:response><d:href>{path}</d:href><d:propstat><d:prop>
    <d:current-user-principal><d:href>{principal}</d:href></d:current-user-principal>
    <card:addressbook-home-set><d:href>{home}</d:href></card:addressbook-home-set>
    <d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>
    <d:displayname>Book</d:displayname>
  </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>"""
CARDS = """<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
  <d:response><d:href>{card}</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag>
    <card:address-data>BEGIN:VCARD
VERSION:3.0
UID:victim
FN:Victim
END:VCARD
</card:address-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>"""


class Hostile:
    """Plays a public CardDAV server whose answers name ``principal``, ``home`` or ``card``."""

    def __init__(self) -> None:
        self.principal, self.home, self.card = "/principal/", "/home/", "/home/victim.vcf"
        self.requests: list[str] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(f"{request.method} {request.path}")
        body = CARDS if request.method == "REPORT" else PROPS
        text = body.format(path=request.path, principal=self.principal, home=self.home,
                           card=self.card)
        return web.Response(status=207, text=text, content_type="application/xml")


@pytest.fixture
def hostile() -> Hostile:
    return Hostile()


@pytest.fixture
async def internal(aiohttp_server) -> Internal:
    return await Internal.serve(aiohttp_server)


@pytest.fixture
def jarvis_outbound_http(hostile_port):
    """Only the hostile server is reachable (it plays a public host)."""
    return loopback_http(hostile_port)


@pytest.fixture
async def victim(alice, hostile_port):
    await save_settings(alice, f"http://127.0.0.1:{hostile_port}/", ("alice", "pw-secret"))
    return alice


@pytest.mark.parametrize("field", ["principal", "home"])
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::ffff:127.0.0.1]"])
async def test_an_href_on_loopback_is_refused(victim, hostile, hostile_port, internal, field,
                                              host):
    setattr(hostile, field, f"http://{host}:{internal.port}/secret/")
    result = await run_tool(victim, "contacts_list")
    assert not result.ok
    assert result.error.startswith(f"connecting to http://127.0.0.1:{hostile_port} was refused")
    assert "loopback" in result.error
    assert internal.requests == []


async def test_a_card_href_at_a_private_address_is_never_written(victim, hostile, internal):
    hostile.card = "http://10.1.2.3/admin/victim.vcf"
    result = await run_tool(victim, "contacts_update", uid="victim", note="pwned")
    assert not result.ok and "refused" in result.error and "private" in result.error
    assert not any(r.startswith("PUT") for r in hostile.requests)


async def test_the_password_goes_to_no_other_host(victim, hostile, internal):
    """Even a host the guard lets through (here: the test allowance) gets no password."""
    hostile.home = f"http://127.0.0.1:{internal.port}/home/"
    allow_loopback(victim)  # every loopback port plays a public host
    result = await run_tool(victim, "contacts_list")
    assert not result.ok and "HTTP 500" in result.error
    assert Internal.BODY not in result.error
    assert internal.requests and all("Authorization" not in r for r in internal.requests)
