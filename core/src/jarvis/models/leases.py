"""Leases: which server process runs a cluster-wide singleton (a plugin trigger)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class Lease(SQLModel, table=True):
    """``name`` is held by ``holder`` until ``expires_at`` unless renewed."""

    __tablename__ = "leases"

    name: str = Field(primary_key=True, max_length=200)
    holder: str = Field(max_length=32)
    expires_at: datetime = Field(sa_type=DateTime)
