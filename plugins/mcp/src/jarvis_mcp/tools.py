"""An MCP server's tools as agent tools, and the tool source that offers them per run."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from jarvis import (
    PluginContext,
    PolicyRequest,
    RunRef,
    Tool,
    ToolContext,
    ToolResult,
    ToolSource,
    UserRef,
    sanitize_text,
)
from pydantic import BaseModel, ConfigDict

from .link import Link, Unavailable
from .names import PREFIX, group_of, tool_names

if TYPE_CHECKING:
    import mcp.types as mt

DESCRIPTION_MAX = 2000
RESOURCE = "mcp.tool"  # what the policies decide about: "<server>/<tool>"


class McpArguments(BaseModel):
    """Whatever the server's input schema takes: the server checks its own arguments."""

    model_config = ConfigDict(extra="allow")


class McpTool(Tool):
    """One tool of one MCP server. Its result is outside content (it taints the run); a tool
    the server does not mark read-only asks before it runs (and needs a grant when headless)."""

    Input = McpArguments
    reads_untrusted = True

    def __init__(self, link: Link, name: str, tool: mt.Tool):
        self.link = link
        self.name = name
        self.mcp_name = tool.name
        self.group = group_of(link.spec.name)
        # the server wrote this text and the model reads it: no hidden or steering words
        about = sanitize_text(tool.description or tool.title or tool.name).strip()
        self.description = f"[MCP server {link.spec.name}] {about}"[:DESCRIPTION_MAX]
        hints = tool.annotations
        self.read_only = bool(hints is not None and hints.read_only_hint)
        self.side_effect = not self.read_only
        self.schema = dict(tool.input_schema or {"type": "object"})

    def input_schema(self) -> dict[str, Any]:
        return self.schema

    def requires_confirmation(self, args: BaseModel) -> bool:
        return not self.read_only

    def policy_requests(self, args: BaseModel) -> list[PolicyRequest]:
        return [PolicyRequest(RESOURCE, f"{self.link.spec.name}/{self.mcp_name}",
                              detail={"server_id": self.link.spec.id})]

    def describe(self, args: BaseModel) -> str:
        shown = json.dumps(args.model_dump(), ensure_ascii=False)[:500]
        return f"{self.mcp_name} on MCP server {self.link.spec.name} with {shown}"

    async def run(self, args: McpArguments, ctx: ToolContext) -> ToolResult:
        if not self.link.spec.visible_to(ctx.user.id):
            return ToolResult.failure(f"there is no MCP server {self.link.spec.name} for you")
        try:
            result = await self.link.call(self.mcp_name, args.model_dump())
        except Unavailable as err:
            return ToolResult.failure(str(err))
        return to_result(result, self.link.spec.max_result_chars)


def to_result(result: mt.CallToolResult, limit: int) -> ToolResult:
    """The MCP result as a ToolResult: text kept, other content named, cut at ``limit``."""
    import mcp.types as mt

    parts: list[str] = []
    for block in result.content:
        if isinstance(block, mt.TextContent):
            parts.append(block.text)
        elif isinstance(block, mt.EmbeddedResource):
            res = block.resource
            text = getattr(res, "text", None)
            parts.append(text if text is not None else f"[binary resource {res.uri}]")
        elif isinstance(block, mt.ResourceLink):
            parts.append(f"[resource {block.uri}]")
        else:
            kind = getattr(block, "type", "content")
            mime = getattr(block, "mime_type", None)
            parts.append(f"[{kind}{f' ({mime})' if mime else ''} not shown]")
    if not any(p.strip() for p in parts) and result.structured_content is not None:
        parts = [json.dumps(result.structured_content, ensure_ascii=False)]
    text = "\n".join(parts)
    if len(text) > limit:
        text = text[:limit] + f"\n[the result was cut at {limit} characters]"
    if result.is_error:
        return ToolResult.failure(f"the MCP tool reported an error: {text or 'no details'}")
    return ToolResult(content=text)


def link_tools(link: Link) -> list[McpTool]:
    """The agent tools of a connected server."""
    if link.state != "connected":
        return []
    names = tool_names(link.spec.name, [t.name for t in link.tools])
    by_mcp = {t.name: t for t in link.tools}
    return [McpTool(link, name, by_mcp[mcp_name]) for name, mcp_name in names.items()]


class McpToolSource(ToolSource):
    """The tools of the MCP servers a user may use: their own, and the shared ones."""

    name = "mcp"
    prefix = PREFIX

    async def tools(self, context: PluginContext, user: UserRef, run: RunRef) -> list[Tool]:
        from .manager import manager_of

        manager = manager_of(context)
        if manager is None:
            return []
        return [t for link in manager.links_for(user.id) for t in link_tools(link)]
