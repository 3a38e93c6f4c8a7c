"""The plugin manager (one per app) and the registry of what the plugins contributed."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy
from aiohttp import web

from . import hookspecs
from .context import PluginContexts
from .db import Migration
from .hookcalls import HookFailed, HookRecorder, call_hook
from .markers import PROJECT
from .panels import PANEL_ID, SettingsPanel
from .policy import Policy
from .providers.base import ModelProvider
from .settings import Settings, SettingsError
from .tools import TOOL_NAME, Tool, ToolSource
from .triggers import Trigger
from .web import route_spec

log = logging.getLogger(__name__)

CORE_DISTRIBUTION = "jarvis-server"


class PluginError(Exception):
    """A plugin cannot be loaded; the message names the plugin and the problem."""


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, knowing each plugin's distribution (name, version)."""

    def __init__(self) -> None:
        super().__init__(PROJECT)
        self.add_hookspecs(hookspecs)
        self.distributions: dict[str, tuple[str, str]] = {}
        self.recorder = HookRecorder(self)

    def described(self, name: str) -> str:
        """``name (distribution version)``, as error messages name a plugin."""
        dist = self.distributions.get(name)
        return f"{name} ({dist[0]} {dist[1]})" if dist else name


def plugin_name(pm: pluggy.PluginManager, plugin: Any) -> str:
    name = pm.get_name(plugin) or getattr(plugin, "__name__", None)
    return name if isinstance(name, str) else type(plugin).__name__


def build_plugin_manager(settings: Settings, plugins: list[Any] | None = None) -> PluginManager:
    """The installed entry points (when ``plugins`` is None) or exactly the given plugins, less
    the disabled ones (and, with ``load_plugins``, only those named)."""
    pm = PluginManager()
    known = known_plugin_names(plugins)
    for setting in ("disable_plugins", "load_plugins"):
        for name in getattr(settings, setting) or []:
            if name not in known:
                raise SettingsError(
                    f"invalid setting {setting}: no plugin named {name!r} is installed "
                    f"(installed: {', '.join(sorted(known))})"
                )
    for name in known:
        if name in settings.disable_plugins or (
                settings.load_plugins is not None and name not in settings.load_plugins):
            pm.set_blocked(name)
    if plugins is None:
        _load_entry_points(pm, settings)
    else:
        names = [_short_name(plugin) for plugin in plugins]
        for short in names:
            if names.count(short) > 1:
                raise PluginError(f"two plugins are named {short}")
        # pluggy calls the plugin registered last first: registered from the end, the plugins
        # are called (and what they contribute is listed) in the order given
        for plugin, short in reversed(list(zip(plugins, names, strict=True))):
            if not pm.is_blocked(short):
                _register(pm, settings, short, lambda p=plugin: p)
    while True:
        try:
            pm.check_pending()
            break
        except pluggy.PluginValidationError as err:
            name = plugin_name(pm, err.plugin)
            skip_or_fail(pm, settings, name, f"plugin {pm.described(name)}: {err}")
    return pm


def _load_entry_points(pm: PluginManager, settings: Settings) -> None:
    for dist in metadata.distributions():
        for ep in dist.entry_points:
            if ep.group != PROJECT or pm.is_blocked(ep.name) or pm.has_plugin(ep.name):
                continue
            check_core_requirement(dist, ep.name)
            pm.distributions[ep.name] = (dist.metadata["Name"], dist.version)
            _register(pm, settings, ep.name, ep.load)


def _register(pm: PluginManager, settings: Settings, name: str, load: Any) -> None:
    """Import (``load()``) and register one plugin; a failure names it and its distribution,
    and stops start-up unless ``skip_failing_plugins`` is set."""
    try:
        plugin = load()
    except Exception as exc:
        skip_or_fail(pm, settings, name,
                     f"plugin {pm.described(name)} failed to import: {type(exc).__name__}: {exc}")
        return
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        skip_or_fail(pm, settings, name, f"plugin {pm.described(name)}: {exc}")


def skip_or_fail(pm: PluginManager, settings: Settings, name: str, message: str) -> None:
    """Raise ``message`` as a PluginError, or (``skip_failing_plugins``) warn and block it."""
    if not settings.skip_failing_plugins:
        raise PluginError(message + " (set JARVIS_SKIP_FAILING_PLUGINS=true to start without it, "
                          f"or JARVIS_DISABLE_PLUGINS={name})")
    log.warning("%s: starting without it", message)
    if pm.has_plugin(name):
        pm.unregister(name=name)
    pm.set_blocked(name)


def _short_name(plugin: Any) -> str:
    return (getattr(plugin, "__name__", None) or type(plugin).__name__).removeprefix("jarvis_")


def known_plugin_names(plugins: list[Any] | None = None) -> set[str]:
    """Every plugin that could be loaded: the installed entry points and ``plugins`` (an app's
    explicit list), whether disabled or not."""
    names = {ep.name for ep in metadata.entry_points(group=PROJECT)}
    return names | {_short_name(p) for p in plugins or []}


def check_plugin_sections(pm: pluggy.PluginManager, settings: Settings,
                          plugins: list[Any] | None = None) -> None:
    """A ``[plugins.<name>]`` section must belong to an installed plugin, and a loaded plugin
    must have read it while registering (else none of its keys is a setting)."""
    known = known_plugin_names(plugins)
    read = settings.sections_read()
    for name, section in settings.plugins.items():
        if name not in known:
            raise SettingsError(
                f"invalid setting plugins.{name}: no plugin named {name!r} is installed "
                f"(installed: {', '.join(sorted(known))})"
            )
        if pm.has_plugin(name) and name not in read and section:
            field = next(iter(section))
            raise SettingsError(
                f"plugin {name}: invalid setting plugins.{name}.{field}: no such setting "
                f"(plugin {name} has no settings)"
            )


def check_core_requirement(dist: metadata.Distribution, plugin: str) -> None:
    """Refuse a plugin whose distribution requires a Jarvis other than this one (it was built
    for another major version: while Jarvis is 0.x, each minor version is one)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    core = metadata.version(CORE_DISTRIBUTION)
    for line in dist.requires or []:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(req.name) != CORE_DISTRIBUTION or (
                req.marker and not req.marker.evaluate({"extra": ""})):
            continue
        if not req.specifier.contains(core, prereleases=True):
            name = dist.metadata["Name"]
            raise PluginError(
                f"plugin {plugin} ({name} {dist.version}) needs {CORE_DISTRIBUTION}"
                f"{req.specifier} but this is {core}: install a {name} made for this version "
                f"or disable it (JARVIS_DISABLE_PLUGINS={plugin})"
            )


@dataclass
class PluginInfo:
    name: str
    version: str
    distribution: str | None
    hooks: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    tool_sources: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)


@dataclass
class Registry:
    """Everything the plugins contributed to one app, each item tagged with its plugin."""

    pm: PluginManager
    tools: dict[str, Tool] = field(default_factory=dict)
    tool_sources: list[ToolSource] = field(default_factory=list)
    policies: dict[str, list[Policy]] = field(default_factory=dict)
    triggers: list[Trigger] = field(default_factory=list)
    providers: dict[str, ModelProvider] = field(default_factory=dict)
    routes: list[tuple[str, web.RouteDef]] = field(default_factory=list)
    models: list[Any] = field(default_factory=list)
    # the table classes of each schema component: the plugin's name (or its steps' component)
    schema_models: dict[str, list[Any]] = field(default_factory=dict)
    migrations: list[Migration] = field(default_factory=list)
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    panels: list[tuple[str, SettingsPanel]] = field(default_factory=list)

    @property
    def tool_groups(self) -> set[str]:
        return {t.group for t in self.tools.values()}

    @property
    def tool_prefixes(self) -> tuple[str, ...]:
        """The name prefixes of the tool sources' tools."""
        return tuple(s.prefix for s in self.tool_sources)


def _call_each(pm: PluginManager, hook_name: str, contexts: PluginContexts | None = None,
               **kwargs: Any) -> list[tuple[str, list[Any]]]:
    """Call one hook through pluggy, each plugin given its own ``context``; each plugin's
    items, in the order pluggy called them."""
    grouped: dict[str, list[Any]] = {}
    for plugin, item in call_hook(pm.recorder, hook_name, contexts=contexts, **kwargs).items:
        grouped.setdefault(plugin, []).append(item)
    return list(grouped.items())


def _claim(owners: dict[tuple[str, ...], str], key: tuple[str, ...], label: str,
           plugin: str) -> None:
    """Note that ``plugin`` registers ``key``; a second registration fails start-up naming both."""
    if key in owners:
        raise PluginError(f"{label} is registered by both plugin {owners[key]} and plugin {plugin}")
    owners[key] = plugin


def _adopt(owners: dict[tuple[str, ...], str], kind: str, key: str, item: Any, plugin: str,
           listed: list[str]) -> None:
    """Tag ``item`` (a provider, tool or trigger named ``key``) with its plugin, and list it."""
    _claim(owners, (kind, key), f"{kind} {key!r}", plugin)
    item.plugin = plugin
    listed.append(key)


def build_registry(pm: PluginManager, settings: Settings,
                   core_routes: list[web.RouteDef],
                   contexts: PluginContexts | None = None) -> Registry:
    """Collect every plugin's contributions; duplicate names fail start-up naming both plugins.

    A plugin whose registration hook raises stops start-up with a message naming it, or, with
    ``skip_failing_plugins``, is unregistered (a warning names it) and collecting starts over.
    """
    contexts = contexts if contexts is not None else PluginContexts(settings)
    while True:
        try:
            return _collect(pm, settings, core_routes, contexts)
        except HookFailed as failed:
            if failed.plugin is None:
                raise PluginError(str(failed)) from failed.error
            skip_or_fail(pm, settings, failed.plugin,
                         f"plugin {pm.described(failed.plugin)}: {failed}")


def _collect(pm: PluginManager, settings: Settings, core_routes: list[web.RouteDef],
             contexts: PluginContexts) -> Registry:
    reg = Registry(pm)
    contexts.registry = reg
    core_version = metadata.version(CORE_DISTRIBUTION)
    for plugin in pm.get_plugins():
        name = plugin_name(pm, plugin)
        dist, version = pm.distributions.get(name, (CORE_DISTRIBUTION, core_version))
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        reg.plugins[name] = PluginInfo(name, version, dist, hooks)

    owners: dict[tuple[str, ...], str] = {}
    for name, providers in _call_each(pm, "register_providers", contexts, settings=settings):
        for provider in providers:
            _adopt(owners, "provider", provider.id, provider, name, reg.plugins[name].providers)
            reg.providers[provider.id] = provider

    for name, tools in _call_each(pm, "register_tools", contexts, settings=settings):
        for tool in tools:
            if not TOOL_NAME.match(tool.name):
                raise PluginError(
                    f"plugin {name}: tool name {tool.name!r} must match {TOOL_NAME.pattern}")
            _adopt(owners, "tool", tool.name, tool, name, reg.plugins[name].tools)
            reg.tools[tool.name] = tool

    for name, sources in _call_each(pm, "register_tool_sources", contexts, settings=settings):
        for source in sources:
            prefix = getattr(source, "prefix", "")
            if not prefix or not TOOL_NAME.match(prefix + "x"):
                raise PluginError(f"plugin {name}: tool source {source.name!r} needs a prefix "
                                  f"that starts valid tool names ({TOOL_NAME.pattern})")
            _adopt(owners, "tool source", prefix, source, name, reg.plugins[name].tool_sources)
            reg.tool_sources.append(source)
    for tool_name, tool in reg.tools.items():
        for source in reg.tool_sources:
            if tool_name.startswith(source.prefix):
                raise PluginError(f"plugin {tool.plugin}: tool name {tool_name!r} uses the prefix "
                                  f"{source.prefix!r} of plugin {source.plugin}'s tool source")

    for name, policies in _call_each(pm, "register_policies", contexts, settings=settings):
        for policy in policies:
            if not policy.resource:
                raise PluginError(f"plugin {name}: policy {type(policy).__name__} has no resource")
            reg.policies.setdefault(policy.resource, []).append(policy)
            reg.plugins[name].policies.append(policy.resource)

    for name, triggers in _call_each(pm, "register_triggers", contexts, settings=settings):
        for trigger in triggers:
            _adopt(owners, "trigger", trigger.name, trigger, name, reg.plugins[name].triggers)
            reg.triggers.append(trigger)

    plugin_routes = _call_each(pm, "register_routes", contexts, settings=settings)
    for name, defs in [("core", core_routes), *plugin_routes]:
        for rd in defs:
            if not isinstance(rd, web.RouteDef):
                raise PluginError(f"plugin {name}: register_routes must return aiohttp RouteDefs")
            if route_spec(rd.handler) is None:
                raise PluginError(
                    f"plugin {name}: route {rd.method} {rd.path} does not declare who may call it "
                    "(declare it with jarvis.Routes)"
                )
            _claim(owners, ("route", rd.method, rd.path), f"route {rd.method} {rd.path}", name)
            reg.routes.append((name, rd))
            if name in reg.plugins:
                reg.plugins[name].routes.append(f"{rd.method} {rd.path}")

    for name, models in _call_each(pm, "register_models", contexts):
        steps = [m for m in models if isinstance(m, Migration)]
        tables = [m for m in models if not isinstance(m, Migration)]
        reg.migrations += steps
        reg.models += tables
        named = {s.component for s in steps}
        component = named.pop() if len(named) == 1 else name
        reg.schema_models.setdefault(component, []).extend(tables)

    for name, panels in _call_each(pm, "register_settings_panels", contexts, settings=settings):
        for panel in panels:
            _check_panel(name, panel, reg)
            _claim(owners, ("panel", panel.id), f"settings panel {panel.id!r}", name)
            reg.panels.append((name, panel))
    return reg


def _check_panel(plugin: str, panel: Any, reg: Registry) -> None:
    """A panel's sections must name routes the plugin itself registered."""
    from .openapi import openapi_path

    if not isinstance(panel, SettingsPanel) or not re.match(PANEL_ID, panel.id):
        raise PluginError(f"plugin {plugin}: register_settings_panels must return "
                          f"SettingsPanel objects with ids matching {PANEL_ID}")
    own = {(rd.method, openapi_path(rd.path)) for owner, rd in reg.routes if owner == plugin}
    for section in panel.sections:
        for method, path in section_routes(section):
            if (method, openapi_path(path)) not in own:
                raise PluginError(f"plugin {plugin}: settings panel {panel.id!r} section "
                                  f"{section.title!r} names {method} {path}, which is not one "
                                  "of the plugin's routes")


def section_routes(section: Any) -> list[tuple[str, str]]:
    """The (method, path) pairs a panel section calls."""
    kind = section.kind
    if kind == "form":
        found = [("GET", section.path), (section.method, section.path)]
        return found + ([("DELETE", section.path)] if section.delete else [])
    if kind == "list":
        found = [("GET", section.path), ("POST", section.path)]
        return found + ([("DELETE", section.remove)] if section.remove else [])
    return [(section.method, section.path)]
