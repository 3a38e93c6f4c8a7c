"""The plugin's tables: whitelisted chats and trigger words. Times are naive UTC."""

from __future__ import annotations

from datetime import datetime

from jarvis import utcnow
from sqlalchemy import BigInteger, Column, DateTime, ForeignKey
from sqlmodel import Field, SQLModel


class TelegramChat(SQLModel, table=True):
    """A chat the bot listens to and may write to, for the users it belongs to."""

    __tablename__ = "telegram_chats"

    # Telegram chat ids exceed 32 bits (supergroups are -100...); never auto-generated.
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    label: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class TelegramChatUser(SQLModel, table=True):
    """A user a whitelisted chat belongs to: their triggers hear it, their agents write to it."""

    __tablename__ = "telegram_chat_users"

    chat_id: int = Field(sa_column=Column(
        BigInteger, ForeignKey("telegram_chats.chat_id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False))
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", primary_key=True,
                         index=True, max_length=32)


class TelegramTrigger(SQLModel, table=True):
    """A phrase that, found in a message of a chat whitelisted for its owner, runs their agent."""

    __tablename__ = "telegram_triggers"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    trigger_word: str = Field(max_length=200)
    # A trigger goes with its agent.
    agent_id: str = Field(foreign_key="agents.id", ondelete="CASCADE", index=True, max_length=32)
    enabled: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
