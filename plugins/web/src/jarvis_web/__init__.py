"""jarvis-web: fetch and read web pages, the Tier 1 domain whitelist, trusted domains."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import PluginContext, Policy, Tool, hookimpl

from .fetch import WebFetch
from .models import MODELS
from .panels import PANELS
from .policy import BrowserActionPolicy, WebUrlPolicy
from .routes import routes
from .settings import WebSettings
from .store import seed_once


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    return [WebFetch(context.plugin_settings(WebSettings))]


@hookimpl
def register_policies() -> list[Policy]:
    return [WebUrlPolicy(), BrowserActionPolicy()]


@hookimpl
def register_routes() -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
async def on_startup(context: PluginContext) -> None:
    settings = context.plugin_settings(WebSettings)
    await seed_once(context.db, settings.seed_domains, "added on installation")


@hookimpl
def register_settings_panels() -> list:
    return PANELS
