"""The ``[plugins.anthropic]`` settings section."""

from __future__ import annotations

from jarvis import Settings
from pydantic import BaseModel, ConfigDict


class AnthropicSettings(BaseModel):
    """Where Anthropic's API lives (unset: api.anthropic.com, or ``ANTHROPIC_BASE_URL``)."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None


def anthropic_settings(settings: Settings) -> AnthropicSettings:
    """The validated anthropic section of ``settings``."""
    return settings.plugin("anthropic", AnthropicSettings)
