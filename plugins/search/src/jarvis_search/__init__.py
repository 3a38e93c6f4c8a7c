"""jarvis-search: web search for the agent, SearXNG's JSON API by default."""

from __future__ import annotations

from jarvis import Settings, Tool, hookimpl

from .settings import SearchSettings
from .tool import WebSearch


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    return [WebSearch(settings.plugin("search", SearchSettings))]
