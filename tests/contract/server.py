"""A Jarvis server on a loopback port, run by an event loop in a background thread, so that
synchronous clients (schemathesis and its ``requests`` calls) can talk to it over real HTTP."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web
from jarvis.keys import IDENTITY, SUPERVISOR
from jarvis.testing.clients import create_user
from jarvis.tools import UserRef

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Caller:
    """One caller of the contract tests: a user and the credential it sends."""

    name: str
    user: UserRef
    scheme: str  # the OpenAPI security scheme the credential belongs to
    credential: str
    key_id: str | None = None  # the id of the API key, for an API key caller


class LiveServer:
    """``start()`` builds the app inside the server's own loop and serves it on 127.0.0.1."""

    def __init__(self, build: Callable[[], web.Application]):
        self._build = build
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="contract-server",
                                        daemon=True)
        self.app: web.Application | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        """Run ``coro`` on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> LiveServer:
        self._thread.start()
        self.run(self._start())
        return self

    async def _start(self) -> None:
        self.app = self._build()
        # Background listeners (mail accounts, the Telegram bot) would connect to whatever host
        # or token the generated data names; the contract is the HTTP API, so they stay stopped.
        self.app[SUPERVISOR].triggers = []
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        try:
            if self._runner is not None:
                self.run(self._runner.cleanup())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(30)
            self.loop.close()

    def add_user(self, username: str, role: str) -> UserRef:
        return self.run(create_user(self.app, username, role=role))

    def cookie_for(self, user: UserRef) -> str:
        """A new session of ``user``: the signed value of its session cookie."""
        return self.run(self._cookie_for(user))

    async def _cookie_for(self, user: UserRef) -> str:
        ident = self.app[IDENTITY]
        _sid, token, _expires = await ident.sessions.create(user.id)
        return ident.signer.sign(token)

    def api_key_for(self, user: UserRef) -> tuple[str, str]:
        """A new API key of ``user``: (key id, key)."""
        return self.run(self._api_key_for(user))

    async def _api_key_for(self, user: UserRef) -> tuple[str, str]:
        key_id, key, _prefix = await self.app[IDENTITY].keys.create(user.id, "contract")
        return key_id, key
