"""The built-in catalogue of Claude models: prices and limits the Models API does not give."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jarvis import Capabilities, ListingError, ModelInfo, Pricing

CLAUDE_CONTEXT = 200000


@dataclass(frozen=True, slots=True)
class ClaudeModel:
    id: str
    name: str
    prompt: float  # USD per million input tokens
    completion: float  # USD per million output tokens
    listed: bool = True  # shown when the vendor cannot be asked; dated twins are not


CLAUDE_MODELS = (
    ClaudeModel("claude-opus-4-6", "Claude Opus 4.6", 5.0, 25.0),
    ClaudeModel("claude-sonnet-4-6", "Claude Sonnet 4.6", 3.0, 15.0),
    ClaudeModel("claude-opus-4-5", "Claude Opus 4.5", 5.0, 25.0),
    ClaudeModel("claude-opus-4-5-20251101", "Claude Opus 4.5", 5.0, 25.0, listed=False),
    ClaudeModel("claude-sonnet-4-5", "Claude Sonnet 4.5", 3.0, 15.0),
    ClaudeModel("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", 3.0, 15.0, listed=False),
    ClaudeModel("claude-haiku-4-5-20251001", "Claude Haiku 4.5", 1.0, 5.0),
    ClaudeModel("claude-haiku-4-5", "Claude Haiku 4.5", 1.0, 5.0, listed=False),
    ClaudeModel("claude-opus-4-1", "Claude Opus 4.1", 15.0, 75.0),
    ClaudeModel("claude-opus-4-1-20250805", "Claude Opus 4.1", 15.0, 75.0, listed=False),
    ClaudeModel("claude-sonnet-4-0", "Claude Sonnet 4", 3.0, 15.0, listed=False),
    ClaudeModel("claude-sonnet-4-20250514", "Claude Sonnet 4", 3.0, 15.0, listed=False),
    ClaudeModel("claude-opus-4-0", "Claude Opus 4", 15.0, 75.0, listed=False),
    ClaudeModel("claude-opus-4-20250514", "Claude Opus 4", 15.0, 75.0, listed=False),
    ClaudeModel("claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", 3.0, 15.0, listed=False),
    ClaudeModel("claude-3-5-haiku-20241022", "Claude Haiku 3.5", 0.8, 4.0, listed=False),
)
_BY_ID = {m.id: m for m in CLAUDE_MODELS}


def find_claude(model: str) -> ClaudeModel | None:
    """The catalogue entry for a model id, matching dated ids by their longest known prefix."""
    if model in _BY_ID:
        return _BY_ID[model]
    prefixes = [m for m in CLAUDE_MODELS if model.startswith(m.id + "-")]
    return max(prefixes, key=lambda m: len(m.id), default=None)


def claude_info(
    model: str,
    *,
    name: str | None = None,
    context_length: int | None = None,
    vision: bool | None = None,
) -> ModelInfo:
    """A ModelInfo for a Claude model: what the API said, completed from the catalogue."""
    known = find_claude(model)
    pricing = Pricing(prompt=known.prompt, completion=known.completion) if known else Pricing()
    return ModelInfo(
        id=f"anthropic:{model}",
        name=name or (known.name if known else model),
        provider="anthropic",
        context_length=context_length or CLAUDE_CONTEXT,
        pricing=pricing,
        # every current Claude model reads images and calls tools
        capabilities=Capabilities(vision=True if vision is None else vision, tools=True),
    )


def claude_models(page: Any) -> list[ModelInfo]:
    """The usable models of one ``GET /v1/models`` page; retired ones are left out."""
    items = page.get("data") if isinstance(page, dict) else None
    if not isinstance(items, list):
        raise ListingError("the listing has no 'data' list")
    models = []
    for item in items:
        if not isinstance(item, dict) or not item.get("id") or item.get("lifecycle") == "retired":
            continue
        image = ((item.get("capabilities") or {}).get("image_input")) or {}
        models.append(
            claude_info(
                str(item["id"]),
                name=item.get("display_name"),
                context_length=item.get("max_input_tokens"),
                vision=image.get("supported"),
            )
        )
    return models


def builtin_claude_models() -> list[ModelInfo]:
    """The models shown when the Models API cannot be asked."""
    return [claude_info(m.id) for m in CLAUDE_MODELS if m.listed]
