"""The common part of the fake model vendors: a loopback aiohttp server that records requests."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .script import Hang, Script, Turn, after_hang, stall


@dataclass(slots=True)
class RecordedRequest:
    """One request the fake received, as the test sees it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None  # the parsed body, or None when there was none (or it was not JSON)


class FakeVendor:
    """Base of the fake vendors: start/stop, request log, script, API key check."""

    def __init__(self, *turns: Turn, api_key: str = "test-key", host: str = "127.0.0.1"):
        self.api_key = api_key
        self.host = host
        self.requests: list[RecordedRequest] = []
        self.models_error: Turn | None = None  # a Fail or Hang for the model listing
        self._script = Script(turns)
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._handlers: set[asyncio.Task[Any]] = set()
        self._arrived = asyncio.Condition()

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> FakeVendor:
        """Listen on an ephemeral loopback port."""
        app = web.Application(middlewares=[self._record], client_max_size=64 * 1024**2)
        self.add_routes(app)
        # handler_cancellation: like a real server, stop a handler whose client went away
        self._runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=0.2,
            handler_cancellation=True,
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        """Stop serving; stalled handlers are cancelled."""
        for task in list(self._handlers):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeVendor:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def url(self) -> str:
        """The server's root URL, e.g. ``http://127.0.0.1:41234``."""
        if not self._port:
            raise RuntimeError("the fake server is not started")
        return f"http://{self.host}:{self._port}"

    # -- scripting and inspection ------------------------------------------------------------

    def script(self, *turns: Turn) -> None:
        """Queue the next answers (after those still pending)."""
        self._script.add(*turns)

    def reset(self) -> None:
        """Forget pending turns, recorded requests and the listing error."""
        self._script.clear()
        self.requests.clear()
        self.models_error = None

    @property
    def pending(self) -> int:
        """Scripted turns not used yet."""
        return self._script.pending

    def received(self, path: str) -> list[RecordedRequest]:
        """The requests made to ``path``, oldest first."""
        return [r for r in self.requests if r.path == path]

    def count(self, path: str) -> int:
        """How many requests ``path`` received."""
        return len(self.received(path))

    async def wait_for(self, path: str, n: int = 1, within: float = 5.0) -> RecordedRequest:
        """Wait until ``path`` has received ``n`` requests; return the n-th."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: self.count(path) >= n), within)
        return self.received(path)[n - 1]

    # -- for subclasses ----------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        """Register the vendor's endpoints."""
        raise NotImplementedError

    def error_response(self, status: int, message: str, retry_after: float | None) -> web.Response:
        """The vendor's error answer for ``status``."""
        raise NotImplementedError

    def presented_key(self, request: web.Request) -> str | None:
        """The API key the client sent, from ``x-api-key`` or ``Authorization: Bearer``."""
        key = request.headers.get("x-api-key")
        if key:
            return key
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def next_turn(self, last_user_text: str) -> Turn:
        """The next scripted turn for a chat request."""
        return self._script.next(last_user_text)

    async def unless_stalled(self, turn: Turn, last_user_text: str) -> Turn:
        """Play out hangs before any answer is sent; return the turn that answers afterwards."""
        while isinstance(turn, Hang) and not turn.after_text:
            await stall(turn)
            turn = after_hang(turn, lambda: self.next_turn(last_user_text))
        return turn

    # -- internals -------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
        self.requests.append(
            RecordedRequest(
                request.method,
                request.path,
                {k.lower(): v for k, v in request.headers.items()},
                dict(request.query),
                body,
            )
        )
        async with self._arrived:
            self._arrived.notify_all()
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            return await handler(request)
        finally:
            if task is not None:
                self._handlers.discard(task)
