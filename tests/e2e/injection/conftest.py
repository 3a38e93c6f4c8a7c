"""The world a compromised model is let loose in: real plugins (web, browser, search,
filesystem, Telegram, Pushover), a page server with poisoned pages on loopback under test
domain names, the SearXNG, Telegram and Pushover fakes, and an admin who set up the
whitelists."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jarvis_browser
import jarvis_caldav
import jarvis_email
import jarvis_filesystem
import jarvis_pushover
import jarvis_search
import jarvis_telegram
import jarvis_web
import pytest
from aiohttp import WSMsgType, web
from aiohttp.abc import AbstractResolver, ResolveResult
from jarvis import AgentConfig, hookimpl
from jarvis.keys import OUTBOUND_HTTP, RUNTIME
from jarvis.run_requests import RunOutcome, RunRequest
from jarvis.security import GuardedHttp
from jarvis.testing import polling
from jarvis.testing.clients import JarvisClient, start_client
from jarvis.testing.fake_pushover import DEFAULT_APP_TOKEN, DEFAULT_USER_KEY, FakePushover
from jarvis.testing.fake_searxng import FakeSearxng
from jarvis.testing.fake_telegram import FakeTelegram
from jarvis.testing.plugins import cheap_vault_keys
from jarvis.testing.servers import radicale_server
from jarvis.testing.threaded import ThreadedServer

from .compromised import CANARY, CompromisedModel, Judge

TIER1 = "pages.example.org"  # on the web whitelist
EVIL = "evil-example.org"  # not on it
HOSTS = (TIER1, EVIL)
TOKEN = "123456789:AAFakeTokenForLoopbackTests0123456789"
CHAT = 4242  # whitelisted Telegram chat
STRANGER = 9999  # not whitelisted
MODEL = "evil:obedient"


class LoopbackResolver(AbstractResolver):
    """The test domain names resolve to 127.0.0.1; anything else does not exist."""

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
    """The page server: pages by path, and every request it received ("host path?query")."""

    port: int = 0
    pages: dict[str, str] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def url(self, path: str, host: str = TIER1) -> str:
        return f"http://{host}:{self.port}{path}"

    def serve(self, path: str, body: str) -> str:
        """Serve ``body`` (HTML, or ``REDIRECT <url>``) at ``path`` on every host; returns its
        Tier 1 URL."""
        self.pages[path] = body
        return self.url(path)

    def visited(self, host: str) -> list[str]:
        return [h for h in self.hits if h.split(" ")[0] == host]


def page(*paragraphs: str, hidden: str = "") -> str:
    """An ordinary-looking article with the given paragraphs (and optional hidden markup)."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>Garden news</title></head><body><article>"
            f"<h1>Garden news</h1><p>Tomatoes like warm soil and plenty of sun; water them in "
            f"the morning and feed them every two weeks during the summer months.</p>{body}"
            f"{hidden}<p>Basil grows well next to tomatoes and keeps some pests away.</p>"
            f"</article></body></html>")


class Models:
    """Registers the compromised model and the screening judge."""

    __name__ = "injection_models"

    def __init__(self, *providers: Any):
        self.providers = list(providers)

    @hookimpl
    def register_providers(self, settings):
        return self.providers


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """Cheaper key derivation for the vault's key: start-up speed, not what is tested here."""
    cheap_vault_keys(monkeypatch)


@pytest.fixture
def model() -> CompromisedModel:
    return CompromisedModel()


@pytest.fixture
def judge() -> Judge:
    return Judge()


@pytest.fixture
async def site(aiohttp_server) -> Site:
    found = Site()
    app = web.Application()

    async def handle(request: web.Request) -> web.Response:
        found.hits.append(f"{request.host.split(':')[0]} {request.path_qs}")
        body = found.pages.get(request.path)
        if body is None:
            return web.Response(status=404, text="no such page")
        if body.startswith("REDIRECT "):
            raise web.HTTPFound(body.removeprefix("REDIRECT "))
        return web.Response(text=body, content_type="text/html")

    app.router.add_get("/{tail:.*}", handle)
    server = await aiohttp_server(app, host="127.0.0.1")
    found.port = server.port
    return found


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN, max_poll_wait=0.2) as fake:
        yield fake


@pytest.fixture
async def pushover() -> AsyncIterator[FakePushover]:
    async with FakePushover() as fake:
        yield fake


@pytest.fixture
async def searxng() -> AsyncIterator[FakeSearxng]:
    async with FakeSearxng() as fake:
        yield fake


@pytest.fixture
def jarvis_plugins(model, judge) -> list[Any]:
    return [jarvis_web, jarvis_browser, jarvis_search, jarvis_filesystem, jarvis_telegram,
            jarvis_pushover, jarvis_email, jarvis_caldav, Models(model, judge)]


@pytest.fixture
def jarvis_settings(telegram, pushover, searxng) -> dict[str, Any]:
    return {
        "disable_plugins": ["anthropic", "litellm"],
        "plugins": {
            "telegram": {"api_base_url": telegram.base_url, "poll_timeout": 1,
                         "config_check_interval": 0.1},
            "pushover": {"api_url": f"{pushover.url}/1", "timeout": 5},
            "web": {"seed_domains": []},
            "browser": {"executable_path": os.environ.get("JARVIS_TEST_CHROMIUM",
                                                          "/usr/bin/chromium"),
                        "action_timeout": 10},
            "search": {"base_url": searxng.url},
            "email": {"connect_timeout": 5, "command_timeout": 10, "poll_interval": 0.2,
                      "accounts_refresh": 0.2, "reconnect_min": 0.05, "reconnect_max": 0.5},
            "caldav": {"timeout": 5, "operation_timeout": 20},
        },
    }


@pytest.fixture(scope="module")
def radicale(tmp_path_factory) -> Iterator[ThreadedServer]:
    """A real CalDAV and CardDAV server (Radicale) the module's tests share, a login each."""
    users = {f"dav{i}": f"pw-{i}-secret" for i in range(1, 21)}
    started = radicale_server(tmp_path_factory.mktemp("dav"), users=users)
    with closing(ThreadedServer(started)) as server:
        yield server


@pytest.fixture
def loopback(request, site, pushover, searxng) -> list[str]:
    """The loopback servers the guarded client may reach: the fakes, and Radicale in the tests
    that use it (modules add theirs)."""
    servers = [site.port, pushover.port, searxng.port]
    if "radicale" in request.fixturenames:
        servers.append(request.getfixturevalue("radicale").port)
    return [f"127.0.0.1:{port}" for port in servers]


@pytest.fixture
async def anon_client(make_app, jarvis_plugins, jarvis_settings,
                      loopback) -> AsyncIterator[JarvisClient]:
    """The app behind the logged-in clients; its guarded client reaches only the fakes."""
    app = make_app(*jarvis_plugins, **jarvis_settings)
    app[OUTBOUND_HTTP] = GuardedHttp(allow_loopback_for_tests=loopback,
                                     resolver=LoopbackResolver(), timeout=5.0)
    client = await start_client(app)
    yield client
    await client.close()


@dataclass
class World:
    """What the admin set up: the whitelisted folder, and the user the runs act for."""

    admin: JarvisClient
    alice: JarvisClient
    docs: Path  # whitelisted for every user
    private: Path  # outside every root

    @property
    def app(self) -> web.Application:
        return self.alice.app


async def ok(resp: Any, status: int = 200) -> Any:
    body = await resp.json()
    assert resp.status == status, body
    return body


@pytest.fixture
async def world(admin_client, client_as, tmp_path) -> World:
    admin = admin_client
    await ok(await admin.post("/api/settings/provider", json={"default_provider": "evil",
                                                              "default_model": MODEL}))
    # the suites run many headless runs an hour for one user
    await ok(await admin.post("/api/settings/limits", json={
        "max_tool_calls": 20, "max_autonomous_runs_per_hour": 1000,
        "max_autonomous_runs_per_hour_per_user": 1000, "max_concurrent_runs": 3}))
    await ok(await admin.post("/api/web-whitelist", json={"domain": TIER1}), 201)
    docs, private = tmp_path / "srv" / "docs", tmp_path / "srv" / "private"
    docs.mkdir(parents=True)
    private.mkdir(parents=True)
    (private / "payroll.txt").write_text("salaries: confidential")
    await ok(await admin.post("/api/filesystem-whitelist", json={"path": str(docs)}), 201)
    await ok(await admin.post("/api/telegram/config", json={"bot_token": TOKEN}))
    await ok(await admin.post("/api/credentials", json={
        "key": "system:pushover_app_token", "value": DEFAULT_APP_TOKEN, "description": "app"}))
    alice = await client_as("user", username="alice")
    await ok(await admin.post("/api/telegram/whitelist", json={
        "chat_id": CHAT, "label": "Alice", "user_ids": [alice.user.id]}), 201)
    await ok(await alice.post("/api/my/pushover", json={"user_key": DEFAULT_USER_KEY}))
    return World(admin, alice, docs, private)


async def security(world: World, **switches: Any) -> None:
    """Change the security settings as the admin does."""
    await ok(await world.admin.post("/api/settings/security", json=switches))


async def audit(world: World, **match: Any) -> list[dict[str, Any]]:
    """The audit entries (``GET /api/audit`` as admin) matching ``match``, oldest first."""
    body = await ok(await world.admin.get("/api/audit?per_page=500"))
    rows = [e for e in body["entries"] if all(e.get(k) == v for k, v in match.items())]
    return list(reversed(rows))


async def headless(world: World, message: str, *, kind: str = "agent",
                   allowed_tools: list[str] | None = None) -> RunOutcome:
    """A headless run for alice whose message is ``message``; returns its outcome."""
    request = RunRequest(kind=kind, user=world.alice.user, message=message,
                         agent_id="agent-1" if kind == "agent" else None,
                         agent=AgentConfig(prompt="Help Alice.", allowed_tools=allowed_tools))
    return await world.app[RUNTIME].run(request)


class Chat:
    """One chat WebSocket, read frame by frame."""

    def __init__(self, ws: Any):
        self.ws = ws

    async def send(self, **frame: Any) -> None:
        await self.ws.send_str(json.dumps(frame))

    async def until(self, *types: str) -> list[dict[str, Any]]:
        """Frames up to and including the first of one of ``types``."""
        frames = []
        while True:
            msg = await self.ws.receive(timeout=15)
            assert msg.type == WSMsgType.TEXT, f"the socket ended: {msg.type}"
            frame = json.loads(msg.data)
            frames.append(frame)
            if frame["type"] in types:
                return frames

    async def say(self, content: str, answers: list[bool] | None = None) -> list[dict[str, Any]]:
        """Send a message; answer each confirmation in turn with ``answers`` (then refuse);
        return every frame of the run up to ``done`` or ``error``."""
        pending = list(answers or [])
        await self.send(type="message", content=content)
        frames: list[dict[str, Any]] = []
        while True:
            frames += await self.until("done", "error", "confirmation_required")
            last = frames[-1]
            if last["type"] != "confirmation_required":
                return frames
            approved = pending.pop(0) if pending else False
            await self.send(type="confirm", call_id=last["call_id"], approved=approved)


async def open_chat(client: JarvisClient, session: str = "s1") -> Chat:
    chat = Chat(await client.ws_connect(f"/ws/{session}"))
    await chat.until("session")
    return chat


def of_type(frames: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [f for f in frames if f["type"] == kind]


async def refused_in_chat(world: World, message: str) -> dict[str, Any]:
    """Alice says ``message`` in a chat and refuses the one call the run asks her about, asked
    because the run read outside content; returns that confirmation frame."""
    chat = await open_chat(world.alice)
    frames = await chat.say(message, answers=[False])
    [ask] = of_type(frames, "confirmation_required")
    assert "read outside content" in ask["description"]
    return ask


def said(frames: list[dict[str, Any]]) -> str:
    return "".join(f["content"] for f in of_type(frames, "text"))


async def eventually(check: Any, within: float = 15.0) -> Any:
    """The kit's ``eventually`` with more time: these runs pass through several servers."""
    return await polling.eventually(check, within)


def canary_of(model: CompromisedModel) -> str:
    """The canary planted in the system prompt the model was last sent."""
    found = CANARY.search(model.requests[-1].system)
    assert found, "no canary in the system prompt"
    return found.group()

