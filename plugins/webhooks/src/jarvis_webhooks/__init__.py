"""jarvis-webhooks: ``webhook_call`` to the targets admins set up, and signed inbound hooks
that start a run of one of the user's agents."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import PluginContext, Policy, Tool, hookimpl

from .models import MODELS
from .outbound import TargetPolicy, WebhookCall
from .panels import PANELS
from .routes import routes
from .settings import WebhookSettings


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    return [WebhookCall(context.plugin_settings(WebhookSettings))]


@hookimpl
def register_policies() -> list[Policy]:
    return [TargetPolicy()]


@hookimpl
def register_routes() -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_settings_panels() -> list:
    return PANELS
