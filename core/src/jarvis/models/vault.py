"""The encrypted credential store: one row per secret plus the store's key state."""

from datetime import datetime

from sqlalchemy import Column, DateTime, LargeBinary
from sqlmodel import Field, SQLModel

from ..timeutil import utcnow


class Credential(SQLModel, table=True):
    """One secret: AES-256-GCM ciphertext (nonce first) bound to ``key`` as associated data."""

    __tablename__ = "credentials"

    key: str = Field(primary_key=True, max_length=200)
    description: str = Field(default="", max_length=500)
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    key_version: int = 1  # which master key encrypted it; rotation moves rows one by one
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime())  # naive UTC
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime())


class VaultState(SQLModel, table=True):
    """How the master key is obtained, a verifier for it, and an unfinished rotation if any."""

    __tablename__ = "vault_state"

    id: str = Field(primary_key=True, max_length=20)  # always "main"
    mode: str = Field(max_length=20)  # "password" (scrypt of the master password) | "keyfile"
    salt: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    kdf: str = Field(default="", max_length=200)  # JSON scrypt parameters for "password"
    key_version: int = 1
    verifier: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    pending_version: int | None = None  # set while a rotation is under way
    pending_mode: str | None = Field(default=None, max_length=20)
    pending_salt: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    pending_kdf: str | None = Field(default=None, max_length=200)
    pending_verifier: bytes | None = Field(
        default=None, sa_column=Column(LargeBinary, nullable=True)
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime())
