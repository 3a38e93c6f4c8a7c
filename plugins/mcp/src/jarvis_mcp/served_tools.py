"""Plugin tools marked ``served_over_mcp`` (a memory, say), offered as they are by ``/mcp``:
each call validates its arguments with the tool's own input model and runs the tool for the
API key's user, in a context of that user alone."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from jarvis import PluginContext, RunRef, Tool, direct_tool_context, new_id
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import ValidationError


def served(context: PluginContext) -> list[Tool]:
    """The registered tools that ask to be served over MCP, by name."""
    tools = context.registered_tools.values()
    return sorted((t for t in tools if t.served_over_mcp), key=lambda t: t.name)


def _signature(tool: Tool) -> inspect.Signature:
    """Keyword parameters mirroring the tool's input model, so the SDK shows its schema."""
    params = []
    for name, field in tool.Input.model_fields.items():
        default = inspect.Parameter.empty if field.is_required() else field.get_default()
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=Annotated[field.annotation, field]))
    params.append(inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=Context))
    return inspect.Signature(params, return_annotation=str)


def add_served_tools(server: MCPServer, context: PluginContext, caller: Any) -> None:
    """Add every served tool to ``server``; ``caller(ctx)`` is the authenticated principal."""
    for tool in served(context):
        server.add_tool(_runner(context, tool, caller), name=tool.name,
                        description=tool.description,
                        annotations=ToolAnnotations(read_only_hint=not tool.side_effect))


def _runner(context: PluginContext, tool: Tool, caller: Any) -> Any:
    async def call(ctx: Context, **arguments: Any) -> str:
        user = caller(ctx).user
        if tool.admin_only and not user.is_admin:
            raise ToolError(f"{tool.name} is for admins only")
        try:
            args = tool.Input.model_validate(arguments)
        except ValidationError as err:
            raise ToolError(f"invalid arguments: {err.errors()[0]['msg']}") from None
        if tool.requires_confirmation(args) or tool.policy_requests(args):
            raise ToolError(f"{tool.name} needs a confirmation: use it in a Jarvis chat")
        run = RunRef(f"mcp-{new_id()}", "api")
        result = await tool.run(args, direct_tool_context(context, tool, user, run))
        if not result.ok:
            raise ToolError(result.error or f"{tool.name} failed")
        return result.content

    call.__signature__ = signature = _signature(tool)  # type: ignore[attr-defined]
    call.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    call.__annotations__["return"] = str
    call.__name__ = tool.name
    return call
