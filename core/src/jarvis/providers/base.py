"""The model provider contract: a normalised request in, a stream of normalised events out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel

__all__ = [
    "Block", "Capabilities", "DocumentBlock", "ImageBlock", "Message", "ModelInfo",
    "ModelProvider", "ModelRequest", "Pricing", "ProviderContext", "ProviderError",
    "ProviderEvent", "Stop", "TextBlock", "TextDelta", "ToolCall", "ToolResultBlock", "ToolSpec",
    "ToolUseBlock", "Usage",
]

class Pricing(BaseModel):
    prompt: float | None = None  # USD per million input tokens
    completion: float | None = None  # USD per million output tokens


class Capabilities(BaseModel):
    vision: bool = False
    tools: bool = True
    online: bool = False


class ModelInfo(BaseModel):
    """One model as ``GET /api/models/info`` shows it. ``id`` is ``provider:model``."""

    id: str
    name: str
    provider: str
    context_length: int | None = None
    pricing: Pricing = Pricing()
    capabilities: Capabilities = Capabilities()


# -- normalised messages (Anthropic-like content blocks) -------------------------------------


@dataclass(slots=True)
class TextBlock:
    text: str
    type: Literal["text"] = "text"


@dataclass(slots=True)
class ImageBlock:
    media_type: str
    data: str  # base64
    type: Literal["image"] = "image"


@dataclass(slots=True)
class DocumentBlock:
    media_type: str  # application/pdf, text/plain
    data: str  # base64
    name: str = ""
    type: Literal["document"] = "document"


@dataclass(slots=True)
class ToolUseBlock:
    id: str
    name: str
    input: dict[str, Any]
    type: Literal["tool_use"] = "tool_use"


@dataclass(slots=True)
class ToolResultBlock:
    tool_use_id: str
    content: str
    is_error: bool = False
    type: Literal["tool_result"] = "tool_result"


Block = TextBlock | ImageBlock | DocumentBlock | ToolUseBlock | ToolResultBlock


@dataclass(slots=True)
class Message:
    role: Literal["user", "assistant"]
    content: list[Block]


@dataclass(slots=True)
class ToolSpec:
    name: str
    description: str
    input_schema: dict[str, Any]


@dataclass(slots=True)
class ModelRequest:
    model: str  # the provider's own model name (without the "provider:" prefix)
    system: str
    messages: list[Message]
    tools: list[ToolSpec] = field(default_factory=list)
    max_tokens: int = 4096
    timeout: float = 120.0


# -- events ----------------------------------------------------------------------------------


@dataclass(slots=True)
class TextDelta:
    text: str
    type: Literal["text"] = "text"


@dataclass(slots=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]
    type: Literal["tool_call"] = "tool_call"


@dataclass(slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    type: Literal["usage"] = "usage"


@dataclass(slots=True)
class Stop:
    reason: str = "end_turn"  # end_turn | tool_use | max_tokens
    type: Literal["stop"] = "stop"


ProviderEvent = TextDelta | ToolCall | Usage | Stop


class ProviderError(Exception):
    """A provider failed: bad key, rate limit, timeout, malformed answer. Ends the run."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class SecretSource(Protocol):
    async def get(self, key: str) -> str | None: ...


@dataclass(slots=True)
class ProviderContext:
    """What a provider may use: system secrets and its settings' base URL."""

    secrets: SecretSource


class ModelProvider:
    """Base class for model providers. ``id`` is the prefix in ``provider:model`` ids."""

    id: str = ""
    plugin: str = ""  # set by the registry

    async def list_models(self, ctx: ProviderContext) -> list[ModelInfo]:
        raise NotImplementedError

    def stream(self, request: ModelRequest, ctx: ProviderContext) -> AsyncIterator[ProviderEvent]:
        raise NotImplementedError

    async def close(self) -> None:
        """Release clients and connections when the app stops; by default there are none."""
