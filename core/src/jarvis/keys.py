"""Typed application keys: all app state lives here, never in module globals.

They are the core's own: plugins reach the server through :class:`jarvis.PluginContext`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .auth.identity import Identity
    from .chat.hub import ChatHub
    from .context import PluginContexts
    from .db import Database
    from .plugins import Registry
    from .runtime.queue import RunQueue
    from .runtime.runner import Runtime
    from .scheduling.scheduler import Scheduler
    from .security.http import GuardedHttp
    from .services.audit import AuditLog
    from .services.config import ConfigStore
    from .services.vault import Vault
    from .settings import Settings
    from .triggers.supervisor import TriggerSupervisor
    from .web import Authenticator

SETTINGS: web.AppKey[Settings] = web.AppKey("jarvis_settings")
REGISTRY: web.AppKey[Registry] = web.AppKey("jarvis_registry")
DATABASE: web.AppKey[Database] = web.AppKey("jarvis_database")
RUN_QUEUE: web.AppKey[RunQueue] = web.AppKey("jarvis_run_queue")
SUPERVISOR: web.AppKey[TriggerSupervisor] = web.AppKey("jarvis_supervisor")
AUTHENTICATOR: web.AppKey[Authenticator] = web.AppKey("jarvis_authenticator")
IDENTITY: web.AppKey[Identity] = web.AppKey("jarvis_identity")
CONFIG: web.AppKey[ConfigStore] = web.AppKey("jarvis_config")
VAULT: web.AppKey[Vault] = web.AppKey("jarvis_vault")
AUDIT: web.AppKey[AuditLog] = web.AppKey("jarvis_audit")
RUNTIME: web.AppKey[Runtime] = web.AppKey("jarvis_runtime")
CHAT_HUB: web.AppKey[ChatHub] = web.AppKey("jarvis_chat_hub")
# The guarded client tools get as ctx.http. Tests replace it (before the app starts) with one
# that may reach their loopback fakes; settings can never express that allowance.
OUTBOUND_HTTP: web.AppKey[GuardedHttp] = web.AppKey("jarvis_outbound_http")
# Bytes one uploaded file may have in /api/my/files (default: services.files.MAX_UPLOAD_BYTES).
UPLOAD_LIMIT: web.AppKey[int] = web.AppKey("jarvis_upload_limit")
SCHEDULER: web.AppKey[Scheduler] = web.AppKey("jarvis_scheduler")
# Each plugin's PluginContext, and the plugin each route handler belongs to.
PLUGIN_CONTEXTS: web.AppKey[PluginContexts] = web.AppKey("jarvis_plugin_contexts")
ROUTE_OWNERS: web.AppKey[dict[object, str]] = web.AppKey("jarvis_route_owners")
