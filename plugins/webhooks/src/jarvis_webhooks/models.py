"""The webhooks plugin's tables. Header values and signing secrets live in the vault."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, String, Text
from sqlmodel import Field, SQLModel


class WebhookTarget(SQLModel, table=True):
    """An outgoing webhook an admin set up; agents call it by name."""

    __tablename__ = "webhook_targets"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=64, unique=True)
    description: str = Field(default="", max_length=500)
    url: str = Field(sa_column=Column(Text, nullable=False))
    method: str = Field(max_length=8)
    content_type: str = Field(max_length=100)
    body_template: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    header_names: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON
    admin_only: bool = False  # only admins' runs may call it
    confirm: bool = False  # every call asks (chat) or needs a grant (headless)
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class InboundHook(SQLModel, table=True):
    """A secret URL that starts a run of one user's agent with the signed body it receives."""

    __tablename__ = "webhook_hooks"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(sa_column=Column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True))
    agent_id: str = Field(max_length=64)
    name: str = Field(max_length=200)
    token_hash: str = Field(max_length=64, unique=True)  # SHA-256 of the URL's secret part
    rate_limit: int | None = None  # per minute; None: the setting
    enabled: bool = True
    created_at: datetime = Field(sa_type=DateTime)


class InboundSeen(SQLModel, table=True):
    """Signatures accepted within the replay window: the same request twice is refused."""

    __tablename__ = "webhook_seen"

    hook_id: str = Field(sa_column=Column(
        String(32), ForeignKey("webhook_hooks.id", ondelete="CASCADE"), primary_key=True))
    signature: str = Field(primary_key=True, max_length=64)  # SHA-256 of the signature
    seen_at: datetime = Field(sa_type=DateTime, index=True)


class InboundHits(SQLModel, table=True):
    """Requests accepted per hook and minute, for the rate limit (one atomic update each)."""

    __tablename__ = "webhook_hits"

    hook_id: str = Field(sa_column=Column(
        String(32), ForeignKey("webhook_hooks.id", ondelete="CASCADE"), primary_key=True))
    minute: int = Field(primary_key=True)  # Unix time // 60
    count: int = 0


MODELS = [WebhookTarget, InboundHook, InboundSeen, InboundHits]
