"""The ``[plugins.browser]`` settings section."""

from __future__ import annotations

from pydantic import BaseModel, Field


class BrowserSettings(BaseModel):
    """Where Chromium is, and what one run may take of it."""

    executable_path: str = Field("/usr/bin/chromium", min_length=1)
    max_pages: int = Field(5, ge=1, le=50)  # pages (tabs, pop-ups) one run may open
    run_seconds: float = Field(300.0, gt=0, le=3600)  # the browser's lifetime within one run
    action_timeout: float = Field(20.0, gt=0, le=120)  # one navigation or action
    memory_mb: int = Field(512, ge=64, le=8192)  # the script heap of each page
    max_bytes: int = Field(5_000_000, ge=10_000, le=100_000_000)  # one response
    max_run_bytes: int = Field(50_000_000, ge=100_000, le=1_000_000_000)  # all of a run's
    max_chars: int = Field(20_000, ge=1_000, le=200_000)  # page text given to the model
