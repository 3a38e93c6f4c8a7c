"""Jarvis as an MCP server at ``/mcp`` (Streamable HTTP, the SDK's server), for Claude Desktop
or any MCP client: authenticated by a user's API key, acting with that user's rights, every
request audited."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from typing import Any

from jarvis import (
    JarvisError,
    PluginContext,
    Principal,
    RunRequest,
)
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ToolAnnotations

from .endpoint import MAX_BODY, SCOPE_KEY
from .manager import McpState
from .served_tools import add_served_tools

RUN_LIMIT = 100
READ_ONLY = ToolAnnotations(read_only_hint=True)
ACTS = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=True)


class Served:
    """The SDK server and its session manager, running for the life of the app."""

    def __init__(self, context: PluginContext, state: McpState):
        self.state = state
        self.mcp = build(context, state)
        self.manager = StreamableHTTPSessionManager(
            app=self.mcp._lowlevel_server, stateless=True, json_response=True,
            security_settings=TransportSecuritySettings(enable_dns_rebinding_protection=False),
            max_request_body_size=MAX_BODY)
        self._ready = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="mcp:serve")
        await asyncio.wait_for(self._ready.wait(), 10)

    async def _run(self) -> None:
        async with self.manager.run():
            self._ready.set()
            await self._stop.wait()

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 10)


async def start_server(context: PluginContext, state: McpState) -> None:
    served = Served(context, state)
    await served.start()
    state.server = served


async def stop_server(state: McpState) -> None:
    served = state.server
    state.server = None
    if isinstance(served, Served):
        await served.stop()


def _caller(ctx: Context) -> Principal:
    request = ctx.request_context.request
    scope = getattr(request, "scope", None) or {}
    who = scope.get(SCOPE_KEY)
    if not isinstance(who, Principal):
        raise PermissionError("not authenticated")
    return who


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """Jarvis's own refusals (not found, bad input) reach the client as the tool's error."""
    try:
        yield
    except JarvisError as err:
        raise ToolError(err.message) from None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def build(context: PluginContext, state: McpState) -> MCPServer:
    """The tools Jarvis offers MCP clients; each acts for the API key's user."""
    server = MCPServer("jarvis", instructions=(
        "Jarvis runs agents for you under the rules your Jarvis account set: list your agents, "
        "run one and get its answer, chat, and read your run history."))
    wait_for = state.settings.run_timeout

    async def finish(run_id: str) -> dict[str, Any]:
        try:
            outcome = await asyncio.wait_for(context.wait_run(run_id), wait_for)
        except TimeoutError:
            return {"run_id": run_id, "status": "running",
                    "note": f"no answer within {wait_for:g} s; read it later with get_run"}
        return {"run_id": outcome.run_id, "status": outcome.status, "text": outcome.text,
                "error": outcome.error, "conversation_id": outcome.conversation_id,
                "tool_calls": outcome.tool_calls}

    @server.tool(annotations=READ_ONLY, description="Your agents: id, name, schedule, tools.")
    async def list_my_agents(ctx: Context) -> str:
        user = _caller(ctx).user
        found = await context.list_agents(user)
        keys = ("id", "name", "enabled", "schedule", "model", "allowed_tools", "next_run")
        return _dump([{k: a.get(k) for k in keys} for a in found])

    @server.tool(annotations=ACTS, description=(
        "Run one of your agents now and wait for its answer. `message` replaces the agent's "
        "default first message."))
    async def run_agent(agent_id: str, ctx: Context, message: str | None = None) -> str:
        user = _caller(ctx).user
        with _refusals():
            run = await context.agent_run_request(user, agent_id, message)
            return _dump(await finish(await context.start_run(run)))

    @server.tool(annotations=ACTS, description=(
        "Send a chat message to Jarvis and wait for the answer. Give `conversation_id` to "
        "continue a conversation. Tool calls that need your confirmation are refused unless "
        "answered in another Jarvis client in time."))
    async def chat(message: str, ctx: Context, conversation_id: str | None = None) -> str:
        user = _caller(ctx).user
        request = RunRequest(kind="chat", user=user, message=message,
                             conversation_id=conversation_id)
        with _refusals():
            return _dump(await finish(await context.start_run(request)))

    @server.tool(annotations=READ_ONLY, description=(
        "Your runs, newest first; filter by status (done, failed, running, ...) or agent_id."))
    async def list_runs(ctx: Context, status: str | None = None, agent_id: str | None = None,
                        limit: int = 20) -> str:
        user = _caller(ctx).user
        rows, total = await context.list_runs(user.id, status=status, agent_id=agent_id,
                                              limit=min(limit, RUN_LIMIT))
        keys = ("id", "kind", "status", "agent_id", "task_id", "model", "created_at",
                "finished_at", "error")
        return _dump({"total": total, "runs": [{k: r.get(k) for k in keys} for r in rows]})

    @server.tool(annotations=READ_ONLY, description="One of your runs, with its final answer.")
    async def get_run(run_id: str, ctx: Context) -> str:
        user = _caller(ctx).user
        row = await context.get_run(run_id, user.id)
        if row is None:
            raise ToolError(f"run not found: {run_id}")
        keys = ("id", "kind", "status", "agent_id", "conversation_id", "model", "prompt",
                "final_text", "error", "tool_calls", "created_at", "finished_at")
        return _dump({k: row.get(k) for k in keys})

    add_served_tools(server, context, _caller)
    return server
