"""The ``[plugins.filesystem]`` settings section."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FilesystemSettings(BaseModel):
    """Caps for the file tools."""

    max_read_bytes: int = Field(1_000_000, ge=1_000, le=50_000_000)
    max_write_bytes: int = Field(1_000_000, ge=1_000, le=50_000_000)
    max_entries: int = Field(500, ge=10, le=10_000)
