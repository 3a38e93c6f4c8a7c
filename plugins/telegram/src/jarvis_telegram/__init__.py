"""jarvis-telegram: a Telegram bot with a chat whitelist, trigger words and a send tool."""

from __future__ import annotations

from jarvis import Settings, hookimpl

from . import api, api_triggers
from .client import install_log_redaction
from .listener import TelegramListener
from .models import TelegramChat, TelegramChatUser, TelegramTrigger
from .panels import PANELS
from .policy import ChatPolicy
from .send_tool import TelegramSend
from .settings import TelegramSettings


def _settings(settings: Settings) -> TelegramSettings:
    return settings.plugin("telegram", TelegramSettings)


@hookimpl
def register_models():
    return [TelegramChat, TelegramChatUser, TelegramTrigger]


@hookimpl
def register_routes(settings: Settings):
    _settings(settings)  # a bad [plugins.telegram] section stops start-up, naming the field
    return [*api.routes, *api_triggers.routes]


@hookimpl
def register_tools(settings: Settings):
    return [TelegramSend(_settings(settings))]


@hookimpl
def register_policies(settings: Settings):
    return [ChatPolicy()]


@hookimpl
def register_triggers(settings: Settings):
    return [TelegramListener(_settings(settings))]


@hookimpl
def on_startup(app):
    install_log_redaction()  # the Bot API puts the token in every request URL


@hookimpl
def register_settings_panels(settings: Settings) -> list:
    return PANELS
