"""The web plugin's tables."""

from __future__ import annotations

from datetime import datetime

from jarvis import utcnow
from sqlalchemy import Column, DateTime, ForeignKey, String
from sqlmodel import Field, SQLModel


class WebWhitelistEntry(SQLModel, table=True):
    """A Tier 1 domain: the agent may fetch it and its subdomains without asking."""

    __tablename__ = "web_whitelist"

    domain: str = Field(primary_key=True, max_length=253)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class BrowserTrustedDomain(SQLModel, table=True):
    """A domain one user trusts: fetching it counts as approved for that user's runs."""

    __tablename__ = "web_browser_trusted"

    user_id: str = Field(sa_column=Column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True))
    domain: str = Field(primary_key=True, max_length=253)
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class WebState(SQLModel, table=True):
    """Facts the plugin keeps once per install (e.g. that the whitelist was seeded)."""

    __tablename__ = "web_state"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=200)


MODELS = [WebWhitelistEntry, BrowserTrustedDomain, WebState]
