"""Names: a server's name, and the agent tool name ``mcp__<server>__<tool>`` of each MCP tool."""

from __future__ import annotations

import hashlib
import re

PREFIX = "mcp__"
# a server's name: lower-case words joined by single underscores (a double one separates parts)
SERVER_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
SERVER_NAME_MAX = 24
TOOL_NAME_MAX = 64


def group_of(server: str) -> str:
    """The tool group of a server's tools: what ``allowed_tools`` names to grant them all."""
    return f"{PREFIX}{server}"


def _part(mcp_name: str) -> str:
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", mcp_name).lower()
    return re.sub(r"[^a-z0-9]+", "_", snake).strip("_") or "tool"


def tool_names(server: str, mcp_names: list[str]) -> dict[str, str]:
    """Agent tool name -> MCP tool name, for every tool of a server: spelt in lower case with
    underscores, shortened (with a hash of the MCP name) past 64 characters or on a clash."""
    out: dict[str, str] = {}
    for mcp_name in mcp_names:
        name = f"{group_of(server)}__{_part(mcp_name)}"
        if len(name) > TOOL_NAME_MAX or name in out:
            digest = hashlib.sha256(mcp_name.encode()).hexdigest()[:8]
            name = f"{name[:TOOL_NAME_MAX - 9].rstrip('_')}_{digest}"
        out[name] = mcp_name
    return out
