"""Runtime settings that admins change through the API, one JSON document per section.

Times are naive UTC in every table (``sa_type=DateTime``; SQLModel would otherwise demand
aware datetimes)."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow


class ConfigEntry(SQLModel, table=True):
    __tablename__ = "config_entries"

    section: str = Field(primary_key=True, max_length=100)
    value: str  # JSON
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
