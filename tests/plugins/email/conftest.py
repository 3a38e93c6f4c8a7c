"""Fixtures for the email plugin: a real IMAP server (pymap) shared by a module, an SMTP sink
per test, the scripted model, and helpers to set up accounts, agents and the whitelist."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import jarvis_email
import pytest
from jarvis import OUTBOUND_HTTP, hookimpl
from jarvis.keys import RUNTIME
from jarvis.security import GuardedHttp
from jarvis.testing.clients import JarvisClient, start_client
from jarvis.testing.scripted import ScriptedProvider
from jarvis.testing.servers import imap_server, smtp_sink

IMAP_USERS = {f"box{i}": f"pw-{i}-secret" for i in range(1, 41)}
FAST = {
    "connect_timeout": 5, "command_timeout": 10, "poll_interval": 0.2,
    "accounts_refresh": 0.2, "reconnect_min": 0.05, "reconnect_max": 0.5,
}


class ThreadedImap:
    """pymap started once per module on a loop of its own thread, so tests (each on its own
    loop) can share it: they talk to it over TCP, and restart it through its loop."""

    def __init__(self, folder: Path):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._cm = imap_server(users=IMAP_USERS, tmp_path=folder)
        self.server = self._call(self._cm.__aenter__())
        self.host, self.port = self.server.host, self.server.port
        self._names = itertools.count(1)

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def fresh_user(self) -> tuple[str, str]:
        """A mailbox no other test of the module used."""
        name = f"box{next(self._names)}"
        return name, IMAP_USERS[name]

    async def deliver(self, user: str, message: EmailMessage | bytes, **kw: Any) -> None:
        await self.server.deliver(user, message, **kw)

    async def restart(self) -> None:
        """Drop every connection and serve the same mail again."""
        await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(self.server.restart(), self.loop))

    def close(self) -> None:
        self._call(self._cm.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def imap(tmp_path_factory) -> Iterator[ThreadedImap]:
    server = ThreadedImap(tmp_path_factory.mktemp("imap"))
    yield server
    server.close()


@pytest.fixture
def mailbox(imap) -> tuple[str, str]:
    """(user, password) of an IMAP mailbox of this test alone."""
    return imap.fresh_user()


@pytest.fixture
async def sink() -> AsyncIterator[Any]:
    async with smtp_sink(username="jarvis", password="smtp-secret") as server:
        yield server


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
def email_settings(request) -> dict[str, Any]:
    """The ``[plugins.email]`` section of the test app (parametrize indirectly to change it)."""
    return {**FAST, **getattr(request, "param", {})}


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_email, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings(email_settings) -> dict[str, Any]:
    return {"disable_plugins": ["anthropic", "litellm"], "plugins": {"email": email_settings}}


@pytest.fixture
def outbound_http() -> GuardedHttp | None:
    """The guarded client the app gets before it starts (None: the app's own, which refuses
    loopback). By default a test-only allowance for the loopback mail servers."""
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


@pytest.fixture
def runtime(anon_client):
    return anon_client.app[RUNTIME]
