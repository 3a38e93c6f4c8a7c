"""The ``[plugins.memory]`` settings section: where embeddings come from."""

from __future__ import annotations

from jarvis import Settings
from pydantic import BaseModel, ConfigDict, Field


class MemorySettings(BaseModel):
    """The embedding model (a litellm model name) and the service that computes it."""

    model_config = ConfigDict(extra="forbid")

    # litellm's "<provider>/<model>": "openai/text-embedding-3-small" (any OpenAI-compatible
    # embeddings API with embedding_base_url), "ollama/nomic-embed-text", ...
    embedding_model: str = Field("openai/text-embedding-3-small", min_length=3, max_length=200)
    # e.g. "http://ollama.lan:11434" or "https://api.openai.com/v1"; None: the provider's own
    embedding_base_url: str | None = Field(None, max_length=2048)
    # the vault key of the service's API key ("system:<name>"); None for a service without one
    api_key_credential: str | None = Field("system:openai_api_key", max_length=200)
    timeout: float = Field(30.0, gt=0, le=300)  # seconds per embedding request


def memory_settings(settings: Settings) -> MemorySettings:
    """The validated memory section of ``settings``."""
    return settings.plugin("memory", MemorySettings)
