"""jarvis-search: web search for the agent, SearXNG's JSON API by default."""

from __future__ import annotations

from jarvis import PluginContext, Tool, hookimpl

from .settings import SearchSettings
from .tool import WebSearch


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    return [WebSearch(context.plugin_settings(SearchSettings))]
