"""``jarvis doctor``: what a server started with these settings would find, checked without
starting it or changing anything: settings, database and schema, vault, plugins, and whether
each configured model provider answers (with a short timeout).

One line per check, ``ok``, ``warn`` (start-up or the admin will see to it) or ``FAIL``; the
exit status is 1 when any check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

from .common import add_data_dir

NO_PROVIDER = (
    "no model provider works: store a vendor key (POST /api/credentials with "
    "system:anthropic_api_key, system:openai_api_key or system:openrouter_api_key, or set "
    "ANTHROPIC_API_KEY / OPENAI_API_KEY / OPENROUTER_API_KEY), or run Ollama on this machine "
    "(http://127.0.0.1:11434, or set JARVIS_PLUGINS__LITELLM__OLLAMA_BASE_URL); the providers "
    "are plugins: jarvis-anthropic, jarvis-litellm"
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check settings, database, vault, plugins and providers")
    p.add_argument("--timeout", type=float, default=5.0,
                   help="seconds each provider may take to answer (default 5)")
    add_data_dir(p)
    p.set_defaults(func=run)


class Report:
    def __init__(self) -> None:
        self.failed = False

    def line(self, status: str, what: str, text: str) -> None:
        self.failed |= status == "FAIL"
        print(f"{status:<5} {what}: {text}", flush=True)


def run(args: argparse.Namespace) -> int:
    from ..app import create_app
    from ..plugins import PluginError
    from ..settings import SettingsError
    from .common import settings_from

    report = Report()
    try:
        settings = settings_from(args)
    except SettingsError as err:
        report.line("FAIL", "settings", str(err))
        return 1
    config = os.environ.get("JARVIS_CONFIG", "jarvis.toml")
    source = config if os.path.isfile(config) else "environment and defaults"
    report.line("ok", "settings", f"from {source}; data folder {settings.data_dir}")
    try:
        app = create_app(settings)
    except (SettingsError, PluginError) as err:
        report.line("FAIL", "plugins", str(err))
        return 1
    asyncio.run(_check(app, report, args.timeout))
    return 1 if report.failed else 0


async def _check(app: Any, report: Report, wait: float) -> None:
    from ..db import DatabaseUnavailable
    from ..keys import DATABASE, REGISTRY

    db = app[DATABASE]
    try:
        try:
            tables = await _database(db, app[REGISTRY], report)
        except DatabaseUnavailable as err:
            report.line("FAIL", "database", str(err))
            return
        vault_open = await _vault(app, tables, report)
        report.line("ok", "plugins", ", ".join(sorted(app[REGISTRY].plugins)) or "none")
        await _providers(app, vault_open, report, wait)
    finally:
        await db.dispose()


async def _database(db: Any, reg: Any, report: Report) -> set[str]:
    """Reachable, and which tables exist; missing tables and pending steps are warnings, since
    start-up makes them."""
    from sqlalchemy import inspect, select

    from ..db import schema_versions
    from ..models import CORE_MODELS

    async with db.connect() as conn:
        tables = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
        known = {}
        if schema_versions.name in tables:
            columns = (schema_versions.c.component, schema_versions.c.version)
            known = dict((await conn.execute(select(*columns))).all())
    where = db.engine.url.render_as_string(hide_password=True)
    expected = {m.__table__.name for m in [*CORE_MODELS, *reg.models]}
    missing = sorted(expected - tables)
    pending = [s for s in reg.migrations if s.component in known and s.version > known[s.component]]
    if missing:
        report.line("warn", "database", f"{where} answers; tables not created yet: "
                    f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''} "
                    "(`jarvis serve` creates them)")
    elif pending:
        report.line("warn", "database", f"{where} answers; {len(pending)} schema step(s) "
                    "pending (they run at the next start)")
    else:
        report.line("ok", "database", f"{where} answers; schema current")
    return tables


async def _vault(app: Any, tables: set[str], report: Report) -> bool:
    from ..keys import VAULT
    from ..services.vault_keys import VaultError, read_state, state_table

    if state_table.name not in tables or await read_state(app[VAULT].db) is None:
        report.line("warn", "vault", "no credential store yet (made at the first start)")
        return False
    try:
        await app[VAULT].open()
    except VaultError as err:
        report.line("FAIL", "vault", str(err))
        return False
    how = "the master password" if app[VAULT].mode == "password" else "the key file"
    report.line("ok", "vault", f"{how} opens the credential store")
    return True


class _NoSecrets:
    async def get(self, key: str) -> str | None:
        return None


async def _providers(app: Any, vault_open: bool, report: Report, wait: float) -> None:
    from ..keys import REGISTRY
    from ..providers.base import ProviderContext
    from ..runtime.context import SystemSecrets

    ctx = ProviderContext(secrets=SystemSecrets(app) if vault_open else _NoSecrets())
    providers = list(app[REGISTRY].providers.values())
    answers = await asyncio.gather(*(_ask(p, ctx, wait) for p in providers))
    for provider, (works, text) in zip(providers, answers, strict=True):
        report.line("ok" if works else "warn", f"provider {provider.id}", text)
    if not any(works for works, _text in answers):
        report.line("FAIL", "models", NO_PROVIDER)
    for provider in providers:
        await provider.close()


async def _ask(provider: Any, ctx: Any, wait: float) -> tuple[bool, str]:
    """Whether the provider lists its models within ``wait`` seconds, and what it said."""
    try:
        async with asyncio.timeout(wait):
            models = await provider.list_models(ctx)
    except TimeoutError:
        return False, f"did not answer within {wait:g} s"
    except Exception as err:  # noqa: BLE001 - a plugin's provider may fail any way
        return False, f"listing its models failed: {err}"
    if getattr(provider, "needs_key", False) and not await provider.api_key(ctx):
        return False, provider.missing_key()  # it may list its models, but never answers
    error = getattr(provider, "last_error", None)
    if error:
        return False, error
    if not models:
        return False, "lists no models"
    return True, f"answers, {len(models)} model(s)"
