"""The ``[plugins.hello]`` section of jarvis.toml (or ``JARVIS_PLUGINS__HELLO__<FIELD>``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class HelloSettings(BaseModel):
    greeting: str = Field("Hello", min_length=1, max_length=40)
    # Names the agent must never greet (the policy below denies them).
    blocked_names: list[str] = []
    # The ticker trigger: every ``ticker_seconds`` it asks the agent to greet someone on behalf
    # of ``ticker_user_id``. 0 switches it off.
    ticker_seconds: float = Field(0, ge=0)
    ticker_user_id: str | None = None
    ticker_message: str = "Greet the world."
