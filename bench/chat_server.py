"""Jarvis as the WebSocket benchmark's server, in its own process:
``python -m bench.chat_server PORT DATA_DIR [--database-url URL]``.

It runs with the in-process scripted model (no network, no model time), which echoes the
message a few words per chunk; every chunk starts with the monotonic clock at which the model
produced it, so the client (on the same machine) can tell each frame's delay. Once listening,
it prints one JSON line with the API key to use, then serves until SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from aiohttp import web
from jarvis import hookimpl
from jarvis.app import create_app
from jarvis.auth.users import insert_user
from jarvis.keys import CONFIG, DATABASE, IDENTITY, RUN_QUEUE
from jarvis.providers.base import ModelRequest, ProviderContext, ProviderEvent, TextDelta
from jarvis.settings import Settings
from jarvis.testing.scripted import ScriptedProvider

from .chat_bare import serve, stamp
from .procs import raise_open_files_limit

MAX_RUNS = 1000  # the highest max_concurrent_runs the settings allow


class StampedProvider(ScriptedProvider):
    """The scripted model, each text chunk stamped with the time it was produced."""

    async def stream(
        self, request: ModelRequest, ctx: ProviderContext
    ) -> AsyncIterator[ProviderEvent]:
        async for event in super().stream(request, ctx):
            yield TextDelta(stamp(event.text)) if isinstance(event, TextDelta) else event
        self.requests.clear()  # it keeps every request for tests; a benchmark has no use for them


class BenchModel:
    """The plugin that registers the scripted model."""

    __name__ = "bench_model"

    def __init__(self) -> None:
        self.provider = StampedProvider(id="fake", models=("echo",))

    @hookimpl
    def register_providers(self, settings: Settings) -> list[ScriptedProvider]:
        return [self.provider]


async def _jarvis(data_dir: Path, database_url: str | None) -> tuple[web.AppRunner, str]:
    settings = Settings(data_dir=data_dir, database_url=database_url, log_level="WARNING")
    app = create_app(settings, [BenchModel()])
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    await app[CONFIG].update("limits", {"max_concurrent_runs": MAX_RUNS})
    app[RUN_QUEUE].set_limit(MAX_RUNS)
    user = await insert_user(app[DATABASE], "bench", "not-a-login", "admin")
    _id, key, _prefix = await app[IDENTITY].keys.create(user.id, "bench")
    return runner, key


def serve_jarvis(prog: str, setup: Callable[[Path, str | None],
                                          Awaitable[tuple[web.AppRunner, str]]]) -> None:
    """``PROG PORT DATA_DIR [--database-url URL]``: serve ``setup``'s app until SIGTERM."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("port", type=int)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    raise_open_files_limit()
    asyncio.run(serve(args.port, lambda: setup(args.data_dir, args.database_url)))


def main() -> None:
    serve_jarvis("python -m bench.chat_server", _jarvis)


if __name__ == "__main__":
    main()
