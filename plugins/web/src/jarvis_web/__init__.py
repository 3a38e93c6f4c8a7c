"""jarvis-web: fetch and read web pages, the Tier 1 domain whitelist, trusted domains."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import DATABASE, SETTINGS, Policy, Settings, Tool, hookimpl

from .fetch import WebFetch
from .models import MODELS
from .panels import PANELS
from .policy import BrowserActionPolicy, WebUrlPolicy
from .routes import routes
from .settings import WebSettings
from .store import seed_once


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    return [WebFetch(settings.plugin("web", WebSettings))]


@hookimpl
def register_policies(settings: Settings) -> list[Policy]:
    return [WebUrlPolicy(), BrowserActionPolicy()]


@hookimpl
def register_routes(settings: Settings) -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
async def on_startup(app: web.Application) -> None:
    settings = app[SETTINGS].plugin("web", WebSettings)
    await seed_once(app[DATABASE], settings.seed_domains, "added on installation")


@hookimpl
def register_settings_panels(settings: Settings) -> list:
    return PANELS
