"""jarvis-email: send and read mail, trigger accounts, and the recipient whitelist."""

from __future__ import annotations

from typing import Any

from jarvis import Policy, Settings, Tool, Trigger, hookimpl

from .models import MODELS
from .panels import PANELS
from .policy import RecipientPolicy
from .routes import routes
from .routes_rules import routes as rule_routes
from .settings import email_settings
from .tools_read import EmailList, EmailRead
from .tools_send import EmailSend
from .trigger import EmailTrigger


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    config = email_settings(settings)
    return [EmailList(config), EmailRead(config), EmailSend(config)]


@hookimpl
def register_policies(settings: Settings) -> list[Policy]:
    return [RecipientPolicy()]


@hookimpl
def register_triggers(settings: Settings) -> list[Trigger]:
    return [EmailTrigger(email_settings(settings))]


@hookimpl
def register_routes(settings: Settings) -> Any:
    return [*routes, *rule_routes]


@hookimpl
def register_settings_panels(settings: Settings) -> list:
    return PANELS
