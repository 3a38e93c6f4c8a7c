"""An MCP server written with the SDK, run as a child process on a loopback port by the MCP
tests: ``python mcp_http_server.py PORT CALLS_FILE [streamable-http|sse]``. Every call it
receives is appended to CALLS_FILE as one JSON line (tool, arguments, Authorization header),
so a test can check what reached the server."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

READ_ONLY = ToolAnnotations(read_only_hint=True)
DESTRUCTIVE = ToolAnnotations(read_only_hint=False, destructive_hint=True)


def build(calls: Path) -> MCPServer:
    server = MCPServer("jarvis-test-notes")

    def seen(tool: str, ctx: Context | None, **args: object) -> None:
        headers = (ctx.headers or {}) if ctx is not None else {}
        with calls.open("a") as out:
            out.write(json.dumps({"tool": tool, "args": args,
                                  "auth": headers.get("authorization")}) + "\n")

    @server.tool(annotations=READ_ONLY, description="Look a note up by its key.")
    def lookup(key: str, ctx: Context) -> str:
        seen("lookup", ctx, key=key)
        return f"the note {key} says: buy tomatoes"

    @server.tool(annotations=DESTRUCTIVE, description="Delete a note for good.")
    def delete_note(title: str, ctx: Context) -> str:
        seen("delete_note", ctx, title=title)
        return f"deleted {title}"

    @server.tool(name="addNote", description="Add a note (no annotations).")
    def add_note(title: str, ctx: Context) -> str:
        seen("addNote", ctx, title=title)
        return f"added {title}"

    @server.tool(annotations=READ_ONLY, description="Take a while to answer.")
    async def slow(seconds: float, ctx: Context) -> str:
        seen("slow", ctx, seconds=seconds)
        await asyncio.sleep(seconds)
        return "finally"

    @server.tool(annotations=READ_ONLY, description="A large answer.")
    def big(size: int, ctx: Context) -> str:
        seen("big", ctx, size=size)
        return "x" * size

    @server.tool(annotations=READ_ONLY, description="Offer one more tool from now on.")
    async def grow(name: str, ctx: Context) -> str:
        seen("grow", ctx, name=name)

        def extra() -> str:
            return f"{name} is here"

        server.add_tool(extra, name=name, description="A tool added while running.",
                        annotations=READ_ONLY)
        await ctx.request_context.session.send_tool_list_changed()
        return f"added {name}"

    @server.tool(annotations=READ_ONLY, description="An answer flagged as an error.")
    def broken(ctx: Context) -> str:
        seen("broken", ctx)
        raise ToolError("the notebook is locked")

    return server


def main() -> None:
    port, calls = int(sys.argv[1]), Path(sys.argv[2])
    transport = sys.argv[3] if len(sys.argv) > 3 else "streamable-http"
    server = build(calls)
    if transport == "sse":
        server.run("sse", host="127.0.0.1", port=port)
    else:
        server.run("streamable-http", host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
