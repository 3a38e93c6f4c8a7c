"""Fixtures for the caldav plugin: a real Radicale shared by a module (each test logs in as a
user of its own), an app whose guarded client may reach it, and tool calls made by hand."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import caldav
import jarvis_caldav
import pytest
from jarvis import OUTBOUND_HTTP, RunRef, ToolContext, ToolResult, hookimpl
from jarvis.keys import REGISTRY
from jarvis.runtime.context import RunCredentials
from jarvis.security import GuardedHttp
from jarvis.testing.scripted import ScriptedProvider
from jarvis.testing.servers import radicale_server
from jarvis.tools import UserRef

from tests.support.identity import JarvisClient, start_client

NO_PROVIDERS = ["anthropic", "litellm"]
DAV_USERS = {f"cal{i}": f"pw-{i}-secret" for i in range(1, 61)}
FAST = {"timeout": 5, "operation_timeout": 20}


class ThreadedRadicale:
    """Radicale started once per module from a loop of its own thread, so tests (each on its
    own loop) can share it over TCP and restart it through that loop."""

    def __init__(self, folder: Path):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._cm = radicale_server(folder, users=DAV_USERS)
        self.server = self._call(self._cm.__aenter__())
        self.url = self.server.url
        self.port = self.server.port
        self._names = itertools.count(1)

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def fresh_user(self) -> tuple[str, str]:
        """A login no other test of the module used."""
        name = f"cal{next(self._names)}"
        return name, DAV_USERS[name]

    def make_calendar(self, user: str, name: str) -> None:
        """Create a calendar straight through the caldav library (test set-up, unguarded)."""
        with caldav.DAVClient(url=self.url, username=user, password=DAV_USERS[user]) as dav:
            dav.principal().make_calendar(name=name)

    def save_event(self, user: str, calendar: str = "Work", **fields: Any) -> None:
        """Store an event straight through the caldav library (e.g. a recurring one)."""
        with caldav.DAVClient(url=self.url, username=user, password=DAV_USERS[user]) as dav:
            dav.principal().calendar(name=calendar).save_event(**fields)

    def summaries(self, user: str, calendar: str = "Work") -> list[str]:
        """Every event title in one of the user's calendars, straight from the server."""
        with caldav.DAVClient(url=self.url, username=user, password=DAV_USERS[user]) as dav:
            found = dav.principal().calendar(name=calendar)
            return sorted(str(e.get_icalendar_component()["summary"]) for e in found.events())

    def close(self) -> None:
        self._call(self._cm.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def radicale(tmp_path_factory) -> Iterator[ThreadedRadicale]:
    server = ThreadedRadicale(tmp_path_factory.mktemp("radicale"))
    yield server
    server.close()


@pytest.fixture
async def dav_user(radicale) -> tuple[str, str]:
    """(user, password) of a Radicale login of this test alone, with a calendar "Work"."""
    user, password = radicale.fresh_user()
    await asyncio.to_thread(radicale.make_calendar, user, "Work")
    return user, password


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """Cheaper key derivation for the vault's key: start-up speed, not what is tested here."""
    from jarvis.services import crypto

    monkeypatch.setattr(crypto, "SCRYPT_PARAMS", {"n": 2**14, "r": 8, "p": 1})


class ModelPlugin:
    """The scripted model as a provider plugin."""

    __name__ = "scripted_model"

    def __init__(self, provider: ScriptedProvider):
        self.provider = provider

    @hookimpl
    def register_providers(self, settings: Any) -> list[Any]:
        return [self.provider]


@pytest.fixture
def model() -> ScriptedProvider:
    return ScriptedProvider(id="fake", models=("echo",))


@pytest.fixture
def caldav_section(request) -> dict[str, Any]:
    """The ``[plugins.caldav]`` section of the test app (parametrize indirectly to change it)."""
    return {**FAST, **getattr(request, "param", {})}


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_caldav, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings(caldav_section) -> dict[str, Any]:
    return {"disable_plugins": NO_PROVIDERS, "plugins": {"caldav": caldav_section}}


@pytest.fixture
def outbound_http() -> GuardedHttp | None:
    """The guarded client the app gets before it starts (None: the app's own, which refuses
    loopback). By default a test-only allowance for the loopback Radicale."""
    return GuardedHttp(allow_loopback_for_tests={"127.0.0.1"})


@pytest.fixture
async def anon_client(make_app, jarvis_plugins, jarvis_settings,
                      outbound_http) -> AsyncIterator[JarvisClient]:
    """The identity fixtures' app, with ``outbound_http`` set before it starts."""
    app = make_app(*jarvis_plugins, **jarvis_settings)
    if outbound_http is not None:
        app[OUTBOUND_HTTP] = outbound_http
    client = await start_client(app)
    yield client
    await client.close()


def settings_body(radicale: ThreadedRadicale, login: tuple[str, str], **overrides: Any) -> dict:
    """A POST /api/my/caldav body for ``login`` on the test Radicale."""
    user, password = login
    return {"server_url": radicale.url, "username": user, "password": password,
            "calendar": "Work", **overrides}


async def save_settings(client: JarvisClient, body: dict[str, Any]) -> dict[str, Any]:
    resp = await client.post("/api/my/caldav", json=body)
    answer = await resp.json()
    assert resp.status == 200, answer
    return answer


def tool_context(app: Any, user: UserRef, *, kind: str = "chat") -> ToolContext:
    """A context like the runtime gives a tool, for calling tools directly."""
    return ToolContext(user=user, run=RunRef("test-run", kind), app=app,
                       credentials=RunCredentials(app, user), http=app[OUTBOUND_HTTP],
                       user_folder=Path("/nonexistent"))


async def call(client: JarvisClient, name: str, **args: Any) -> ToolResult:
    """Run the tool ``name`` as the client's user, the way the runtime would."""
    tool = client.app[REGISTRY].tools[name]
    return await tool.run(tool.Input.model_validate(args), tool_context(client.app, client.user))
