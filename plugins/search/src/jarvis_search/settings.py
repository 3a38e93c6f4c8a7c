"""The ``[plugins.search]`` settings section, set by the admin."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator
from yarl import URL


class SearchSettings(BaseModel):
    """Which search service answers ``web_search``, and how much of it the model reads."""

    backend: Literal["searxng"] = "searxng"
    # the service's root, e.g. https://search.example.org; empty: web_search says it is not
    # set up. A server on the LAN also needs its address in allowed_private_hosts.
    base_url: str = ""
    timeout: float = Field(15.0, gt=0, le=120)
    max_results: int = Field(8, ge=1, le=30)
    language: str = Field("auto", min_length=1, max_length=20)
    safesearch: int = Field(1, ge=0, le=2)  # SearXNG's 0 off, 1 moderate, 2 strict
    max_bytes: int = Field(2_000_000, ge=10_000, le=20_000_000)

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and (URL(value).scheme not in ("http", "https") or not URL(value).host):
            raise ValueError("give the search service's http:// or https:// address")
        return value
