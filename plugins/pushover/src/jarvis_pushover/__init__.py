"""jarvis-pushover: push notifications to the user's devices; per-user key at /api/my/pushover."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import PluginContext, Tool, hookimpl

from .models import MODELS
from .panels import PANELS
from .routes import routes
from .settings import PushoverSettings
from .tool import PushoverSend


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    return [PushoverSend(context.plugin_settings(PushoverSettings))]


@hookimpl
def register_routes() -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_settings_panels() -> list:
    return PANELS
