"""Model listings of OpenRouter, OpenAI-compatible servers and Ollama."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jarvis import Capabilities, ListingError, ModelInfo, Pricing

# ids an OpenAI-compatible server lists that are not chat models
NOT_CHAT = re.compile(
    r"embed|tts|whisper|dall-e|moderation|davinci|babbage|transcribe|realtime|audio|image|sora|"
    r"search-api|computer-use|rerank",
    re.IGNORECASE,
)


def _per_million(value: Any) -> float | None:
    # listings give USD per token (OpenRouter: as strings); negative means "varies"
    try:
        price = float(value)
    except (TypeError, ValueError):
        return None
    return round(price * 1_000_000, 6) if price >= 0 else None


def _priced(provider: str, model: str, name: str, context_length: Any, prompt: Any,
            completion: Any, **capabilities: bool) -> ModelInfo:
    """A listed model, its prices per token as the listing gives them."""
    return ModelInfo(
        id=f"{provider}:{model}",
        name=name,
        provider=provider,
        context_length=context_length,
        pricing=Pricing(prompt=_per_million(prompt), completion=_per_million(completion)),
        capabilities=Capabilities(**capabilities),
    )


def _data(payload: Any, key: str = "data") -> list[dict[str, Any]]:
    items = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise ListingError(f"the listing has no {key!r} list")
    return [
        item
        for item in items
        if isinstance(item, dict) and item.get("id" if key == "data" else "name")
    ]


def openrouter_models(provider: str, payload: Any) -> list[ModelInfo]:
    """OpenRouter's ``/models``: prices per token, context length, input modalities."""
    models = []
    for item in _data(payload):
        arch = item.get("architecture") or {}
        modalities = arch.get("input_modalities") or str(arch.get("modality", "")).split("->")[0]
        params = item.get("supported_parameters")
        pricing = item.get("pricing") or {}
        models.append(
            _priced(
                provider, item["id"], item.get("name") or item["id"], item.get("context_length"),
                pricing.get("prompt"), pricing.get("completion"),
                vision="image" in modalities,
                tools=params is None or "tools" in params,
                online=item["id"].endswith(":online") or "web_search_options" in (params or []),
            )
        )
    return models


def openai_models(provider: str, payload: Any, cost: Mapping[str, Any]) -> list[ModelInfo]:
    """An OpenAI-compatible ``/models``: chat models, priced from litellm's cost map when known."""
    models = []
    for item in _data(payload):
        model = item["id"]
        known = cost.get(model) or {}
        if known.get("mode", "chat") != "chat" or (not known and NOT_CHAT.search(model)):
            continue
        models.append(
            _priced(
                provider, model, model, known.get("max_input_tokens"),
                known.get("input_cost_per_token"), known.get("output_cost_per_token"),
                vision=bool(known.get("supports_vision")),
                tools=known.get("supports_function_calling", True),
                online=bool(known.get("supports_web_search")),
            )
        )
    return models


def ollama_models(provider: str, payload: Any) -> list[ModelInfo]:
    """Ollama's ``/api/tags``: local models, free to run."""
    models = []
    for item in _data(payload, "models"):
        details = item.get("details") or {}
        families = [str(f).lower() for f in details.get("families") or []]
        name = item["name"]
        models.append(
            ModelInfo(
                id=f"{provider}:{name}",
                name=name,
                provider=provider,
                pricing=Pricing(prompt=0.0, completion=0.0),
                capabilities=Capabilities(
                    # vision models carry an image encoder family (clip, mllama, ...)
                    vision=any(f in ("clip", "mllama") for f in families) or "vision" in name,
                    tools=True,
                ),
            )
        )
    return models
