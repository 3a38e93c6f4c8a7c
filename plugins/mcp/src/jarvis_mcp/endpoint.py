"""The ``/mcp`` endpoint: authenticated by a user's API key, every request audited. The SDK's
server behind it (:mod:`.serve`) starts with the first request, so the SDK is not imported
before an MCP client comes."""

from __future__ import annotations

import asyncio
import importlib
import json
from typing import Any

from aiohttp import web
from jarvis import Access, AuditEvent, PluginContext, Principal, Routes, plugin_context, principal

from . import asgi
from .manager import state_of

routes = Routes("mcp")
MAX_BODY = 4 * 1024 * 1024
SCOPE_KEY = "jarvis.principal"


def _methods(body: bytes) -> list[dict[str, Any]]:
    """What the JSON-RPC body asks for (method, and the tool of a tools/call), for the audit."""
    try:
        data = json.loads(body)
    except ValueError:
        return [{"method": "(malformed)"}]
    found = []
    for message in data if isinstance(data, list) else [data]:
        if isinstance(message, dict) and "method" in message:
            entry: dict[str, Any] = {"method": str(message["method"])[:100]}
            params = message.get("params")
            if entry["method"] == "tools/call" and isinstance(params, dict):
                entry["tool"] = str(params.get("name"))[:100]
                entry["arguments"] = params.get("arguments") or {}
            found.append(entry)
    return found


async def _audit(request: web.Request, who: Principal, status: int, asked: list[dict]) -> None:
    audit = plugin_context(request).audit
    shown = ", ".join(a["method"] + (f" {a['tool']}" if "tool" in a else "") for a in asked)
    call = next((a for a in asked if "tool" in a), None)
    await audit.record(AuditEvent(
        "tool_call" if call else "admin", "mcp_request", user_id=who.user.id,
        username=who.user.username, tool_name=call["tool"] if call else None,
        arguments=call.get("arguments", {}) if call else {}, success=status < 400,
        summary=f"{request.method} /mcp {shown or '(no request)'} -> {status}",
        detail={"api_key_id": who.api_key_id, "status": status,
                "methods": [a["method"] for a in asked]}))


async def _served(context: PluginContext) -> Any:
    """The SDK server, started by the first request (importing the SDK off the event loop)."""
    state = state_of(context)
    async with state.starting:
        if state.server is None:
            await asyncio.to_thread(importlib.import_module, f"{__package__}.serve")
            from .serve import start_server

            await start_server(context, state)
    return state.server


async def _handle(request: web.Request) -> web.StreamResponse:
    who = principal(request)
    served = await _served(plugin_context(request))
    body = await request.content.read(MAX_BODY + 1)
    asked = _methods(body) if request.method == "POST" else []
    response = await asgi.serve(served.manager.asgi_app, request, body, {SCOPE_KEY: who})
    await _audit(request, who, response.status, asked)
    return response


# Stateless: every request stands alone (no session to resume with GET or end with DELETE).
routes.post("/mcp", access=Access.USER, content_type="application/json", errors=(406, 415),
            summary="The MCP server (Streamable HTTP, JSON answers), for MCP clients with an "
            "API key (Authorization: Bearer <key>)")(_handle)
