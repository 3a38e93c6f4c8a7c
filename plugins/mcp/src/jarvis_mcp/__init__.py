"""jarvis-mcp-client: the tools of MCP servers as agent tools, and Jarvis served to MCP clients
at /mcp."""

from __future__ import annotations

from typing import Any

from jarvis import PluginContext, Policy, ToolSource, hookimpl

from .manager import McpManager, state_of
from .models import MODELS
from .policy import ServerAccessPolicy
from .routes import routes
from .tools import McpToolSource


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tool_sources(context: PluginContext) -> list[ToolSource]:
    state_of(context)  # a bad [plugins.mcp] section stops start-up, naming the field
    return [McpToolSource()]


@hookimpl
def register_policies() -> list[Policy]:
    return [ServerAccessPolicy()]


@hookimpl
def register_routes(context: PluginContext) -> Any:
    found = list(routes)
    if state_of(context).settings.serve:
        from .endpoint import routes as served

        found += list(served)
    return found


@hookimpl
async def on_startup(context: PluginContext) -> None:
    state = state_of(context)
    state.manager = McpManager(context, state.settings)
    await state.manager.start()  # the server at /mcp starts with its first request


@hookimpl
async def on_shutdown(context: PluginContext) -> None:
    state = state_of(context)
    if state.server is not None:
        from .serve import stop_server

        await stop_server(state)
    if state.manager is not None:
        await state.manager.close()
        state.manager = None
