"""jarvis-subagents: ``ask_agent``, one of the user's agents asking another of theirs."""

from __future__ import annotations

from jarvis import PluginContext, Tool, hookimpl

from .settings import SubagentSettings
from .tool import AskAgent


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    return [AskAgent(context.plugin_settings(SubagentSettings))]
