"""Users: who may log in, with which role, and their second factor. Times are naive UTC
(``sa_type=DateTime``: SQLModel would otherwise demand aware datetimes)."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: str = Field(primary_key=True, max_length=32)
    username: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="user", max_length=16)  # "admin" | "user"
    is_active: bool = True
    mfa_enabled: bool = False
    # The last TOTP time step accepted: a code is taken only with a higher one, so each works once.
    totp_last_timecode: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
