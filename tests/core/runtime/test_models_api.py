"""GET /api/models and /api/models/info across providers, one of them failing."""

from __future__ import annotations

import asyncio

import pytest
from jarvis import hookimpl
from jarvis.keys import CONFIG, RUNTIME
from jarvis.testing.scripted import ScriptedProvider


class Stalled(ScriptedProvider):
    """A provider whose listing never answers."""

    async def list_models(self, ctx):
        await asyncio.Event().wait()


class MorePlugin:
    __name__ = "more_providers"

    def __init__(self, *providers):
        self.providers = providers

    @hookimpl
    def register_providers(self, settings):
        return list(self.providers)


@pytest.fixture
def broken() -> ScriptedProvider:
    provider = ScriptedProvider(id="broken", models=("x",))
    provider.list_error = "HTTP 500 from the vendor"
    return provider


@pytest.fixture
def jarvis_plugins(jarvis_plugins, broken):
    return [*jarvis_plugins, MorePlugin(broken, Stalled(id="stalled", models=("y",)),
                                        ScriptedProvider(id="other", models=("big", "small")))]


@pytest.fixture(autouse=True)
def short_listing_timeout(anon_client):
    anon_client.app[RUNTIME].catalogue.timeout = 0.2


async def test_models_lists_every_working_provider(user_client):
    body = await (await user_client.get("/api/models")).json()
    assert body == {"models": ["fake:echo", "fake:blind", "other:big", "other:small"],
                    "default": "fake:echo"}


async def test_default_follows_the_provider_setting(user_client):
    config = user_client.app[CONFIG]
    await config.update("provider", {"default_provider": "other"})
    assert (await (await user_client.get("/api/models")).json())["default"] == "other:big"
    await config.update("provider", {"default_model": "small"})
    assert (await (await user_client.get("/api/models")).json())["default"] == "other:small"
    await config.update("provider", {"default_model": "fake:blind"})
    assert (await (await user_client.get("/api/models")).json())["default"] == "fake:blind"


async def test_models_info_shape(user_client):
    infos = await (await user_client.get("/api/models/info")).json()
    assert [m["id"] for m in infos] == ["fake:echo", "fake:blind", "other:big", "other:small"]
    assert infos[0] == {
        "id": "fake:echo", "name": "Echo", "provider": "fake", "context_length": 200000,
        "pricing": {"prompt": 0.0, "completion": 0.0},
        "capabilities": {"vision": True, "tools": True, "online": False},
    }


async def test_models_need_a_login(anon_client):
    assert (await anon_client.get("/api/models")).status == 401
    assert (await anon_client.get("/api/models/info")).status == 401


async def test_a_failed_listing_is_not_waited_for_again_at_once(user_client):
    catalogue = user_client.app[RUNTIME].catalogue
    await catalogue.infos()
    catalogue.timeout = 60  # were the stalled provider asked again, this call would hang
    body = await asyncio.wait_for(user_client.get("/api/models"), 5)
    assert "other:big" in (await body.json())["models"]
