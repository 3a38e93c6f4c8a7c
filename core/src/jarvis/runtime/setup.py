"""Wiring the runtime into the app: the runtime, the chat hub, the guarded client, triggers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from ..background import stop_task
from ..keys import CHAT_HUB, DATABASE, OUTBOUND_HTTP, RUNTIME, SETTINGS, SUPERVISOR
from ..security.http import GuardedHttp
from .chat import ChatHub
from .instances import keep_alive
from .leases import Leases
from .runner import Runtime
from .triggers import TriggerStarter

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
