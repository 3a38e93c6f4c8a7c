"""Server-side state of authentication: sessions, API keys, MFA challenges, throttle counters."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow


class AuthSession(SQLModel, table=True):
    """A login. The cookie carries a token whose SHA-256 is ``token_hash``; deleting the row
    revokes the cookie."""

    __tablename__ = "auth_sessions"

    id: str = Field(primary_key=True, max_length=32)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    expires_at: datetime = Field(index=True, sa_type=DateTime)
    # Idle timeout: the last request (written at most once a minute); None for rows made before.
    last_seen_at: datetime | None = Field(None, sa_type=DateTime)
    # "Sudo mode": until when the password was confirmed again in this session.
    reauth_until: datetime | None = Field(None, sa_type=DateTime)


class ApiKey(SQLModel, table=True):
    """A user's API key, stored as the SHA-256 of the key; ``prefix`` is what the UI shows."""

    __tablename__ = "api_keys"

    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    last_used_at: datetime | None = Field(None, sa_type=DateTime)


class AuthChallenge(SQLModel, table=True):
    """A password login waiting for its TOTP code (five minutes)."""

    __tablename__ = "auth_challenges"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=32)
    expires_at: datetime = Field(index=True, sa_type=DateTime)


class AuthThrottle(SQLModel, table=True):
    """Attempts per account or client address in the current window (one atomic upsert each)."""

    __tablename__ = "auth_throttle"

    key: str = Field(primary_key=True, max_length=200)
    window_start: datetime = Field(index=True, sa_type=DateTime)
    attempts: int = 0


class AuthSecret(SQLModel, table=True):
    """Server secrets of authentication shared by all processes: the cookie signing key and the
    hashes of first-run setup tokens."""

    __tablename__ = "auth_secrets"

    name: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
