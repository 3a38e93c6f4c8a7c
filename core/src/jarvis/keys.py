"""Typed application keys: all app state lives here, never in module globals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .db import Database
    from .plugins import Registry
    from .runtime.queue import RunQueue
    from .services.config import ConfigStore
    from .runtime.supervisor import TriggerSupervisor
    from .settings import Settings
    from .web import Authenticator

SETTINGS: web.AppKey[Settings] = web.AppKey("jarvis_settings")
REGISTRY: web.AppKey[Registry] = web.AppKey("jarvis_registry")
DATABASE: web.AppKey[Database] = web.AppKey("jarvis_database")
RUN_QUEUE: web.AppKey[RunQueue] = web.AppKey("jarvis_run_queue")
SUPERVISOR: web.AppKey[TriggerSupervisor] = web.AppKey("jarvis_supervisor")
AUTHENTICATOR: web.AppKey[Authenticator] = web.AppKey("jarvis_authenticator")
CONFIG: web.AppKey[ConfigStore] = web.AppKey("jarvis_config")
