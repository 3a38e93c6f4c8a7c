"""A loopback server shared by many tests (a module's, say) although each test runs on its own
event loop: the server is started from a loop of its own thread, and tests reach it over TCP.

    @pytest.fixture(scope="module")
    def radicale(tmp_path_factory):
        server = ThreadedServer(radicale_server(tmp_path_factory.mktemp("dav"), users=USERS))
        yield server
        server.close()
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any

from .servers import RunningServer


class ThreadedServer:
    """Enters ``started`` (e.g. ``radicale_server(...)``) on a loop of its own thread; each
    test takes logins of its own with :meth:`fresh_user`."""

    def __init__(self, started: AbstractAsyncContextManager[RunningServer]):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._cm = started
        self.server = self.call(started.__aenter__())
        self.host, self.port = self.server.host, self.server.port
        self._logins = iter(self.server.users.items())

    def call(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run ``coro`` on the server's loop from synchronous code; return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    async def call_async(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run ``coro`` on the server's loop and await it from a test's loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def fresh_user(self) -> tuple[str, str]:
        """(user, password) of a login no other test of this server was given."""
        return next(self._logins)

    async def restart(self) -> None:
        """Drop every connection, then serve the same data on the same port again."""
        await self.call_async(self.server.restart())

    def close(self) -> None:
        """Stop the server and its thread."""
        self.call(self._cm.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
