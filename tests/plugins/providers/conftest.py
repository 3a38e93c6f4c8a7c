"""Fixtures for the provider plugins' tests: the fakes of their vendors on loopback, and each
plugin's provider pointed at its fake."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from jarvis_anthropic.provider import AnthropicProvider
from jarvis_litellm.provider import LiteLLMProvider

from tests.support.vendors import *  # noqa: F403 - the fakes and the context


@pytest.fixture
async def claude(fake_anthropic) -> AsyncIterator[AnthropicProvider]:
    provider = AnthropicProvider(base_url=fake_anthropic.base_url)
    yield provider
    await provider.close()


@pytest.fixture
def openai(fake_openai) -> LiteLLMProvider:
    return LiteLLMProvider(
        "openai", "openai/", fake_openai.base_url, "system:openai_api_key", "OPENAI_API_KEY"
    )
