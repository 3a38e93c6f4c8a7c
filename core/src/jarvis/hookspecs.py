"""The plugin contract: one documented function per hook.

Every hook may take ``context``, the plugin's own :class:`jarvis.PluginContext` (an
implementation names only the arguments it uses). Registration hooks are synchronous, run once
per app at start-up and return lists of objects whose methods do the async work. Event hooks
(``on_*``) may return awaitables; the core awaits them one by one, logs a failing plugin by name
and carries on. Every hook is called through pluggy, so ``tryfirst``, ``trylast`` and hook
wrappers work as pluggy documents (see :mod:`jarvis.hookcalls` for how each item stays credited
to its plugin, and each implementation gets its own plugin's context).
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Any

import pluggy

from .markers import PROJECT

if TYPE_CHECKING:
    from aiohttp import web

    from .context import PluginContext
    from .panels import SettingsPanel
    from .policy import Policy
    from .providers.base import ModelProvider
    from .settings import Settings
    from .tools import Tool, ToolSource
    from .triggers import Trigger

hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def register_providers(settings: Settings, context: PluginContext) -> list[ModelProvider]:
    """Model providers this plugin offers. Called once at start-up; return [] for none."""


@hookspec
def register_tools(settings: Settings, context: PluginContext) -> list[Tool]:
    """Tools this plugin offers the agent. Called once at start-up; return [] to offer none."""


@hookspec
def register_tool_sources(settings: Settings, context: PluginContext) -> list[ToolSource]:
    """Sources of tools asked at the start of every run, for tools that come and go while the
    server runs or differ per user (an MCP server's tools). Called once at start-up."""


@hookspec
def register_policies(settings: Settings, context: PluginContext) -> list[Policy]:
    """Policies that allow, ask about or deny resources. Called once at start-up."""


@hookspec
def register_triggers(settings: Settings, context: PluginContext) -> list[Trigger]:
    """Long-running listeners that start runs (IMAP, Telegram). Called once at start-up;
    the core runs each one supervised once the app has started."""


@hookspec
def register_routes(settings: Settings, context: PluginContext) -> Iterable[web.RouteDef]:
    """HTTP routes, declared with :class:`jarvis.Routes` so each states who may call it.
    Called once at start-up; a path and method already taken fails start-up."""


@hookspec
def register_models(context: PluginContext) -> list[Any]:
    """SQLModel table classes (and :class:`jarvis.Migration` steps) this plugin needs.
    Called once at start-up, before the tables are created or migrated."""


@hookspec
def register_settings_panels(settings: Settings, context: PluginContext) -> list[SettingsPanel]:
    """Settings panels for the web interface, each section bound to one of this plugin's own
    routes. Called once at start-up; a section naming a route the plugin lacks fails start-up."""


@hookspec
def on_startup(context: PluginContext) -> Awaitable[None] | None:
    """The app has started: database ready, triggers about to run. May return an awaitable."""


@hookspec
def on_shutdown(context: PluginContext) -> Awaitable[None] | None:
    """The app is stopping: close clients and files. May return an awaitable."""
