"""jarvis-caldav: the user's CalDAV calendar as tools; per-user settings at /api/my/caldav."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import PluginContext, Tool, hookimpl

from .models import MODELS
from .panels import PANELS
from .routes import routes
from .settings import CaldavSettings
from .tools_read import CaldavGetEvent, CaldavListEvents
from .tools_write import CaldavCreateEvent, CaldavDeleteEvent, CaldavUpdateEvent


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    config = context.plugin_settings(CaldavSettings)
    return [CaldavListEvents(config), CaldavGetEvent(config), CaldavCreateEvent(config),
            CaldavUpdateEvent(config), CaldavDeleteEvent(config)]


@hookimpl
def register_routes() -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_settings_panels() -> list:
    return PANELS
