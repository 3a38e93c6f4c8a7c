"""jarvis-webhooks: ``webhook_call`` to the targets admins set up, and signed inbound hooks
that start a run of one of the user's agents."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import Policy, Settings, Tool, hookimpl

from .models import MODELS
from .outbound import TargetPolicy, WebhookCall
from .panels import PANELS
from .routes import routes
from .settings import webhook_settings


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    return [WebhookCall(webhook_settings(settings))]


@hookimpl
def register_policies(settings: Settings) -> list[Policy]:
    return [TargetPolicy()]


@hookimpl
def register_routes(settings: Settings) -> list[web.RouteDef]:
    return list(routes)


@hookimpl
def register_settings_panels(settings: Settings) -> list:
    return PANELS
