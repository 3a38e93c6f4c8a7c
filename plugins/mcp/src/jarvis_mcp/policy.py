"""The policy for MCP tool calls: a call reaches only a server the caller may use."""

from __future__ import annotations

from typing import Any

from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, deny

from .manager import manager_of
from .tools import RESOURCE


class ServerAccessPolicy(Policy):
    """Allows a call to a connected server the user may use (their own or a shared one);
    other plugins' policies for ``mcp.tool`` may deny or ask on top (value ``server/tool``)."""

    resource = RESOURCE

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        manager: Any = manager_of(ctx.context)
        link = manager.link(request.detail.get("server_id", "")) if manager else None
        if link is None or not link.spec.visible_to(ctx.user.id):
            return deny(f"there is no MCP server for {request.value} that you may use")
        return allow()
