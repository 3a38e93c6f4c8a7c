"""Fixtures for the memory plugin: the fake embeddings API on loopback (reached by litellm, the
real client), the app with the plugin, and the admin's API key for the service in the vault."""

from __future__ import annotations

from typing import Any

import jarvis_memory
import pytest
from jarvis.testing.fake_embeddings import FakeEmbeddings
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, plugin_context

KEY_NAME = "system:embeddings_key"


@pytest.fixture
async def embeddings():
    async with FakeEmbeddings() as fake:
        yield fake


def memory_section(embeddings: FakeEmbeddings) -> dict[str, Any]:
    return {"embedding_model": "openai/text-embedding-3-small",
            "embedding_base_url": embeddings.base_url, "api_key_credential": KEY_NAME,
            "timeout": 10}


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_memory, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings(embeddings) -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS,
            "plugins": {"memory": memory_section(embeddings)}}


@pytest.fixture
async def keyed(anon_client, embeddings):
    """The admin stored the service's API key."""
    await plugin_context(anon_client, "memory").vault.put(KEY_NAME, embeddings.api_key)
    return anon_client
