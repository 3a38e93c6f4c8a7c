"""The MCP plugin's table. Headers and environment values live in the vault, never here."""

from __future__ import annotations

from datetime import datetime

from jarvis import utcnow
from sqlalchemy import DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class McpServerRow(SQLModel, table=True):
    """An MCP server a user added for themselves, or an admin for everyone (``shared``)."""

    __tablename__ = "mcp_servers"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: str = Field(primary_key=True, max_length=32)
    # A user's objects go with the user.
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    shared: bool = False
    name: str = Field(max_length=24)
    transport: str = Field(max_length=16)  # http | sse | stdio
    url: str | None = Field(default=None, max_length=2000)
    command: str | None = Field(default=None, max_length=500)
    args: str = Field(default="[]", sa_type=Text)  # JSON list
    enabled: bool = True
    call_timeout: float | None = None  # None: the plugin's default
    max_result_chars: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


MODELS = [McpServerRow]
