"""The Anthropic provider: Claude through the official SDK, imported on first use."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

from .anthropic_format import StreamAssembler, to_params
from .base import (
    ModelInfo,
    ModelProvider,
    ModelRequest,
    ProviderContext,
    ProviderError,
    ProviderEvent,
)
from .cache import ListingCache, fingerprint
from .catalogue import builtin_claude_models, claude_models
from .errors import error_detail, is_transport_error, rate_limited, retry_after
from .lazy import load
from .listing import ListingError, fetch_json

KEY_CREDENTIAL = "system:anthropic_api_key"
KEY_ENV = "ANTHROPIC_API_KEY"
ANTHROPIC_BASE = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
PAGE_SIZE = 100
MAX_PAGES = 20
MAX_CLIENTS = 4
# an error event inside a streamed (HTTP 200) answer carries only its type
STREAM_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}


def _sdk() -> Any:
    # only called once load() has imported it: then this is a dictionary lookup
    import anthropic

    return anthropic


class AnthropicProvider(ModelProvider):
    """Claude models over the Messages API."""

    id = "anthropic"

    def __init__(self, base_url: str | None = None, timeout: float = 120.0):
        self.base_url = base_url
        self.timeout = timeout
        self.last_error: str | None = None
        self.listing_cache = ListingCache()
        self._clients: dict[tuple[str, str | None], Any] = {}

    async def api_key(self, ctx: ProviderContext) -> str | None:
        """The key from the credential store, else from the environment."""
        return await ctx.secrets.get(KEY_CREDENTIAL) or os.environ.get(KEY_ENV) or None

    async def client(self, key: str) -> Any:
        """The SDK client for a key, made once; retries are the runtime's business."""
        cache_key = (key, self.base_url)
        if cache_key not in self._clients:
            # the SDK takes seconds to import: pay for it only when Claude is used, off the loop
            await load("anthropic")
        if cache_key not in self._clients:
            if len(self._clients) >= MAX_CLIENTS:
                # a replaced key leaves its client behind: drop the oldest
                self._clients.pop(next(iter(self._clients)))
            self._clients[cache_key] = _sdk().AsyncAnthropic(
                api_key=key, base_url=self.base_url, max_retries=0, timeout=self.timeout
            )
        return self._clients[cache_key]

    async def close(self) -> None:
        """Close the SDK clients' connections."""
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.close()

    async def list_models(self, ctx: ProviderContext) -> list[ModelInfo]:
        """The account's models from ``GET /v1/models`` (cached), or the built-in catalogue."""
        key = await self.api_key(ctx)
        if not key:
            self.last_error = "no Anthropic API key configured"
            return builtin_claude_models()
        return await self.listing_cache.get_or_fetch(
            fingerprint(key, self.base_url), lambda: self._fetch_models(key)
        )

    async def _fetch_models(self, key: str) -> tuple[list[ModelInfo], bool]:
        # plain HTTP, not the SDK: a listing must not wait seconds for the SDK's import
        base = self.base_url or os.environ.get("ANTHROPIC_BASE_URL") or ANTHROPIC_BASE
        headers = {"x-api-key": key, "anthropic-version": API_VERSION}
        models: list[ModelInfo] = []
        params = {"limit": str(PAGE_SIZE)}
        try:
            for _ in range(MAX_PAGES):
                page = await fetch_json(f"{base.rstrip('/')}/v1/models", headers, params)
                models += claude_models(page)
                if not (isinstance(page, dict) and page.get("has_more") and page.get("last_id")):
                    break
                params["after_id"] = str(page["last_id"])
        except ListingError as exc:
            self.last_error = f"listing Anthropic models failed: {exc}"
            return builtin_claude_models(), True
        self.last_error = None
        return models, False

    async def stream(
        self, request: ModelRequest, ctx: ProviderContext
    ) -> AsyncIterator[ProviderEvent]:
        """Stream one answer as TextDelta, ToolCall, then Usage and Stop."""
        key = await self.api_key(ctx)
        if not key:
            raise ProviderError(
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
        except ProviderError:
            raise
        except Exception as exc:
            raise map_error(exc, request.timeout) from exc
        if not assembler.finished:
            raise ProviderError("Anthropic's stream ended before the answer was complete")


def map_error(exc: BaseException, timeout: float) -> ProviderError:
    """A ProviderError with a clear message for an SDK or transport failure."""
    sdk = _sdk()
    if isinstance(exc, sdk.APITimeoutError) or (
        is_transport_error(exc) and "Timeout" in type(exc).__name__
    ):
        return ProviderError(f"Anthropic did not answer within {timeout:g} s")
    if isinstance(exc, sdk.APIConnectionError):
        cause = exc.__cause__ or exc
        return ProviderError(f"could not reach Anthropic: {cause}")
    if isinstance(exc, sdk.APIStatusError):
        return _status_error(exc)
    if isinstance(exc, ValueError | sdk.APIResponseValidationError):
        return ProviderError("Anthropic sent a malformed answer")
    if is_transport_error(exc):
        return ProviderError(f"the connection to Anthropic broke mid-answer: {exc}")
    return ProviderError(f"the Anthropic call failed: {type(exc).__name__}: {exc}")


def _status_error(exc: Any) -> ProviderError:
    kind, detail = error_detail(exc.body)
    status = exc.status_code
    if status < 400:
        status = STREAM_ERROR_STATUS.get(kind or "", 500)
    if status == 401:
        return ProviderError("Anthropic rejected the API key", status=401)
    if status == 429:
        wait = retry_after(exc.response.headers) if exc.status_code == 429 else None
        return ProviderError(rate_limited("Anthropic", wait), status=429, retry_after=wait)
    if status >= 500:
        return ProviderError(f"Anthropic is unavailable (HTTP {status})", status=status)
    if status == 403:
        return ProviderError(f"Anthropic refused access: {detail}", status=403)
    return ProviderError(f"Anthropic refused the request (HTTP {status}): {detail}", status=status)
