"""Built-in plugin: OpenRouter, OpenAI, Ollama and the rest through litellm."""

from __future__ import annotations

from ..markers import hookimpl
from ..settings import Settings


@hookimpl
def register_providers(settings: Settings) -> list:
    from .litellm_provider import default_litellm_providers

    return default_litellm_providers({
        "openrouter": settings.openrouter_base_url,
        "openai": settings.openai_base_url,
        "ollama": settings.ollama_base_url,
    })
