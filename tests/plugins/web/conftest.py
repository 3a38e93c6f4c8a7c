"""Fixtures for the web plugin: a loopback page server reached under test domain names, an app
whose guarded client may reach it, and tool contexts built by hand."""

from __future__ import annotations

import asyncio

import jarvis_web
import pytest
from aiohttp import web
from jarvis import GuardedHttp, ToolContext, UserRef
from jarvis.testing.apps import app_fixtures, settings_fixture
from jarvis.testing.pages import Handler, Site
from jarvis.testing.plugins import AnswerAsks, tool_context

# Names the page server answers under (all on loopback); none is whitelisted by default.
HOSTS = ("pages.example.org", "www.pages.example.org", "other.example.net", "evil-example.org",
         "pages.example.org.evil.test")

ARTICLE = """<!doctype html><html><head><title>Owls of the Forest</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>Owls</h1>
<p>Owls are birds of prey that hunt mostly at night. They have large eyes, a flat face and
can turn their heads a long way round. Most owls are solitary and live in forests.</p>
<p>The barn owl is found on every continent except Antarctica; read
<a href="https://en.wikipedia.org/wiki/Barn_owl">more about barn owls</a>.</p>
</article><footer>Copyright</footer></body></html>"""


def _pages() -> dict[str, Handler]:
    async def article(request: web.Request) -> web.Response:
        return web.Response(text=ARTICLE, content_type="text/html")

    async def plain(request: web.Request) -> web.Response:
        return web.Response(text="just some text\nline two", content_type="text/plain")

    async def big(request: web.Request) -> web.Response:
        words = " ".join(f"word{i}" for i in range(30_000))
        return web.Response(text=f"<html><body><p>START {words} END</p></body></html>",
                            content_type="text/html")

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.Response(text="late")

    async def image(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")

    async def missing(request: web.Request) -> web.Response:
        return web.Response(status=404, text="no such page")

    async def redirect(request: web.Request) -> web.Response:
        to = request.query["to"]
        raise web.HTTPFound(to)

    return {"/article": article, "/plain": plain, "/big": big, "/slow": slow, "/image": image,
            "/missing": missing, "/redirect": redirect}


@pytest.fixture
async def site(aiohttp_server) -> Site:
    found = Site(HOSTS)
    server = await aiohttp_server(found.app(_pages()), host="127.0.0.1")
    found.port = server.port
    return found


@pytest.fixture
def jarvis_outbound_http(site: Site) -> GuardedHttp:
    """The guarded client, allowed to reach the page server (and nothing else on loopback)."""
    return site.outbound_http(timeout=5.0)


web_settings = settings_fixture("web_settings")  # overrides of the app's settings
jarvis_plugins, jarvis_settings = app_fixtures(jarvis_web, "web_settings", model=False,
                                               whole=True)


def asking_context(app: web.Application, user: UserRef, *, approve: bool = False) -> ToolContext:
    """A chat run's ToolContext for ``user`` whose asks are answered ``approve``."""
    return tool_context(app, user, plugin="web", authorizer=AnswerAsks(app, approve))
