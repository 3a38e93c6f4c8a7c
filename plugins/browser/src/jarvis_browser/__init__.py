"""jarvis-browser: a headless Chromium the agent drives, every request through the guard."""

from __future__ import annotations

from jarvis import PluginContext, Settings, Tool, hookimpl

from .engine import Engine
from .settings import BrowserSettings
from .tools import TOOLS, BrowserTool


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    config = settings.plugin("browser", BrowserSettings)
    engine = Engine(config)  # one Chromium for the server, started on first use
    return [tool(engine, config) for tool in TOOLS]


@hookimpl
async def on_shutdown(context: PluginContext) -> None:
    engines = {id(t.engine): t.engine for t in context.registered_tools.values()
               if isinstance(t, BrowserTool)}
    for engine in engines.values():
        await engine.close()
