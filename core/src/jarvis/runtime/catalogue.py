"""The models of every provider: the listing, the default model, and ``provider:model`` ids."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from ..errors import BadRequest
from ..keys import CONFIG, REGISTRY
from ..providers.base import ModelInfo, ModelProvider, ProviderContext
from .context import SystemSecrets

log = logging.getLogger("jarvis.runtime")

LISTING_TIMEOUT = 10.0  # per provider: a slow vendor must not hold up the others
RETRY_AFTER_FAILURE = 60.0  # meanwhile the last good listing stands in, without waiting again


class ModelCatalogue:
    """Lists models across providers; one failing provider leaves the others listed."""

    def __init__(self, app: web.Application, timeout: float = LISTING_TIMEOUT):
        self.app = app
        self.timeout = timeout
        self.provider_context = ProviderContext(secrets=SystemSecrets(app))
        self._last_good: dict[str, list[ModelInfo]] = {}
        self._retry_at: dict[str, float] = {}

    @property
    def providers(self) -> dict[str, ModelProvider]:
        return self.app[REGISTRY].providers

    async def _list(self, provider: ModelProvider) -> list[ModelInfo]:
        return await asyncio.wait_for(provider.list_models(self.provider_context), self.timeout)

    async def _listing(self, provider: ModelProvider) -> list[ModelInfo]:
        """One provider's models; after a failure, its last good listing for a while."""
        loop = asyncio.get_running_loop()
        if loop.time() < self._retry_at.get(provider.id, 0.0):
            return self._last_good.get(provider.id, [])
        try:
            models = await self._list(provider)
        except Exception as err:  # noqa: BLE001 - one vendor's failure must not hide the others
            log.warning("listing the models of %s failed: %r", provider.id, err)
            self._retry_at[provider.id] = loop.time() + RETRY_AFTER_FAILURE
            return self._last_good.get(provider.id, [])
        self._last_good[provider.id] = models
        return models

    async def infos(self) -> list[ModelInfo]:
        """Every provider's models (the providers cache their listings themselves)."""
        listings = await asyncio.gather(*(self._listing(p) for p in self.providers.values()))
        return [model for listing in listings for model in listing]

    def configured_default(self) -> str | None:
        """The admin's default model as a full id, if one is set."""
        choice = self.app[CONFIG].get("provider")
        model = choice.default_model
        if not model:
            return None
        prefix = model.split(":", 1)[0]
        if ":" in model and prefix in self.providers:
            return model
        return f"{choice.default_provider}:{model}"

    def default_from(self, infos: list[ModelInfo]) -> str | None:
        """The default model: the configured one, else the default provider's first model."""
        if configured := self.configured_default():
            return configured
        provider = self.app[CONFIG].get("provider").default_provider
        for info in infos:
            if info.provider == provider:
                return info.id
        return infos[0].id if infos else None

    async def default(self) -> str | None:
        if configured := self.configured_default():
            return configured
        return self.default_from(await self.infos())

    async def info(self, model_id: str) -> ModelInfo | None:
        """What the listing says about one model (None when it does not list it)."""
        provider, _name = self.resolve(model_id)
        try:
            listed = await self._list(provider)
        except Exception:  # noqa: BLE001 - an unlisted model may still work
            listed = self._last_good.get(provider.id, [])
        return next((m for m in listed if m.id == model_id), None)

    def resolve(self, model_id: str) -> tuple[ModelProvider, str]:
        """The provider and its own model name for ``provider:model``; 400 when unknown."""
        prefix, sep, name = model_id.partition(":")
        if not sep or not name:
            raise BadRequest(f"model: {model_id!r} is not a provider:model id")
        provider = self.providers.get(prefix)
        if provider is None:
            raise BadRequest(f"model: no provider named {prefix!r}")
        return provider, name
