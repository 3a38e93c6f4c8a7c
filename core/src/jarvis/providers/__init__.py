"""The model provider API: the contract (``base``) and the helpers every vendor's provider
needs (listing over HTTP, its cache, rate-limit waits, importing an SDK off the loop). Plugins
take these from the top-level ``jarvis`` module."""

from .base import (
    Block,
    Capabilities,
    DocumentBlock,
    ImageBlock,
    Message,
    ModelInfo,
    ModelProvider,
    ModelRequest,
    Pricing,
    ProviderContext,
    ProviderError,
    ProviderEvent,
    Stop,
    TextBlock,
    TextDelta,
    ToolCall,
    ToolResultBlock,
    ToolSpec,
    ToolUseBlock,
    Usage,
)
from .cache import ListingCache, fingerprint
from .errors import rate_limited, retry_after
from .lazy import import_lazily
from .listing import ListingError, fetch_json

__all__ = [
    "Block", "Capabilities", "DocumentBlock", "ImageBlock", "ListingCache", "ListingError",
    "Message", "ModelInfo", "ModelProvider", "ModelRequest", "Pricing", "ProviderContext",
    "ProviderError", "ProviderEvent", "Stop", "TextBlock", "TextDelta", "ToolCall",
    "ToolResultBlock", "ToolSpec", "ToolUseBlock", "Usage", "fetch_json", "fingerprint",
    "import_lazily", "rate_limited", "retry_after",
]
