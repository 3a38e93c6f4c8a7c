"""A Jarvis server for browser tests: started on a loop of its own thread (so one server
serves a whole test module while the browser drives it), on SQLite or on a PostgreSQL schema
of its own, with the scripted model and the plugins whose panels the tests use."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from aiohttp import web
from jarvis.app import create_app
from jarvis.auth.setup import issue_setup_token
from jarvis.keys import DATABASE
from jarvis.settings import Settings
from jarvis.testing.plugins import BUILTIN_PROVIDERS
from jarvis.testing.pytest_plugin import PG_URL, TEST_DATABASE, _pg_execute


class UiServer:
    """``UiServer(tmp, plugins).url``; ``call(coro)`` runs on the server's loop; ``close()``."""

    def __init__(self, folder: Path, plugins: list[Any], **settings: Any):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.folder = folder
        self.schema = f"ui_{uuid.uuid4().hex[:16]}" if TEST_DATABASE == "postgresql" else None
        if self.schema:
            self.call(_pg_execute(f'CREATE SCHEMA "{self.schema}"'))
            url = PG_URL
        else:
            url = f"sqlite+aiosqlite:///{folder / 'data' / 'jarvis.db'}"
        values = {"data_dir": folder / "data", "database_url": url,
                  "disable_plugins": BUILTIN_PROVIDERS, **settings}
        self.app = create_app(Settings(**values), plugins, database_schema=self.schema,
                              trigger_backoff=0.05)
        self.runner = web.AppRunner(self.app, access_log=None)
        self.call(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.call(site.start())
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self.setup_token: str | None = self.call(issue_setup_token(self.app[DATABASE]))

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 60) -> Any:
        """Run ``coro`` on the server's loop; return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        try:
            self.call(self.runner.cleanup())
            if self.schema:
                self.call(_pg_execute(f'DROP SCHEMA "{self.schema}" CASCADE'))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()
