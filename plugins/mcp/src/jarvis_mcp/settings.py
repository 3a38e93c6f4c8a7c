"""The ``[plugins.mcp]`` settings section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class McpSettings(BaseModel):
    """Connection, retry and size limits of the MCP client, and the MCP server at ``/mcp``."""

    model_config = ConfigDict(extra="forbid")

    connect_timeout: float = Field(20.0, gt=0, le=300)  # to connect and list the tools
    call_timeout: float = Field(60.0, gt=0, le=3600)  # default per server; a server may lower it
    max_result_chars: int = Field(100_000, gt=0, le=5_000_000)  # default per server
    retry_min: float = Field(1.0, gt=0)  # backoff after a lost connection, doubling ...
    retry_max: float = Field(300.0, gt=0)  # ... up to this
    ping_interval: float = Field(30.0, gt=0)  # how often a quiet connection is checked
    refresh_interval: float = Field(300.0, gt=0)  # tool lists re-read (beside change notices)
    sync_interval: float = Field(10.0, gt=0)  # servers re-read from the database (other processes)
    allow_stdio: bool = True  # false: not even admins add stdio servers (commands run here)
    serve: bool = True  # the MCP server at /mcp
    run_timeout: float = Field(600.0, gt=0)  # how long /mcp waits for a run's answer

