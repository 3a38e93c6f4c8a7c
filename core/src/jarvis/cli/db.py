"""``jarvis db upgrade`` and ``jarvis db current``: the schema versions of the core and plugins."""

from __future__ import annotations

import argparse
import asyncio
import json

from .common import add_data_dir, settings_from


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="database schema: upgrade it, or show its versions")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = dbsub.add_parser("upgrade", help="create missing tables and run pending schema steps")
    add_data_dir(up)
    up.set_defaults(func=upgrade)
    cur = dbsub.add_parser("current", help="the schema version of each component")
    add_data_dir(cur)
    cur.add_argument("--json", action="store_true", help="print JSON")
    cur.set_defaults(func=current)


def _database_and_models(args: argparse.Namespace):
    from ..app import schema_migrations, schema_models
    from ..db import Database
    from ..plugins import build_plugin_manager, build_registry

    settings = settings_from(args)
    registry = build_registry(build_plugin_manager(settings), settings, [])
    return (Database(settings.resolved_database_url), schema_models(registry),
            schema_migrations(registry))


def upgrade(args: argparse.Namespace) -> int:
    db, models, steps = _database_and_models(args)

    async def run() -> dict:
        try:
            await db.setup(models, steps)
            return await db.schema_status(models, steps)
        finally:
            await db.dispose()

    status = asyncio.run(run())
    for row in status["components"]:
        print(f"{row['component']}: version {row['version']}")
    return 0


def current(args: argparse.Namespace) -> int:
    db, models, steps = _database_and_models(args)

    async def run() -> dict:
        try:
            return await db.schema_status(models, steps)
        finally:
            await db.dispose()

    status = asyncio.run(run())
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    for row in status["components"]:
        version = "none" if row["version"] is None else row["version"]
        print(f"{row['component']}: version {version} (code: {row['latest']}) {row['status']}")
    for col in status["missing_columns"]:
        print(f"missing column: {col['table']}.{col['column']} ({col['component']})")
    return 0
