"""jarvis-memory: each user's semantic memory ("second brain") as tools, also served over MCP."""

from __future__ import annotations

from typing import Any

from jarvis import PluginContext, Settings, Tool, hookimpl

from .models import MODELS
from .settings import memory_settings
from .tools import BACKEND, MemoryCapture, MemoryRecent, MemorySearch, MemoryStats
from .vectors import detect, register_sqlite_vec


@hookimpl
def register_models() -> list[Any]:
    # before the database opens its first connection: each SQLite connection has sqlite-vec
    register_sqlite_vec()
    return list(MODELS)


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    config = memory_settings(settings)
    return [MemoryCapture(config), MemorySearch(config), MemoryRecent(config),
            MemoryStats(config)]


@hookimpl
async def on_startup(context: PluginContext) -> None:
    context.state[BACKEND] = await detect(context.db)
