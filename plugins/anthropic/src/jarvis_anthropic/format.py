"""Translation between the normalised format and Anthropic's Messages API, both ways."""

from __future__ import annotations

import base64
import json
from typing import Any

import jarvis

STOP_REASONS = {
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "model_context_window_exceeded": "max_tokens",
}
CACHE = {"type": "ephemeral"}


def to_params(request: jarvis.ModelRequest) -> dict[str, Any]:
    """The keyword arguments of ``messages.create`` for a normalised request."""
    params: dict[str, Any] = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": [m for m in map(to_message, request.messages) if m["content"]],
    }
    if request.system:
        # the system prompt and tools repeat on every step of a run: let the vendor cache them
        params["system"] = [{"type": "text", "text": request.system, "cache_control": CACHE}]
    if request.tools:
        tools = [
            {"name": t.name, "description": t.description, "input_schema": t.input_schema}
            for t in request.tools
        ]
        tools[-1]["cache_control"] = CACHE
        params["tools"] = tools
    return params


def to_message(message: jarvis.Message) -> dict[str, Any]:
    """One message in the API's shape; empty text blocks are dropped (the API refuses them)."""
    blocks = [to_block(b) for b in message.content
              if not (isinstance(b, jarvis.TextBlock) and not b.text)]
    return {"role": message.role, "content": blocks}


def to_block(block: jarvis.Block) -> dict[str, Any]:
    """One content block in the API's shape."""
    if isinstance(block, jarvis.TextBlock):
        return {"type": "text", "text": block.text}
    if isinstance(block, jarvis.ImageBlock):
        source = {"type": "base64", "media_type": block.media_type, "data": block.data}
        return {"type": "image", "source": source}
    if isinstance(block, jarvis.DocumentBlock):
        return _document(block)
    if isinstance(block, jarvis.ToolUseBlock):
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}
    if isinstance(block, jarvis.ToolResultBlock):
        result: dict[str, Any] = {
            "type": "tool_result",
            "tool_use_id": block.tool_use_id,
            "content": block.content,
        }
        if block.is_error:
            result["is_error"] = True
        return result
    raise jarvis.ProviderError(f"Anthropic cannot take a {type(block).__name__} block")


def _document(block: jarvis.DocumentBlock) -> dict[str, Any]:
    if block.media_type == "application/pdf":
        source = {"type": "base64", "media_type": "application/pdf", "data": block.data}
    elif block.media_type.startswith("text/"):
        # the API reads plain text documents as text, not base64
        text = base64.b64decode(block.data).decode("utf-8", errors="replace")
        source = {"type": "text", "media_type": "text/plain", "data": text}
    else:
        raise jarvis.ProviderError(f"Anthropic cannot read documents of type {block.media_type}")
    doc: dict[str, Any] = {"type": "document", "source": source}
    if block.name:
        doc["title"] = block.name
    return doc


class StreamAssembler:
    """Turns the raw stream events into provider events; tool arguments arrive whole."""

    def __init__(self) -> None:
        self.input_tokens = 0
        self.output_tokens = 0
        self.stop_reason = "end_turn"
        self.finished = False
        self._tools: dict[int, tuple[str, str, list[str]]] = {}

    def feed(self, event: Any) -> list[jarvis.ProviderEvent]:
        """The provider events for one stream event (often none)."""
        kind = getattr(event, "type", "")
        if kind == "message_start":
            self._count(getattr(event.message, "usage", None))
        elif kind == "content_block_start":
            block = event.content_block
            if block.type == "tool_use":
                self._tools[event.index] = (block.id, block.name, [])
            elif block.type == "text" and block.text:
                return [jarvis.TextDelta(block.text)]
        elif kind == "content_block_delta":
            delta = event.delta
            if delta.type == "text_delta" and delta.text:
                return [jarvis.TextDelta(delta.text)]
            if delta.type == "input_json_delta" and event.index in self._tools:
                self._tools[event.index][2].append(delta.partial_json)
        elif kind == "content_block_stop" and event.index in self._tools:
            return [self._tool_call(*self._tools.pop(event.index))]
        elif kind == "message_delta":
            self._count(getattr(event, "usage", None))
            reason = getattr(event.delta, "stop_reason", None)
            if reason:
                self.stop_reason = STOP_REASONS.get(reason, "end_turn")
        elif kind == "message_stop":
            self.finished = True
            usage = jarvis.Usage(self.input_tokens, self.output_tokens)
            return [usage, jarvis.Stop(self.stop_reason)]
        return []

    def _count(self, usage: Any) -> None:
        # counts are cumulative; cached prompt tokens are input too
        if usage is None:
            return
        fresh = sum(
            getattr(usage, name, None) or 0
            for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        )
        self.input_tokens = max(self.input_tokens, fresh)
        self.output_tokens = max(self.output_tokens, getattr(usage, "output_tokens", None) or 0)

    @staticmethod
    def _tool_call(call_id: str, name: str, parts: list[str]) -> jarvis.ToolCall:
        raw = "".join(parts).strip()
        try:
            arguments = json.loads(raw) if raw else {}
        except ValueError as exc:
            raise jarvis.ProviderError(
                f"Anthropic sent malformed arguments for the tool {name}") from exc
        if not isinstance(arguments, dict):
            raise jarvis.ProviderError(
                f"Anthropic sent arguments for the tool {name} that are not an object"
            )
        return jarvis.ToolCall(call_id, name, arguments)
