"""jarvis-filesystem: whitelisted folders and each user's own, for the file tools."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import Policy, Settings, Tool, hookimpl

from .models import MODELS
from .panels import PANELS
from .policy import FsPathPolicy
from .routes import routes
from .settings import FilesystemSettings
from .tools import TOOLS


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    config = settings.plugin("filesystem", FilesystemSettings)
    return [tool(config) for tool in TOOLS]


@hookimpl
def register_policies(settings: Settings) -> list[Policy]:
    return [FsPathPolicy()]


@hookimpl
def register_routes(settings: Settings) -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_settings_panels(settings: Settings) -> list:
    return PANELS
