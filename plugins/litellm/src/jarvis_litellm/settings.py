"""The ``[plugins.litellm]`` settings section: each backend's endpoint."""

from __future__ import annotations

from jarvis import Settings
from pydantic import BaseModel, ConfigDict


class LiteLLMSettings(BaseModel):
    """Each backend's base URL; unset: the vendor's own (Ollama: http://127.0.0.1:11434)."""

    model_config = ConfigDict(extra="forbid")

    openrouter_base_url: str | None = None
    openai_base_url: str | None = None
    ollama_base_url: str | None = None


def litellm_settings(settings: Settings) -> LiteLLMSettings:
    """The validated litellm section of ``settings``."""
    return settings.plugin("litellm", LiteLLMSettings)
