"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..settings import LOG_LEVELS, Settings, load_settings

if TYPE_CHECKING:
    from aiohttp import web


class CommandError(Exception):
    """A command failed in a way the user can fix; the message says how."""


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, help="data folder (default: ./data or JARVIS_DATA_DIR)"
    )


def add_log_level(parser: argparse.ArgumentParser, default: Any = None) -> None:
    # checked with the other settings, so a bad value gets the same one-line error
    parser.add_argument(
        "--log-level", default=default, metavar="LEVEL",
        help=f"{', '.join(LOG_LEVELS)} (default: INFO or JARVIS_LOG_LEVEL)",
    )


def settings_from(args: argparse.Namespace, **extra: Any) -> Settings:
    """The settings with the command's options over them; logging is set up from them."""
    from ..logs import configure_logging

    overrides: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    if getattr(args, "data_dir", None) is not None:
        overrides["data_dir"] = args.data_dir
    if getattr(args, "log_level", None) is not None:
        overrides["log_level"] = args.log_level
    settings = load_settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)
    return settings


@asynccontextmanager
async def services(app: web.Application) -> AsyncIterator[web.Application]:
    """The app's database (tables created as the server does), settings store, vault, audit
    log and identity service, opened for a command without starting the server's runtime."""
    from ..app import schema_migrations, schema_models
    from ..keys import AUDIT, CONFIG, DATABASE, IDENTITY, REGISTRY, VAULT

    db, reg = app[DATABASE], app[REGISTRY]
    try:
        await db.setup(schema_models(reg), schema_migrations(reg))
        await app[CONFIG].load()
        await app[VAULT].open()
        await app[AUDIT].setup()
        await app[IDENTITY].start()
        try:
            yield app
        finally:
            await app[IDENTITY].close()
    finally:
        await db.dispose()


def with_services(args: argparse.Namespace,
                  work: Callable[[web.Application], Awaitable[int]]) -> int:
    """Run ``work(app)`` with :func:`services` open; a refused change is a one-line error."""
    from ..app import create_app
    from ..errors import JarvisError

    app = create_app(settings_from(args))

    async def main() -> int:
        try:
            async with services(app):
                return await work(app)
        except JarvisError as err:
            raise CommandError(err.message) from None

    return asyncio.run(main())


async def find_user(app: web.Application, username: str) -> Any:
    """The user record of a user name, or a one-line error."""
    from ..auth.users import credentials_of, normalize_username
    from ..keys import DATABASE

    row = await credentials_of(app[DATABASE], normalize_username(username))
    if row is None:
        raise CommandError(f"no user named {username!r}")
    return row
