"""jarvis-pushover: push notifications to the user's devices; per-user key at /api/my/pushover."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import Settings, Tool, hookimpl

from .models import MODELS
from .panels import PANELS
from .routes import routes
from .settings import pushover_settings
from .tool import PushoverSend


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    return [PushoverSend(pushover_settings(settings))]


@hookimpl
def register_routes(settings: Settings) -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_settings_panels(settings: Settings) -> list:
    return PANELS
