"""The MCP server routes: each user's own servers, and the shared ones admins add."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from aiohttp import web
from jarvis import Access, Ok, Routes, audit_action, current_user, iso, plugin_context
from pydantic import BaseModel, Field

from . import servers
from .link import Link
from .manager import manager_of, state_of
from .names import group_of, tool_names
from .schemas import ServerCreate, ServerOut, ServerUpdate, StatusOut, ToolOut

if TYPE_CHECKING:  # the SDK is imported when a server is first connected
    import mcp.types as mt

routes = Routes("mcp")


class ServerPath(BaseModel):
    id: str = Field(min_length=1, max_length=64)


def status_of(link: Link | None, enabled: bool) -> StatusOut:
    """The live status of a server's connection in this process."""
    if not enabled:
        return StatusOut(state="disabled")
    if link is None:
        return StatusOut(state="connecting")
    names = tool_names(link.spec.name, [t.name for t in link.tools])
    by_mcp = {t.name: t for t in link.tools}
    tools = [] if link.state != "connected" else [
        ToolOut(name=name, mcp_name=mcp_name, description=by_mcp[mcp_name].description or "",
                read_only=_read_only(by_mcp[mcp_name]))
        for name, mcp_name in names.items()]
    when = None
    if link.state == "retrying" and link.next_attempt is not None:
        when = dt.datetime.fromtimestamp(link.next_attempt, dt.UTC).isoformat(
            timespec="seconds").replace("+00:00", "Z")
    return StatusOut(state=link.state, reason=link.reason, next_attempt_at=when,
                     attempts=link.attempts, tools=tools)


async def _shown(request: web.Request, row) -> ServerOut:
    plugin, user = plugin_context(request), current_user(request)
    settings = state_of(plugin).settings
    manager = manager_of(plugin)
    link = manager.link(row.id) if manager is not None else None
    if link is not None and link.spec.version != row.updated_at:
        link = None  # the change has not reached the connection yet
    names = await servers.secret_names(plugin.vault, row)
    return ServerOut(
        id=row.id, name=row.name, group=group_of(row.name), transport=row.transport,
        url=row.url, command=row.command, args=json.loads(row.args),
        header_names=names["headers"], env_names=names["env"], shared=row.shared,
        mine=row.user_id == user.id, enabled=row.enabled,
        call_timeout=row.call_timeout or settings.call_timeout,
        max_result_chars=row.max_result_chars or settings.max_result_chars,
        status=status_of(link, row.enabled), created_at=iso(row.created_at),
        updated_at=iso(row.updated_at))


async def _changed(request: web.Request) -> None:
    manager = manager_of(plugin_context(request))
    if manager is not None:
        await manager.sync()


def _read_only(tool: mt.Tool) -> bool:
    return bool(tool.annotations and tool.annotations.read_only_hint)


@routes.get("/api/mcp-servers", access=Access.OWNER, response=list[ServerOut],
            summary="Your MCP servers and the shared ones, with their live status")
async def list_servers(request: web.Request) -> list[ServerOut]:
    rows = await servers.list_rows(plugin_context(request).db, current_user(request))
    return [await _shown(request, row) for row in rows]


@routes.post("/api/mcp-servers", access=Access.OWNER, body=ServerCreate, response=ServerOut,
             status=201, errors=(403, 409),
             summary="Add an MCP server (stdio and shared ones: admins only)")
async def create_server(request: web.Request, body: ServerCreate) -> ServerOut:
    plugin, user = plugin_context(request), current_user(request)
    server_id = await servers.create(plugin.db, plugin.vault, user, body,
                                     plugin.http.policy, state_of(plugin).settings)
    await _changed(request)
    row = await servers.get_row(plugin.db, user, server_id)
    await audit_action(request, "mcp_server_added",
                       f"MCP server {row.name} added ({row.transport})", kind="admin",
                       server_id=row.id, name=row.name, transport=row.transport,
                       shared=row.shared)
    return await _shown(request, row)


@routes.get("/api/mcp-servers/{id}", access=Access.OWNER, response=ServerOut,
            path_params=ServerPath, summary="One MCP server, with its live status")
async def get_server(request: web.Request, path: ServerPath) -> ServerOut:
    return await _shown(request, await servers.get_row(
        plugin_context(request).db, current_user(request), path.id))


@routes.get("/api/mcp-servers/{id}/status", access=Access.OWNER, response=StatusOut,
            path_params=ServerPath,
            summary="The live status: connected, retrying (next attempt), failed (why), tools")
async def server_status(request: web.Request, path: ServerPath) -> StatusOut:
    return (await get_server(request, path)).status


@routes.put("/api/mcp-servers/{id}", access=Access.OWNER, body=ServerUpdate, response=ServerOut,
            path_params=ServerPath, errors=(403, 409),
            summary="Change an MCP server (only the fields given; headers: {} clears them)")
async def update_server(request: web.Request, body: ServerUpdate, path: ServerPath) -> ServerOut:
    plugin, user = plugin_context(request), current_user(request)
    await servers.change(plugin.db, plugin.vault, user, path.id, body,
                         plugin.http.policy, state_of(plugin).settings)
    await _changed(request)
    row = await servers.get_row(plugin.db, user, path.id)
    await audit_action(request, "mcp_server_changed", f"MCP server {row.name} changed",
                       kind="admin", server_id=row.id, name=row.name,
                       fields=sorted(body.model_dump(exclude_unset=True)))
    return await _shown(request, row)


@routes.delete("/api/mcp-servers/{id}", access=Access.OWNER, response=Ok, path_params=ServerPath,
               errors=(403,), summary="Remove an MCP server and its stored headers")
async def delete_server(request: web.Request, path: ServerPath) -> Ok:
    plugin = plugin_context(request)
    row = await servers.remove(plugin.db, plugin.vault, current_user(request), path.id)
    await _changed(request)
    await audit_action(request, "mcp_server_removed", f"MCP server {row.name} removed",
                       kind="admin", server_id=row.id, name=row.name)
    return Ok()
