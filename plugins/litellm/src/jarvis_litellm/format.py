"""Translation between the normalised format and OpenAI's chat format, as litellm speaks it."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import jarvis

STOP_REASONS = {"tool_calls": "tool_use", "function_call": "tool_use", "length": "max_tokens"}


def to_messages(request: jarvis.ModelRequest) -> list[dict[str, Any]]:
    """The chat messages for a request: system first, tool results as ``tool`` messages."""
    out: list[dict[str, Any]] = []
    if request.system:
        out.append({"role": "system", "content": request.system})
    for message in request.messages:
        out += _assistant(message) if message.role == "assistant" else _user(message)
    return out


def to_tools(request: jarvis.ModelRequest) -> list[dict[str, Any]]:
    """The tools in the function-calling format."""
    return [
        {
            "type": "function",
            "function": {
                "name": t.name,
                "description": t.description,
                "parameters": t.input_schema,
            },
        }
        for t in request.tools
    ]


def _assistant(message: jarvis.Message) -> list[dict[str, Any]]:
    text = "".join(b.text for b in message.content if isinstance(b, jarvis.TextBlock))
    calls = [
        {
            "id": b.id,
            "type": "function",
            "function": {"name": b.name, "arguments": json.dumps(b.input)},
        }
        for b in message.content
        if isinstance(b, jarvis.ToolUseBlock)
    ]
    if not text and not calls:
        return []
    out: dict[str, Any] = {"role": "assistant", "content": text or None}
    if calls:
        out["tool_calls"] = calls
    return [out]


def _user(message: jarvis.Message) -> list[dict[str, Any]]:
    # tool results must directly follow the assistant message that asked for them
    out: list[dict[str, Any]] = [
        {
            "role": "tool",
            "tool_call_id": b.tool_use_id,
            "content": f"Error: {b.content}" if b.is_error else b.content,
        }
        for b in message.content
        if isinstance(b, jarvis.ToolResultBlock)
    ]
    parts = [
        _part(b) for b in message.content
        if isinstance(b, jarvis.TextBlock | jarvis.ImageBlock | jarvis.DocumentBlock)
    ]
    parts = [p for p in parts if p.get("type") != "text" or p["text"]]
    if parts:
        only_text = all(p["type"] == "text" for p in parts)
        content = "\n\n".join(p["text"] for p in parts) if only_text else parts
        out.append({"role": "user", "content": content})
    return out


def _part(block: jarvis.TextBlock | jarvis.ImageBlock | jarvis.DocumentBlock) -> dict[str, Any]:
    if isinstance(block, jarvis.TextBlock):
        return {"type": "text", "text": block.text}
    data_url = f"data:{block.media_type};base64,{block.data}"
    if isinstance(block, jarvis.ImageBlock):
        return {"type": "image_url", "image_url": {"url": data_url}}
    if block.media_type.startswith("text/"):
        text = base64.b64decode(block.data).decode("utf-8", errors="replace")
        title = f"[{block.name}]\n" if block.name else ""
        return {"type": "text", "text": f"{title}{text}"}
    return {"type": "file", "file": {"filename": block.name or "document", "file_data": data_url}}


class ChunkAssembler:
    """Turns streamed chunks into provider events; tool calls are assembled per index."""

    def __init__(self, vendor: str):
        self.vendor = vendor
        self.input_tokens = 0
        self.output_tokens = 0
        self.finish: str | None = None
        self._tools: dict[int, list[Any]] = {}  # index -> [id, name, argument parts]

    def feed(self, chunk: Any) -> list[jarvis.ProviderEvent]:
        """The text deltas in one chunk; tool calls, usage and stop wait for :meth:`end`."""
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self.input_tokens = getattr(usage, "prompt_tokens", None) or self.input_tokens
            self.output_tokens = getattr(usage, "completion_tokens", None) or self.output_tokens
        out: list[jarvis.ProviderEvent] = []
        for choice in getattr(chunk, "choices", None) or []:
            delta = getattr(choice, "delta", None)
            if delta is not None:
                if getattr(delta, "content", None):
                    out.append(jarvis.TextDelta(delta.content))
                for call in getattr(delta, "tool_calls", None) or []:
                    self._tool_part(call)
            if getattr(choice, "finish_reason", None):
                self.finish = choice.finish_reason
        return out

    def _tool_part(self, call: Any) -> None:
        index = getattr(call, "index", None)
        if index is None:
            # no index: a new id starts a call, anything else continues the last one
            index = len(self._tools) if call.id or not self._tools else max(self._tools)
        entry = self._tools.setdefault(index, [None, "", []])
        if call.id:
            entry[0] = call.id
        function = getattr(call, "function", None)
        if function is not None:
            if function.name and not entry[1]:
                entry[1] = function.name
            arguments = function.arguments
            if arguments:
                # Ollama sends each call whole, its arguments already an object
                entry[2].append(arguments if isinstance(arguments, str) else json.dumps(arguments))

    def end(self) -> list[jarvis.ProviderEvent]:
        """The tool calls, usage and stop once the stream is over."""
        if self.finish is None:
            raise jarvis.ProviderError(
                f"{self.vendor}'s stream ended before the answer was complete")
        calls: list[jarvis.ProviderEvent] = [
            self._call(*self._tools[i]) for i in sorted(self._tools)]
        reason = "tool_use" if calls else STOP_REASONS.get(self.finish, "end_turn")
        return [*calls, jarvis.Usage(self.input_tokens, self.output_tokens), jarvis.Stop(reason)]

    def _call(self, call_id: str | None, name: str, parts: list[str]) -> jarvis.ToolCall:
        if not name:
            raise jarvis.ProviderError(f"{self.vendor} sent a tool call without a name")
        raw = "".join(parts).strip()
        try:
            arguments = json.loads(raw) if raw else {}
        except ValueError as exc:
            raise jarvis.ProviderError(
                f"{self.vendor} sent malformed arguments for the tool {name}"
            ) from exc
        if not isinstance(arguments, dict):
            raise jarvis.ProviderError(
                f"{self.vendor} sent arguments for the tool {name} that are not an object"
            )
        return jarvis.ToolCall(call_id or f"call_{uuid.uuid4().hex[:24]}", name, arguments)
