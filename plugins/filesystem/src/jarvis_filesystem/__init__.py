"""jarvis-filesystem: whitelisted folders and each user's own, for the file tools."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import PluginContext, Policy, Tool, hookimpl

from .models import MODELS
from .panels import PANELS
from .policy import FsPathPolicy
from .routes import routes
from .settings import FilesystemSettings
from .tools import TOOLS


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    config = context.plugin_settings(FilesystemSettings)
    return [tool(config) for tool in TOOLS]


@hookimpl
def register_policies() -> list[Policy]:
    return [FsPathPolicy()]


@hookimpl
def register_routes() -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_settings_panels() -> list:
    return PANELS
