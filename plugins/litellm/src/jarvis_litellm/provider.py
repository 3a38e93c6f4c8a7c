"""Every other vendor through litellm: one provider per backend (OpenRouter, OpenAI, Ollama)."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import AsyncIterator
from typing import Any

import jarvis

from .errors import map_error
from .format import ChunkAssembler, to_messages, to_tools
from .listing import ollama_models, openai_models, openrouter_models

VENDOR_NAMES = {"openrouter": "OpenRouter", "openai": "OpenAI", "ollama": "Ollama"}
OPENROUTER_BASE = "https://openrouter.ai/api/v1"
OPENAI_BASE = "https://api.openai.com/v1"
OLLAMA_BASE = "http://127.0.0.1:11434"

_quiet = False
SCHEDULER_LOGGERS = ("apscheduler", "apscheduler.scheduler", "apscheduler.executors.default")


async def load_litellm() -> Any:
    """Import litellm (off the loop, once) with its network lookups and chatter turned off."""
    global _quiet
    # before the import: otherwise litellm fetches its cost map and other catalogues online
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_OFFLINE_MODE", "true")
    # importing litellm sets the level of the scheduler's loggers: Jarvis's logging decides
    kept = {name: logging.getLogger(name).level for name in SCHEDULER_LOGGERS}
    litellm: Any = await jarvis.import_lazily("litellm")
    for name, level in kept.items():
        logging.getLogger(name).setLevel(level)
    if not _quiet:
        litellm.telemetry = False
        litellm.suppress_debug_info = True
        # conversations are private: never hand message text to litellm's logging callbacks
        litellm.turn_off_message_logging = True
        for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
            logging.getLogger(name).setLevel(logging.ERROR)
        # pydantic remarks on litellm's own types, once per type: nothing a user can act on
        warnings.filterwarnings(
            "ignore", message=r"Item .* is using the `ReadOnly` qualifier", category=UserWarning
        )
        _quiet = True
    return litellm


class LiteLLMProvider(jarvis.ModelProvider):
    """One litellm backend: ``litellm_prefix`` + model name, its base URL and key."""

    def __init__(
        self,
        id: str,
        litellm_prefix: str,
        base_url: str | None,
        key_credential: str | None,
        key_env: str | None,
        models_url: str | None = None,
        *,
        name: str | None = None,
        listing: str | None = None,
    ):
        self.id = id
        self.litellm_prefix = litellm_prefix
        self.base_url = base_url.rstrip("/") if base_url else None
        self.key_credential = key_credential
        self.key_env = key_env
        self.models_url = models_url
        self.name = name or VENDOR_NAMES.get(id, id)
        # which listing format the backend speaks: openrouter, ollama or openai (compatible)
        self.listing = listing or next(
            (kind for kind in ("openrouter", "ollama") if litellm_prefix.startswith(kind)), "openai"
        )
        self.last_error: str | None = None
        self.listing_cache = jarvis.ListingCache()

    async def api_key(self, ctx: jarvis.ProviderContext) -> str | None:
        """The key from the credential store, else from the environment."""
        key = await ctx.secrets.get(self.key_credential) if self.key_credential else None
        return key or (os.environ.get(self.key_env) if self.key_env else None) or None

    def missing_key(self) -> str:
        where = (
            f"set the credential {self.key_credential}"
            if self.key_credential
            else (f"set {self.key_env}")
        )
        return f"no {self.name} API key configured: {where}"

    @property
    def needs_key(self) -> bool:
        """Whether this backend needs an API key at all (Ollama does not)."""
        return bool(self.key_credential or self.key_env)

    def listing_url(self) -> str:
        """Where the model list is read."""
        if self.models_url:
            return self.models_url
        if self.listing == "ollama":
            return f"{self.base_url or OLLAMA_BASE}/api/tags"
        default = OPENROUTER_BASE if self.listing == "openrouter" else OPENAI_BASE
        return f"{self.base_url or default}/models"

    async def list_models(self, ctx: jarvis.ProviderContext) -> list[jarvis.ModelInfo]:
        """The backend's models (cached an hour); [] with ``last_error`` when it cannot be read."""
        key = await self.api_key(ctx)
        if self.listing == "openai" and self.needs_key and not key:
            self.last_error = self.missing_key()
            return []
        url = self.listing_url()
        return await self.listing_cache.get_or_fetch(
            jarvis.fingerprint(key, url), lambda: self._fetch_models(url, key)
        )

    async def _fetch_models(self, url: str, key: str | None) -> tuple[list[jarvis.ModelInfo], bool]:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        try:
            payload = await jarvis.fetch_json(url, headers)
            if self.listing == "openrouter":
                models = openrouter_models(self.id, payload)
            elif self.listing == "ollama":
                models = ollama_models(self.id, payload)
            else:
                litellm = await load_litellm()
                models = openai_models(self.id, payload, litellm.model_cost)
        except jarvis.ListingError as exc:
            self.last_error = f"listing {self.name} models failed: {exc}"
            return [], True
        self.last_error = None
        return models, False

    async def stream(
        self, request: jarvis.ModelRequest, ctx: jarvis.ProviderContext
    ) -> AsyncIterator[jarvis.ProviderEvent]:
        """Stream one answer as TextDelta, ToolCall, then Usage and Stop."""
        key = await self.api_key(ctx)
        if self.needs_key and not key:
            raise jarvis.ProviderError(self.missing_key())
        litellm = await load_litellm()
        kwargs: dict[str, Any] = {
            "model": self.litellm_prefix + request.model,
            "messages": to_messages(request),
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": request.max_tokens,
            "timeout": request.timeout,
            # retries are the runtime's decision; unsupported options are dropped, not fatal
            "max_retries": 0,
            "num_retries": 0,
            "drop_params": True,
        }
        if self.listing == "ollama":
            _register_local_model(litellm, kwargs["model"])
        if request.tools:
            kwargs["tools"] = to_tools(request)
        if self.base_url:
            kwargs["api_base"] = self.base_url
        # OpenAI-compatible clients insist on some key, even for servers that ignore it
        kwargs["api_key"] = key or ("unused" if self.litellm_prefix.startswith("openai") else None)
        assembler = ChunkAssembler(self.name)
        response = None
        try:
            response = await litellm.acompletion(**kwargs)
            async for chunk in response:
                for event in assembler.feed(chunk):
                    yield event
        except jarvis.ProviderError:
            raise
        except Exception as exc:
            raise map_error(exc, self.name, request.timeout) from exc
        finally:
            if response is not None and hasattr(response, "aclose"):
                await response.aclose()
        for event in assembler.end():
            yield event


def _register_local_model(litellm: Any, model: str) -> None:
    # litellm looks up an unknown Ollama model with a blocking call to /api/show from inside
    # the event loop (for its cost logging); a local model is free and known to chat, so say so
    if model.lower() in litellm.model_cost:
        return
    litellm.register_model(
        {
            model: {
                "litellm_provider": model.split("/", 1)[0],
                "mode": "chat",
                "input_cost_per_token": 0.0,
                "output_cost_per_token": 0.0,
                "supports_function_calling": True,
            }
        }
    )


def default_litellm_providers(base_urls: dict[str, str | None]) -> list[LiteLLMProvider]:
    """The built-in litellm backends, each at its configured base URL or the vendor's own."""
    return [
        LiteLLMProvider(
            "openrouter",
            "openrouter/",
            base_urls.get("openrouter") or OPENROUTER_BASE,
            "system:openrouter_api_key",
            "OPENROUTER_API_KEY",
        ),
        LiteLLMProvider(
            "openai",
            "openai/",
            base_urls.get("openai"),
            "system:openai_api_key",
            "OPENAI_API_KEY",
        ),
        LiteLLMProvider(
            "ollama", "ollama_chat/", base_urls.get("ollama") or OLLAMA_BASE, None, None
        ),
    ]
