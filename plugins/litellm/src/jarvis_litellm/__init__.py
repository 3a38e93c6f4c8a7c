"""jarvis-litellm: OpenRouter, OpenAI and Ollama through litellm (providers ``openrouter``,
``openai``, ``ollama``)."""

from __future__ import annotations

from jarvis import ModelProvider, Settings, hookimpl

from .settings import litellm_settings


@hookimpl
def register_providers(settings: Settings) -> list[ModelProvider]:
    from .provider import default_litellm_providers

    section = litellm_settings(settings)
    return list(default_litellm_providers({
        "openrouter": section.openrouter_base_url,
        "openai": section.openai_base_url,
        "ollama": section.ollama_base_url,
    }))
