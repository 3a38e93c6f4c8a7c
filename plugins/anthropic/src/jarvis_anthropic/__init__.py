"""jarvis-anthropic: Claude models through Anthropic's official SDK (provider ``anthropic``)."""

from __future__ import annotations

from jarvis import ModelProvider, Settings, hookimpl

from .settings import anthropic_settings


@hookimpl
def register_providers(settings: Settings) -> list[ModelProvider]:
    from .provider import AnthropicProvider

    return [AnthropicProvider(base_url=anthropic_settings(settings).base_url)]
