"""jarvis-mcp-client: the tools of MCP servers as agent tools, and Jarvis served to MCP clients
at /mcp."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jarvis import Policy, Settings, ToolSource, hookimpl

from .manager import McpManager, McpState, state_of
from .models import MODELS
from .policy import ServerAccessPolicy
from .routes import routes
from .settings import mcp_settings
from .tools import McpToolSource


@hookimpl
def register_models() -> list[Any]:
    return list(MODELS)


@hookimpl
def register_tool_sources(settings: Settings) -> list[ToolSource]:
    return [McpToolSource(McpState(mcp_settings(settings)))]


@hookimpl
def register_policies(settings: Settings) -> list[Policy]:
    return [ServerAccessPolicy()]


@hookimpl
def register_routes(settings: Settings) -> Any:
    found = list(routes)
    if mcp_settings(settings).serve:
        from .endpoint import routes as served

        found += list(served)
    return found


@hookimpl
async def on_startup(app: web.Application) -> None:
    state = state_of(app)
    state.manager = McpManager(app, state.settings)
    await state.manager.start()  # the server at /mcp starts with its first request


@hookimpl
async def on_shutdown(app: web.Application) -> None:
    state = state_of(app)
    if state.server is not None:
        from .serve import stop_server

        await stop_server(state)
    if state.manager is not None:
        await state.manager.close()
        state.manager = None
