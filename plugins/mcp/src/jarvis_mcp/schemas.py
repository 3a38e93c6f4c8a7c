"""The request and response bodies of the MCP server routes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Transport = Literal["http", "sse", "stdio"]
State = Literal["connecting", "connected", "retrying", "failed", "stopped", "disabled"]
Secrets = dict[str, str]


class ServerFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2000, description="http and sse: the endpoint")
    headers: Secrets | None = Field(
        None, description="http and sse: headers sent with every request (API keys); kept in "
        "the vault and never shown again")
    command: str | None = Field(None, max_length=500, description="stdio [admin]: the program")
    args: list[str] | None = Field(None, max_length=100, description="stdio: its arguments")
    env: Secrets | None = Field(None, description="stdio: extra environment, kept in the vault")
    enabled: bool | None = None
    call_timeout: float | None = Field(None, gt=0, le=3600,
                                       description="seconds one tool call may take")
    max_result_chars: int | None = Field(None, gt=0, le=5_000_000,
                                         description="characters of a result the model gets")


class ServerCreate(ServerFields):
    name: str = Field(min_length=1, max_length=24, description="lower-case letters, digits, "
                      "single underscores; tools are named mcp__<name>__<tool>")
    transport: Transport = "http"
    shared: bool = Field(False, description="[admin] offered to every user")


class ServerUpdate(ServerFields):
    name: str | None = Field(None, min_length=1, max_length=24)
    transport: Transport | None = None
    shared: bool | None = None


class ToolOut(BaseModel):
    name: str = Field(description="the agent tool name, mcp__<server>__<tool>")
    mcp_name: str
    description: str
    read_only: bool = Field(description="false: the call asks for confirmation first")


class StatusOut(BaseModel):
    state: State
    reason: str | None = None
    next_attempt_at: str | None = None
    attempts: int = 0
    tools: list[ToolOut] = []


class ServerOut(BaseModel):
    id: str
    name: str
    group: str = Field(description="what allowed_tools names to grant all of its tools")
    transport: Transport
    url: str | None
    command: str | None
    args: list[str]
    header_names: list[str] = Field(description="names only; values are never shown")
    env_names: list[str]
    shared: bool
    mine: bool = Field(description="false: an admin's shared server (only admins change it)")
    enabled: bool
    call_timeout: float
    max_result_chars: int
    status: StatusOut
    created_at: str | None
    updated_at: str | None

