"""The Anthropic provider: Claude through the official SDK, imported on first use."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import jarvis

from .catalogue import builtin_claude_models, claude_models
from .errors import map_error, sdk
from .format import StreamAssembler, to_params

KEY_CREDENTIAL = "system:anthropic_api_key"
KEY_ENV = "ANTHROPIC_API_KEY"
ANTHROPIC_BASE = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
PAGE_SIZE = 100
MAX_PAGES = 20
MAX_CLIENTS = 4


class AnthropicProvider(jarvis.ModelProvider):
    """Claude models over the Messages API."""

    id = "anthropic"

    def __init__(self, base_url: str | None = None, timeout: float = 120.0):
        self.base_url = base_url
        self.timeout = timeout
        self.last_error: str | None = None
        self.listing_cache = jarvis.ListingCache()
        self._clients: dict[tuple[str, str | None], Any] = {}

    async def api_key(self, ctx: jarvis.ProviderContext) -> str | None:
        """The key from the credential store, else from the environment."""
        return await ctx.secrets.get(KEY_CREDENTIAL) or os.environ.get(KEY_ENV) or None

    async def client(self, key: str) -> Any:
        """The SDK client for a key, made once; retries are the runtime's business."""
        cache_key = (key, self.base_url)
        if cache_key not in self._clients:
            # the SDK takes seconds to import: pay for it only when Claude is used, off the loop
            await jarvis.import_lazily("anthropic")
        if cache_key not in self._clients:
            if len(self._clients) >= MAX_CLIENTS:
                # a replaced key leaves its client behind: drop the oldest
                self._clients.pop(next(iter(self._clients)))
            self._clients[cache_key] = sdk().AsyncAnthropic(
                api_key=key, base_url=self.base_url, max_retries=0, timeout=self.timeout
            )
        return self._clients[cache_key]

    async def close(self) -> None:
        """Close the SDK clients' connections."""
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.close()

    async def list_models(self, ctx: jarvis.ProviderContext) -> list[jarvis.ModelInfo]:
        """The account's models from ``GET /v1/models`` (cached), or the built-in catalogue."""
        key = await self.api_key(ctx)
        if not key:
            self.last_error = "no Anthropic API key configured"
            return builtin_claude_models()
        return await self.listing_cache.get_or_fetch(
            jarvis.fingerprint(key, self.base_url), lambda: self._fetch_models(key)
        )

    async def _fetch_models(self, key: str) -> tuple[list[jarvis.ModelInfo], bool]:
        # plain HTTP, not the SDK: a listing must not wait seconds for the SDK's import
        base = self.base_url or os.environ.get("ANTHROPIC_BASE_URL") or ANTHROPIC_BASE
        headers = {"x-api-key": key, "anthropic-version": API_VERSION}
        models: list[jarvis.ModelInfo] = []
        params = {"limit": str(PAGE_SIZE)}
        try:
            for _ in range(MAX_PAGES):
                page = await jarvis.fetch_json(f"{base.rstrip('/')}/v1/models", headers, params)
                models += claude_models(page)
                if not (isinstance(page, dict) and page.get("has_more") and page.get("last_id")):
                    break
                params["after_id"] = str(page["last_id"])
        except jarvis.ListingError as exc:
            self.last_error = f"listing Anthropic models failed: {exc}"
            return builtin_claude_models(), True
        self.last_error = None
        return models, False

    async def stream(
        self, request: jarvis.ModelRequest, ctx: jarvis.ProviderContext
    ) -> AsyncIterator[jarvis.ProviderEvent]:
        """Stream one answer as TextDelta, ToolCall, then Usage and Stop."""
        key = await self.api_key(ctx)
        if not key:
            raise jarvis.ProviderError(
                f"no Anthropic API key configured: set the credential {KEY_CREDENTIAL}"
            )
        params = to_params(request)
        assembler = StreamAssembler()
        try:
            client = await self.client(key)
            events = await client.messages.create(**params, stream=True, timeout=request.timeout)
            async with events:
                async for event in events:
                    for out in assembler.feed(event):
                        yield out
        except jarvis.ProviderError:
            raise
        except Exception as exc:
            raise map_error(exc, request.timeout) from exc
        if not assembler.finished:
            raise jarvis.ProviderError("Anthropic's stream ended before the answer was complete")
