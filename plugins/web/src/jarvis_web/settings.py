"""The ``[plugins.web]`` settings section."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from .domains import whitelist_domain


class WebSettings(BaseModel):
    """Caps for web_fetch and the domains a fresh install starts with on the whitelist."""

    max_bytes: int = Field(2_000_000, ge=10_000, le=50_000_000)
    timeout: float = Field(20.0, gt=0, le=120)
    max_redirects: int = Field(5, ge=0, le=10)
    max_chars: int = Field(20_000, ge=1_000, le=200_000)
    seed_domains: list[str] = ["wikipedia.org", "wttr.in", "open-meteo.com"]

    @field_validator("seed_domains")
    @classmethod
    def _normalised(cls, value: list[str]) -> list[str]:
        return [whitelist_domain(d) for d in value]
