"""Real mail and calendar servers shared by a test module: each is started from a loop of its
own thread, so every test (on its own loop) can talk to it over TCP."""

from __future__ import annotations

import asyncio
import threading
from contextlib import AbstractAsyncContextManager
from typing import Any


class Shared:
    """An async context manager (a test server) entered once, on a loop of its own thread."""

    def __init__(self, manager: AbstractAsyncContextManager[Any], users: list[str]):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._manager = manager
        self.server = self._call(manager.__aenter__())
        self._users = iter(users)

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def fresh_user(self) -> tuple[str, str]:
        """A login no other test of the module used."""
        name = next(self._users, None)
        if name is None:
            raise RuntimeError("the module's server has no fresh users left")
        return name, self.server.users[name]

    def close(self) -> None:
        self._call(self._manager.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
