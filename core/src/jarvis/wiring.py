"""Wiring the runtime into the app: the runtime, the chat hub, the guarded client, triggers;
and the services it needs first, the vault and the audit log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from .background import stop_task
from .chat.hub import ChatHub
from .keys import (
    AUDIT,
    CHAT_HUB,
    CONFIG,
    DATABASE,
    OUTBOUND_HTTP,
    RUNTIME,
    SETTINGS,
    SUPERVISOR,
    VAULT,
)
from .runtime.instances import keep_alive
from .runtime.runner import Runtime
from .security.http import GuardedHttp
from .services.audit import AuditLog, retention_loop
from .services.vault import Vault
from .triggers.leases import Leases
from .triggers.starter import TriggerStarter

log = logging.getLogger("jarvis.runtime")


def setup_runtime(app: web.Application) -> None:
    """Set ``app[RUNTIME]``, ``app[CHAT_HUB]``, ``app[OUTBOUND_HTTP]``; let triggers run."""
    runtime = Runtime(app)
    app[RUNTIME] = runtime
    app[CHAT_HUB] = ChatHub(app, runtime)
    app[OUTBOUND_HTTP] = GuardedHttp(allowed_private_hosts=app[SETTINGS].allowed_private_hosts)
    app[SUPERVISOR].run_starter = TriggerStarter(runtime)
    app[SUPERVISOR].leases = Leases(app[DATABASE], runtime.instance.id)
    app.cleanup_ctx.append(_lifecycle)


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    runtime = app[RUNTIME]
    instance = runtime.instance
    await instance.register()
    # only runs of processes that are gone: others sharing the database keep theirs
    interrupted = await instance.sweep()
    if interrupted:
        log.warning("%d run(s) left unfinished by a stopped server are marked interrupted",
                    interrupted)
    heartbeat = asyncio.create_task(
        keep_alive(instance, lambda: list(runtime.active), runtime.stop), name="jarvis-heartbeat")
    yield
    await stop_task(heartbeat)
    await runtime.close()
    try:
        await instance.leave()  # the others need not wait for the heartbeat to go stale
    except Exception:
        log.exception("removing this server's instance row failed")


def setup_vault(app: web.Application) -> None:
    """Create ``app[VAULT]`` and open it at start-up, right after the database."""
    settings = app[SETTINGS]
    password = settings.master_password.get_secret_value() if settings.master_password else None
    app[VAULT] = Vault(app[DATABASE], master_password=password, data_dir=settings.data_dir)

    async def _open(app: web.Application) -> AsyncIterator[None]:
        await app[VAULT].open()
        yield

    app.cleanup_ctx.append(_open)


def setup_audit(app: web.Application) -> None:
    """Create ``app[AUDIT]`` (after the vault, whose values it redacts) and the daily
    retention task."""
    vault = app.get(VAULT)
    app[AUDIT] = AuditLog(app[DATABASE], is_secret=vault.is_secret if vault else None)

    async def _run(app: web.Application) -> AsyncIterator[None]:
        await app[AUDIT].setup()
        task = asyncio.create_task(retention_loop(app[AUDIT], app[CONFIG]))
        yield
        await stop_task(task)

    app.cleanup_ctx.append(_run)
