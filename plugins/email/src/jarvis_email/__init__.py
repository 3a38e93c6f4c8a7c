"""jarvis-email: send and read mail, trigger accounts, and the recipient whitelist."""

from __future__ import annotations

from typing import Any

from jarvis import PluginContext, Policy, Tool, Trigger, hookimpl

from .models import MODELS
from .panels import PANELS
from .policy import RecipientPolicy
from .routes import routes
from .routes_rules import routes as rule_routes
from .settings import EmailSettings
from .tools_read import EmailList, EmailRead
from .tools_send import EmailSend
from .trigger import EmailTrigger


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    config = context.plugin_settings(EmailSettings)
    return [EmailList(config), EmailRead(config), EmailSend(config)]


@hookimpl
def register_policies() -> list[Policy]:
    return [RecipientPolicy()]


@hookimpl
def register_triggers(context: PluginContext) -> list[Trigger]:
    return [EmailTrigger(context.plugin_settings(EmailSettings))]


@hookimpl
def register_routes() -> Any:
    return [*routes, *rule_routes]


@hookimpl
def register_settings_panels() -> list:
    return PANELS
