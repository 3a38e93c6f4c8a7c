"""Built-in plugin: Anthropic models through the official SDK."""

from __future__ import annotations

from ..markers import hookimpl
from ..settings import Settings


@hookimpl
def register_providers(settings: Settings) -> list:
    from .anthropic import AnthropicProvider

    return [AnthropicProvider(base_url=settings.anthropic_base_url)]
