"""The memory plugin's table: each user's remembered notes with their embeddings."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import REAL, Column, DateTime, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def pack(vector: Sequence[float]) -> bytes:
    """sqlite-vec's float32 vector format (little-endian floats)."""
    return struct.pack(f"<{len(vector)}f", *vector)


def unpack(blob: bytes) -> list[float]:
    return list(struct.unpack(f"<{len(blob) // 4}f", blob))


class Embedding(TypeDecorator):
    """A vector: a float32 blob on SQLite (what sqlite-vec reads), ``real[]`` on PostgreSQL
    (what pgvector casts to ``vector``)."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(REAL))
        return dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None or dialect.name == "postgresql":
            return None if value is None else [float(x) for x in value]
        return pack(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return unpack(value)


class MemoryItem(SQLModel, table=True):
    """One note a user asked to remember; only its owner ever reads it."""

    __tablename__ = "memory_items"
    __table_args__ = (Index("ix_memory_items_user_created", "user_id", "created_at"),)

    id: str = Field(sa_column=Column(String(32), primary_key=True))
    user_id: str = Field(sa_column=Column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), nullable=False))
    content: str = Field(sa_column=Column(Text, nullable=False))
    model: str = Field(max_length=200)  # the embedding model: vectors of others never compare
    dims: int
    embedding: Any = Field(sa_column=Column(Embedding, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime, nullable=False))


MODELS = [MemoryItem]
