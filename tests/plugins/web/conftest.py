"""Fixtures for the web plugin: a loopback page server reached under test domain names, an app
whose guarded client may reach it, and tool contexts built by hand."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jarvis_web
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from jarvis.keys import OUTBOUND_HTTP, REGISTRY
from jarvis.policy import Decision, PolicyRequest, allow, combine, deny
from jarvis.security import GuardedHttp
from jarvis.tools import RunRef, ToolContext, UserRef

from tests.support.identity import start_client

NO_PROVIDERS = ["anthropic", "litellm"]
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


class LoopbackResolver(AbstractResolver):
    """Answers the test names with 127.0.0.1, anything else with 'no such host'."""

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        if host.rstrip(".").lower() not in HOSTS:
            raise OSError(f"no such host {host}")
        return [{"hostname": host, "host": "127.0.0.1", "port": port, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        return None


@dataclass
class Site:
    """The page server: what it serves and who asked for what."""

    port: int = 0
    hits: list[str] = field(default_factory=list)  # "host path" of every request

    def url(self, path: str = "/article", host: str = "pages.example.org") -> str:
        return f"http://{host}:{self.port}{path}"

    def hit(self, host: str) -> bool:
        return any(h.split(" ")[0] == host for h in self.hits)


def _routes(site: Site) -> web.Application:
    app = web.Application()

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        site.hits.append(f"{request.host.split(':')[0]} {request.path_qs}")
        return await handler(request)

    app.middlewares.append(record)

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

    for path, handler in [("/article", article), ("/plain", plain), ("/big", big),
                          ("/slow", slow), ("/image", image), ("/missing", missing),
                          ("/redirect", redirect)]:
        app.router.add_get(path, handler)
    return app


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """Cheaper key derivation for the vault's key: start-up speed, not what is tested here."""
    from jarvis.services import crypto

    monkeypatch.setattr(crypto, "SCRYPT_PARAMS", {"n": 2**14, "r": 8, "p": 1})


@pytest.fixture
async def site(aiohttp_server) -> Site:
    found = Site()
    server = await aiohttp_server(_routes(found), host="127.0.0.1")
    found.port = server.port
    return found


@pytest.fixture
def guarded(site: Site) -> GuardedHttp:
    """The guarded client, allowed to reach the page server (and nothing else on loopback)."""
    return GuardedHttp(allow_loopback_for_tests=[f"127.0.0.1:{site.port}"],
                       resolver=LoopbackResolver(), timeout=5.0)


@pytest.fixture
def web_settings() -> dict[str, Any]:
    """Settings overrides for the web app (override in a module)."""
    return {}


@pytest.fixture
def web_plugins() -> list[Any]:
    """The plugins of the web app (override in a module to add some)."""
    return [jarvis_web]


@pytest.fixture
async def web_client(make_app, guarded, web_settings, web_plugins):
    """An anonymous client of an app with the web plugin; its tools may reach the page server."""
    settings = {"disable_plugins": NO_PROVIDERS, **web_settings}
    app = make_app(*web_plugins, **settings)
    app[OUTBOUND_HTTP] = guarded
    client = await start_client(app)
    yield client
    await client.close()


@pytest.fixture
async def admin(web_client):
    return await web_client.as_user("admin")


@pytest.fixture
async def alice(web_client):
    return await web_client.as_user("user", username="alice")


@pytest.fixture
async def bob(web_client):
    return await web_client.as_user("user", username="bob")


async def decide(app: web.Application, request: PolicyRequest, ctx: ToolContext) -> Decision:
    """What the plugin's policies say about one request (combined as the runtime does)."""
    found = app[REGISTRY].policies.get(request.resource, [])
    return combine([await policy.check(request, ctx) for policy in found])


class Asks:
    """A stand-in for the runtime's authorizer: runs the policies and answers every ask with
    ``approve`` (the user in chat), recording what was asked."""

    def __init__(self, app: web.Application, approve: bool):
        self.app = app
        self.approve = approve
        self.seen: list[tuple[str, Decision]] = []

    async def __call__(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        decision = await decide(self.app, request, ctx)
        self.seen.append((str(request.value), decision))
        if decision.verdict == "ask":
            return allow("confirmed") if self.approve else deny("not confirmed")
        return decision


def tool_context(app: web.Application, user: UserRef, *, approve: bool = False,
                 kind: str = "chat") -> ToolContext:
    """A ToolContext as the runtime would build it for ``user``."""
    return ToolContext(user=user, run=RunRef("run-1", kind), app=app, credentials=None,
                       http=app[OUTBOUND_HTTP], user_folder=Path("/nonexistent"),
                       authorizer=Asks(app, approve))
