"""Fixtures for the provider tests (the core's and the provider plugins'): fake vendors on
loopback and a context holding their keys. A conftest imports the ones it needs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import jarvis
import pytest
from jarvis.testing.fake_anthropic import FakeAnthropic
from jarvis.testing.fake_ollama import FakeOllama
from jarvis.testing.fake_openai import FakeOpenAI
from jarvis.testing.scripted import StaticSecrets

KEY = "test-key"
# the fixtures a conftest takes with ``from tests.support.vendors import *``
__all__ = ["assert_streamed", "ctx", "fake_anthropic", "fake_ollama", "fake_openai",
           "no_vendor_keys_in_env", "secrets"]


@pytest.fixture(autouse=True)
def no_vendor_keys_in_env(monkeypatch):
    """A developer's real keys must not leak into (or change) the tests."""
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def secrets() -> StaticSecrets:
    return StaticSecrets({
        "system:anthropic_api_key": KEY,
        "system:openai_api_key": KEY,
        "system:openrouter_api_key": KEY,
    })


@pytest.fixture
def ctx(secrets) -> jarvis.ProviderContext:
    return jarvis.ProviderContext(secrets)


@pytest.fixture
async def fake_anthropic() -> AsyncIterator[FakeAnthropic]:
    async with FakeAnthropic(api_key=KEY) as fake:
        yield fake


@pytest.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key=KEY) as fake:
        yield fake


@pytest.fixture
async def fake_ollama() -> AsyncIterator[FakeOllama]:
    async with FakeOllama() as fake:
        yield fake


def ask(text: str, model: str = "claude-sonnet-4-6", **fields) -> jarvis.ModelRequest:
    """A one-message request."""
    return jarvis.ModelRequest(model=model, system="You are terse.",
                        messages=[jarvis.Message("user", [jarvis.TextBlock(text)])], **fields)


async def collect(provider: jarvis.ModelProvider, request: jarvis.ModelRequest,
                  ctx: jarvis.ProviderContext) -> list[jarvis.ProviderEvent]:
    """Every event of one streamed answer."""
    return [event async for event in provider.stream(request, ctx)]


async def failure_of(provider: jarvis.ModelProvider, request: jarvis.ModelRequest,
                     ctx: jarvis.ProviderContext) -> jarvis.ProviderError:
    """The ProviderError one streamed answer ends with (the test fails if it ends well)."""
    with pytest.raises(jarvis.ProviderError) as failure:
        await collect(provider, request, ctx)
    return failure.value


def assert_streamed(events: list[jarvis.ProviderEvent], text: str,
                    usage: tuple[int, int]) -> None:
    """The answer came in more than one chunk, which make ``text``, then the usage and the end."""
    texts = [e.text for e in events if isinstance(e, jarvis.TextDelta)]
    assert len(texts) > 1
    assert "".join(texts) == text
    assert events[-2:] == [jarvis.Usage(*usage), jarvis.Stop("end_turn")]
