"""Fixtures for the provider plugins' tests: the fakes of their vendors on loopback, and each
plugin's provider pointed at its fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from jarvis_anthropic.provider import AnthropicProvider
from jarvis_litellm.provider import LiteLLMProvider

from tests.support.vendors import (  # noqa: F401 - fixtures
    ctx,
    fake_anthropic,
    fake_ollama,
    fake_openai,
    no_vendor_keys_in_env,
    secrets,
)


@pytest.fixture
async def claude(fake_anthropic) -> AsyncIterator[AnthropicProvider]:  # noqa: F811
    provider = AnthropicProvider(base_url=fake_anthropic.base_url)
    yield provider
    await provider.close()


@pytest.fixture
def openai(fake_openai) -> LiteLLMProvider:  # noqa: F811
    return LiteLLMProvider(
        "openai", "openai/", fake_openai.base_url, "system:openai_api_key", "OPENAI_API_KEY"
    )
