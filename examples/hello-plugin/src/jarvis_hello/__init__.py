"""jarvis-hello: an example third-party plugin, written from Jarvis's public API only.

Each hook returns the objects it contributes; the objects live in small modules of their own.
Every hook may take ``context``, the plugin's own :class:`jarvis.PluginContext`: its settings
section here, and the database, vault, audit log and runs in routes, tools and triggers.
"""

from __future__ import annotations

from jarvis import PluginContext, hookimpl

from .panels import PANELS
from .policy import NamePolicy
from .routes import routes
from .settings import HelloSettings
from .tool import Greet
from .trigger import Ticker


def _settings(context: PluginContext) -> HelloSettings:
    return context.plugin_settings(HelloSettings)


@hookimpl
def register_tools(context: PluginContext) -> list:
    return [Greet(_settings(context))]


@hookimpl
def register_policies(context: PluginContext) -> list:
    return [NamePolicy(_settings(context))]


@hookimpl
def register_routes(context: PluginContext):
    _settings(context)  # a bad [plugins.hello] section stops start-up, naming the field
    return routes


@hookimpl
def register_triggers(context: PluginContext) -> list:
    return [Ticker(_settings(context))]


@hookimpl
def register_settings_panels() -> list:
    return PANELS
