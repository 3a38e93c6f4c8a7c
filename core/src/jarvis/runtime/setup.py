"""Wiring the runtime into the app: the runtime, the chat hub, the guarded client, triggers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web

from ..keys import CHAT_HUB, OUTBOUND_HTTP, REGISTRY, RUNTIME, SUPERVISOR
from ..security.http import GuardedHttp
from .chat import ChatHub
from .runner import Runtime
from .triggers import TriggerStarter

log = logging.getLogger("jarvis.runtime")


def setup_runtime(app: web.Application) -> None:
    """Set ``app[RUNTIME]``, ``app[CHAT_HUB]``, ``app[OUTBOUND_HTTP]``; let triggers run."""
    runtime = Runtime(app)
    app[RUNTIME] = runtime
    app[CHAT_HUB] = ChatHub(app, runtime)
    app[OUTBOUND_HTTP] = GuardedHttp()
    app[SUPERVISOR].run_starter = TriggerStarter(runtime)
    app.cleanup_ctx.append(_lifecycle)


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    runtime = app[RUNTIME]
    interrupted = await runtime.store.interrupt_unfinished()
    if interrupted:
        log.warning("%d run(s) left unfinished by the last shutdown are marked interrupted",
                    interrupted)
    yield
    await runtime.close()
    for provider in app[REGISTRY].providers.values():
        try:
            await provider.close()
        except Exception:
            log.exception("closing the provider %s failed", provider.id)
