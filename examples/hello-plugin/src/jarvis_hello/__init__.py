"""jarvis-hello: an example third-party plugin, written from Jarvis's public API only.

Each hook returns the objects it contributes; the objects live in small modules of their own.
"""

from __future__ import annotations

from jarvis import Settings, hookimpl

from .panels import PANELS
from .policy import NamePolicy
from .routes import routes
from .settings import HelloSettings
from .tool import Greet
from .trigger import Ticker


def _settings(settings: Settings) -> HelloSettings:
    return settings.plugin("hello", HelloSettings)


@hookimpl
def register_tools(settings: Settings) -> list:
    return [Greet(_settings(settings))]


@hookimpl
def register_policies(settings: Settings) -> list:
    return [NamePolicy(_settings(settings))]


@hookimpl
def register_routes(settings: Settings):
    return routes


@hookimpl
def register_triggers(settings: Settings) -> list:
    return [Ticker(_settings(settings))]


@hookimpl
def register_settings_panels(settings: Settings) -> list:
    return PANELS
