"""jarvis-subagents: ``ask_agent``, one of the user's agents asking another of theirs."""

from __future__ import annotations

from jarvis import Settings, Tool, hookimpl

from .settings import subagent_settings
from .tool import AskAgent


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    return [AskAgent(subagent_settings(settings))]
