"""Jarvis for the web interface benchmark, in its own process:
``python -m bench.ui_server PORT DATA_DIR [--database-url URL]``.

The scripted model echoes each message a few words per chunk (no model time). A user
``bench`` logs in with the password below; the bare WebSocket client uses the API key the
server prints once listening."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from jarvis.app import create_app
from jarvis.auth.passwords import hash_password
from jarvis.auth.users import insert_user
from jarvis.keys import DATABASE, IDENTITY
from jarvis.settings import Settings
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.scripted import ScriptedProvider

from .chat_server import serve_jarvis

USER, PASSWORD = "bench", "a benchmark passphrase"


async def _jarvis(data_dir: Path, database_url: str | None) -> tuple[web.AppRunner, str]:
    settings = Settings(data_dir=data_dir, database_url=database_url, log_level="WARNING",
                        disable_plugins=BUILTIN_PROVIDERS)
    app = create_app(settings, [ModelPlugin(ScriptedProvider(id="fake", models=("echo",)))])
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    user = await insert_user(app[DATABASE], USER, hash_password(PASSWORD), "user")
    _id, key, _prefix = await app[IDENTITY].keys.create(user.id, "bench")
    return runner, key


def main() -> None:
    serve_jarvis("python -m bench.ui_server", _jarvis)


if __name__ == "__main__":
    main()
