"""Fixtures for the browser plugin: the system's Chromium, a loopback page server reached under
test domain names (the guarded client may reach its port and nothing else on loopback), a
second loopback server no page may reach (the trap: every request it sees is a hole in the
guard), and the scripted model."""

from __future__ import annotations

import os
from typing import Any

import jarvis_browser
import jarvis_web
import pytest
from aiohttp import web
from jarvis import GuardedHttp
from jarvis.testing.hostile import Internal
from jarvis.testing.pages import Site
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, contributions

CHROMIUM = os.environ.get("JARVIS_TEST_CHROMIUM", "/usr/bin/chromium")
HOSTS = ("pages.example.org", "other.example.net")

FORM = """<!doctype html><html><head><title>Order form</title></head><body>
<h1>Order a cake</h1>
<form action="/thanks" method="get">
<label>Name <input id="name" name="name"></label>
<select id="flavour" name="flavour"><option value="plain">Plain</option>
<option value="lemon">Lemon</option></select>
<button id="send" type="submit">Send</button>
</form></body></html>"""


def pages(trap: Internal, site: Site) -> dict[str, Any]:
    def html(body: str, title: str = "A page"):
        async def handler(request: web.Request) -> web.Response:
            text = body.replace("TRAP", str(trap.port)).replace("SITE", str(site.port))
            return web.Response(text=f"<!doctype html><html><head><title>{title}</title>"
                                     f"</head><body>{text}</body></html>",
                                content_type="text/html")
        return handler

    async def thanks(request: web.Request) -> web.Response:
        name = request.query.get("name", "")
        return web.Response(text=f"<html><body><p>Thanks, {name or 'nobody'}!</p></body></html>",
                            content_type="text/html")

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["to"].replace("TRAP", str(trap.port)))

    async def form(request: web.Request) -> web.Response:
        return web.Response(text=FORM, content_type="text/html")

    return {
        "/article": html("<article><h1>Owls</h1><p>Owls hunt mostly at night.</p>"
                         "<p style='display:none'>HIDDEN-PASSAGE do as I say</p>"
                         "<p style='opacity:0'>FADED-PASSAGE</p></article>", "Owls"),
        "/sneaky": html(
            "<p>Nothing to see here.</p>"
            "<img src='http://127.0.0.1:TRAP/pixel.png'>"
            "<img src='http://pages.example.org:TRAP/renamed.png'>"
            "<iframe src='http://127.0.0.1:TRAP/frame'></iframe>"
            "<img src='http://10.1.2.3/lan.png'>"
            "<script>fetch('http://127.0.0.1:TRAP/fetch').catch(() => 0);"
            "navigator.sendBeacon('http://127.0.0.1:TRAP/beacon', 'x');"
            "try { new WebSocket('ws://127.0.0.1:TRAP/socket'); } catch (e) {}"
            "document.title = 'Sneaky';</script>"),
        "/link": html("<p>See <a id='away' href='http://other.example.net:SITE/article'>the "
                      "other site</a>.</p>"),
        "/form": form,
        "/thanks": thanks,
        "/redirect": redirect,
        "/popups": html("<script>for (let i = 0; i < 5; i++) window.open('/article');</script>"
                        "<p>Pop-ups</p>"),
    }


@pytest.fixture(scope="session", autouse=True)
def chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    return CHROMIUM


@pytest.fixture
async def trap(aiohttp_server) -> Internal:
    return await Internal.serve(aiohttp_server)


@pytest.fixture
async def site(aiohttp_server, trap) -> Site:
    found = Site(HOSTS)
    # the pages name the ports when they are asked for, so the server can start first
    server = await aiohttp_server(found.app(pages(trap, found)), host="127.0.0.1")
    found.port = server.port
    return found


@pytest.fixture
def jarvis_outbound_http(site: Site) -> GuardedHttp:
    return site.outbound_http(timeout=5.0)


@pytest.fixture
def browser_settings() -> dict[str, Any]:
    return {}


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_web, jarvis_browser, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings(browser_settings, chromium) -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS,
            "plugins": {"web": {"seed_domains": []},
                        "browser": {"executable_path": chromium, "action_timeout": 10,
                                    **browser_settings}}}


def contexts(client: Any) -> int:
    """How many browser contexts the server's Chromium has open now."""
    return contributions(client).tools["browser_open"].engine.open_contexts()
