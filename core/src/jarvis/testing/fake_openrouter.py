"""OpenRouter's model listing as the fake OpenAI server serves it at ``/api/v1/models``."""

from __future__ import annotations

from typing import Any


def openrouter_model(
    id: str,
    name: str,
    *,
    context_length: int = 128000,
    prompt: str = "0.000003",
    completion: str = "0.000015",
    vision: bool = False,
    tools: bool = True,
) -> dict[str, Any]:
    """One entry of OpenRouter's ``GET /api/v1/models`` (prices per token, as strings)."""
    modalities = ["text", "image"] if vision else ["text"]
    return {
        "id": id,
        "canonical_slug": id,
        "name": name,
        "created": 1750000000,
        "description": f"{name}, served by the fake.",
        "context_length": context_length,
        "architecture": {
            "modality": "+".join(modalities) + "->text",
            "input_modalities": modalities,
            "output_modalities": ["text"],
        },
        "pricing": {"prompt": prompt, "completion": completion, "request": "0", "image": "0"},
        "top_provider": {"context_length": context_length, "is_moderated": False},
        "supported_parameters": ["max_tokens", "temperature"]
        + (["tools", "tool_choice"] if tools else []),
    }


DEFAULT_OPENROUTER_MODELS = [
    openrouter_model(
        "anthropic/claude-sonnet-4.5",
        "Anthropic: Claude Sonnet 4.5",
        context_length=1000000,
        vision=True,
    ),
    openrouter_model(
        "meta-llama/llama-3.3-70b-instruct",
        "Meta: Llama 3.3 70B Instruct",
        context_length=131072,
        prompt="0.00000013",
        completion="0.0000004",
    ),
]
