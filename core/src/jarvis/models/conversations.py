"""Conversations: the stored chat history, message by message, tool calls and results included."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Text
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow


class Conversation(SQLModel, table=True):
    """One chat conversation of one user."""

    __tablename__ = "conversations"
    # a user's conversations, newest first
    __table_args__ = (Index("ix_conversations_listing", "user_id", "started_at", "id"),)

    id: str = Field(primary_key=True, max_length=32)
    # A user's objects go with the user.
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    session_id: str | None = Field(default=None, max_length=64)
    title: str = Field(default="", max_length=200)
    model: str | None = Field(default=None, max_length=300)
    started_at: datetime = Field(default_factory=utcnow, index=True, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class StoredMessage(SQLModel, table=True):
    """One message of a conversation (or of a headless run): user, assistant or tool result.

    ``content`` is what a person reads; ``model_content`` is what the model saw when that
    differs (a tool result wrapped as untrusted data), so a continued conversation replays it.
    """

    __tablename__ = "messages"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(32), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=True,
            index=True,
        ),
    )
    run_id: str | None = Field(default=None, max_length=32, index=True)
    role: str = Field(max_length=16)  # user | assistant | tool
    content: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    model_content: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    tool_calls: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    tool_call_id: str | None = Field(default=None, max_length=200)
    tool_name: str | None = Field(default=None, max_length=200)
    is_error: bool = False
    attachments: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
