"""jarvis-telegram: a Telegram bot with a chat whitelist, trigger words and a send tool."""

from __future__ import annotations

from jarvis import PluginContext, hookimpl

from . import api, api_triggers
from .client import install_log_redaction
from .listener import TelegramListener
from .models import TelegramChat, TelegramChatUser, TelegramTrigger
from .panels import PANELS
from .policy import ChatPolicy
from .send_tool import TelegramSend
from .settings import TelegramSettings


def _settings(context: PluginContext) -> TelegramSettings:
    return context.plugin_settings(TelegramSettings)


@hookimpl
def register_models():
    return [TelegramChat, TelegramChatUser, TelegramTrigger]


@hookimpl
def register_routes(context: PluginContext):
    _settings(context)  # a bad [plugins.telegram] section stops start-up, naming the field
    return [*api.routes, *api_triggers.routes]


@hookimpl
def register_tools(context: PluginContext):
    return [TelegramSend(_settings(context))]


@hookimpl
def register_policies():
    return [ChatPolicy()]


@hookimpl
def register_triggers(context: PluginContext):
    return [TelegramListener(_settings(context))]


@hookimpl
def on_startup():
    install_log_redaction()  # the Bot API puts the token in every request URL


@hookimpl
def register_settings_panels() -> list:
    return PANELS
