"""The application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from .auth import setup_identity
from .context import PluginContexts
from .db import Database, Migration
from .hookcalls import call_hook
from .keys import (
    CONFIG,
    DATABASE,
    PLUGIN_CONTEXTS,
    REGISTRY,
    ROUTE_OWNERS,
    RUN_QUEUE,
    SETTINGS,
    SUPERVISOR,
)
from .metrics import METRICS, Metrics
from .middleware import request_middleware
from .migrations import CORE_MIGRATIONS
from .models import CORE_MODELS
from .plugins import Registry, build_plugin_manager, build_registry, check_plugin_sections
from .private import private_dir
from .routes import core_routes
from .routes.settings import setup_settings
from .routes.system import DB_PROBE, STARTED
from .runtime.queue import RunQueue
from .scheduling.scheduler import setup_scheduler
from .services import user_folders
from .services.config import ConfigStore
from .services.health import DatabaseProbe
from .settings import Settings
from .triggers.supervisor import TriggerSupervisor
from .wiring import setup_audit, setup_runtime, setup_vault

log = logging.getLogger("jarvis")

CLIENT_MAX_SIZE = 50 * 1024 * 1024  # uploads are capped again per route
# A request line must hold a 4096-character file path percent-encoded (up to 12 bytes a
# character); longer ones get the HTTP parser's plain-text 400 rather than a JSON error.
MAX_REQUEST_LINE = 64 * 1024


def create_app(
    settings: Settings,
    plugins: list[Any] | None = None,
    *,
    database_schema: str | None = None,
    trigger_backoff: float = 1.0,
) -> web.Application:
    """Build the app: plugins (installed entry points, or exactly ``plugins``), routes, state.

    Raises :class:`jarvis.plugins.PluginError` or :class:`jarvis.settings.SettingsError` with a
    one-line message when a plugin or a setting is wrong.
    """
    pm = build_plugin_manager(settings, plugins)
    contexts = PluginContexts(settings)
    registry = build_registry(pm, settings, core_routes(), contexts)
    check_plugin_sections(pm, settings, plugins)
    app = web.Application(
        middlewares=[request_middleware],
        client_max_size=CLIENT_MAX_SIZE,
        handler_args={"max_line_size": MAX_REQUEST_LINE},
    )
    app[SETTINGS] = settings
    app[REGISTRY] = registry
    contexts.bind(app, registry)
    app[PLUGIN_CONTEXTS] = contexts
    owners: dict[object, str] = {rd.handler: name for name, rd in registry.routes}
    app[ROUTE_OWNERS] = owners
    private_dir(settings.data_dir)
    app[DATABASE] = Database(settings.resolved_database_url, schema=database_schema)
    app[CONFIG] = ConfigStore(app[DATABASE])
    app[DB_PROBE] = DatabaseProbe(app[DATABASE])
    app[METRICS] = Metrics()
    app[STARTED] = [False]
    app[RUN_QUEUE] = RunQueue()
    app[SUPERVISOR] = TriggerSupervisor(app, registry.triggers, backoff_base=trigger_backoff)
    app.router.add_routes([rd for _plugin, rd in registry.routes])
    # The resources, in start-up order: aiohttp closes them in the reverse one, each once, by
    # the context that opened it: triggers and plugins stop, then the scheduler, the runtime's
    # runs, the providers those runs used, identity, settings, audit, vault and the database.
    app.cleanup_ctx.append(_database)
    setup_vault(app)  # right after the database: other subsystems read secrets at start-up
    setup_audit(app)
    setup_settings(app)
    setup_identity(app)  # after the database and the vault: it reads both at start-up
    app.cleanup_ctx.append(_providers)  # before the runtime: closed once its runs have stopped
    app.cleanup_ctx.append(_runtime)
    setup_runtime(app)  # after the database: at shutdown runs stop after the triggers, before it
    setup_scheduler(app)  # after the runtime: stale runs are marked before missed fires run
    app.cleanup_ctx.append(_plugins_and_triggers)
    app.cleanup_ctx.append(_started)  # last: everything above has started
    app.on_shutdown.append(_stopping)
    return app



async def _started(app: web.Application) -> AsyncIterator[None]:
    app[STARTED][0] = True
    yield


async def _stopping(app: web.Application) -> None:
    app[STARTED][0] = False


async def _database(app: web.Application) -> AsyncIterator[None]:
    db = app[DATABASE]
    reg = app[REGISTRY]
    await db.setup(schema_models(reg), schema_migrations(reg))
    await app[CONFIG].load()
    await user_folders.migrate(db, app[SETTINGS])  # folders named after users get their ids
    yield
    await db.dispose()


def schema_models(reg: Registry) -> dict[str, list[Any]]:
    """The table classes of each schema component: the core's, then each plugin's."""
    return {"core": list(CORE_MODELS), **reg.schema_models}


def schema_migrations(reg: Registry) -> list[Migration]:
    """The schema steps of every component: the core's, then each plugin's."""
    return [*CORE_MIGRATIONS, *reg.migrations]


async def _providers(app: web.Application) -> AsyncIterator[None]:
    """The model providers' clients: closed once, after every run that used them has ended."""
    yield
    for provider in app[REGISTRY].providers.values():
        try:
            await provider.close()
        except Exception:
            log.exception("provider %s: close failed", provider.id)


async def _runtime(app: web.Application) -> AsyncIterator[None]:
    app[RUN_QUEUE].set_limit(app[CONFIG].get("limits").max_concurrent_runs)
    yield


async def _plugins_and_triggers(app: web.Application) -> AsyncIterator[None]:
    await call_event_hook(app, "on_startup")
    app[SUPERVISOR].start()
    yield
    await app[SUPERVISOR].stop()
    await call_event_hook(app, "on_shutdown")


async def call_event_hook(app: web.Application, name: str) -> None:
    """Call an ``on_*`` hook through pluggy, then await what each plugin returned in pluggy's
    order; a failing plugin is logged by name and the others carry on."""
    call = call_hook(app[REGISTRY].pm.recorder, name, isolate=True,
                     contexts=app[PLUGIN_CONTEXTS])
    for plugin, error in call.failed:
        log.error("plugin %s: %s failed", plugin, name, exc_info=error)
    for plugin, awaitable in call.items:
        try:
            await awaitable
        except Exception:
            log.exception("plugin %s: %s failed", plugin, name)
