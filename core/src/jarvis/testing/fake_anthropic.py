"""A fake of Anthropic's Messages and Models API on loopback, scripted per test."""

from __future__ import annotations

import json
import uuid
from typing import Any

from aiohttp import web

from . import script
from .fake_vendor import FakeVendor, StreamedAnswer

ERROR_TYPES = {
    400: ("invalid_request_error", "Invalid request"),
    401: ("authentication_error", "invalid x-api-key"),
    403: (
        "permission_error",
        "Your API key does not have permission to use the specified resource.",
    ),
    404: ("not_found_error", "The requested resource could not be found."),
    413: ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
    429: ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
    500: ("api_error", "Internal server error"),
    529: ("overloaded_error", "Overloaded"),
}


def anthropic_model(
    id: str, display_name: str, *, max_input_tokens: int = 200000, vision: bool = True
) -> dict[str, Any]:
    """One entry of ``GET /v1/models`` as the API returns it."""
    supported = {"supported": vision}
    return {
        "type": "model",
        "id": id,
        "display_name": display_name,
        "created_at": "2025-10-01T00:00:00Z",
        "lifecycle": "active",
        "max_input_tokens": max_input_tokens,
        "max_tokens": 64000,
        "capabilities": {"image_input": supported, "pdf_input": supported},
    }


DEFAULT_MODELS = [
    anthropic_model("claude-sonnet-4-6", "Claude Sonnet 4.6"),
    anthropic_model("claude-opus-4-6", "Claude Opus 4.6"),
    anthropic_model("claude-haiku-4-5-20251001", "Claude Haiku 4.5"),
]


class FakeAnthropic(FakeVendor):
    """``POST /v1/messages`` (JSON and SSE) and ``GET /v1/models``, recording every request."""

    required_message = "model: Field required; messages: Field required"
    request_id_header = "request-id"

    def __init__(self, *turns: script.Turn, api_key: str = "test-key", host: str = "127.0.0.1"):
        super().__init__(*turns, api_key=api_key, host=host)
        self.models: list[dict[str, Any]] = [dict(m) for m in DEFAULT_MODELS]

    @property
    def base_url(self) -> str:
        """What to give the SDK as ``base_url``."""
        return self.url

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/v1/messages", self.chat)
        app.router.add_get("/v1/models", self._list_models)

    def error_response(self, status: int, message: str, retry_after: float | None) -> web.Response:
        return self.json_error(status, {"type": "error", "error": _error(status, message)},
                               retry_after)

    async def _list_models(self, request: web.Request) -> web.Response:
        if (denied := self.denied(request)) or (denied := await self.listing_failure()):
            return denied
        limit = int(request.query.get("limit", "20"))
        ids = [m["id"] for m in self.models]
        start = 0
        if after := request.query.get("after_id"):
            start = ids.index(after) + 1 if after in ids else len(ids)
        page = self.models[start : start + limit]
        return web.json_response(
            {
                "data": page,
                "has_more": start + limit < len(self.models),
                "first_id": page[0]["id"] if page else None,
                "last_id": page[-1]["id"] if page else None,
            }
        )

    @staticmethod
    def last_user_text(body: dict[str, Any]) -> str:
        """The text of the last user message (its text blocks or tool results)."""
        for message in reversed(body.get("messages") or []):
            if message.get("role") != "user":
                continue
            content = message.get("content")
            if isinstance(content, str):
                return content
            parts: list[str] = []
            for block in content or []:
                if block.get("type") == "text":
                    parts.append(block.get("text", ""))
                elif block.get("type") == "tool_result":
                    inner = block.get("content")
                    if isinstance(inner, str):
                        parts.append(inner)
                    else:
                        parts += [b.get("text", "") for b in inner or [] if b.get("type") == "text"]
            return " ".join(p for p in parts if p)
        return ""

    def streamed_answer(self, request: web.Request, body: dict[str, Any]) -> _SSE:
        return _SSE(request, body)

    broken_answer = '{"id": "msg_broken", "content": ['

    def whole_answer(self, body: dict[str, Any], turn: script.Reply) -> web.Response:
        content: list[dict[str, Any]] = [{"type": "text", "text": turn.text}] if turn.text else []
        content += [
            {
                "type": "tool_use",
                "id": script.call_id("toolu_", c.id),
                "name": c.name,
                "input": c.arguments,
            }
            for c in turn.calls
        ]
        return web.json_response(
            {
                "id": f"msg_{uuid.uuid4().hex[:24]}",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": content,
                "stop_reason": turn.stop,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": _input_tokens(turn, body),
                    "output_tokens": script.output_tokens(turn),
                },
            }
        )


def _error(status: int, message: str) -> dict[str, str]:
    """The ``error`` object the API sends for ``status`` (``message``, or the API's usual one)."""
    kind, default = ERROR_TYPES.get(status, ("api_error", "Internal server error"))
    return {"type": kind, "message": message or default}


def _input_tokens(turn: script.Reply | None, body: dict[str, Any]) -> int:
    if turn is not None and turn.input_tokens is not None:
        return turn.input_tokens
    return max(script.request_tokens({"s": body.get("system"), "m": body.get("messages")}), 1)


class _SSE(StreamedAnswer):
    """One streamed answer, event by event, as the Messages API sends it."""

    def __init__(self, request: web.Request, body: dict[str, Any]):
        super().__init__(request, body, {
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-cache",
            "request-id": f"req_{uuid.uuid4().hex[:24]}",
        })
        self.index = 0
        self.text_open = False

    async def send(self, kind: str, **fields: Any) -> None:
        data = json.dumps({"type": kind, **fields})
        await self.response.write(f"event: {kind}\ndata: {data}\n\n".encode())

    async def text(self, text: str) -> None:
        if not text:
            return
        if not self.text_open:
            block = {"type": "text", "text": ""}
            await self.send("content_block_start", index=self.index, content_block=block)
            self.text_open = True
        for piece in script.text_chunks(text):
            delta = {"type": "text_delta", "text": piece}
            await self.send("content_block_delta", index=self.index, delta=delta)

    async def close_block(self) -> None:
        await self.send("content_block_stop", index=self.index)
        self.index += 1
        self.text_open = False

    async def begin(self, turn: script.Turn) -> None:
        first = turn if isinstance(turn, script.Reply) else None
        usage = {"input_tokens": _input_tokens(first, self.body), "output_tokens": 1}
        message = {
            "id": f"msg_{uuid.uuid4().hex[:24]}", "type": "message", "role": "assistant",
            "model": self.body["model"], "content": [], "stop_reason": None,
            "stop_sequence": None, "usage": usage,
        }  # fmt: skip
        await self.send("message_start", message=message)
        await self.send("ping")

    async def fail(self, turn: script.Fail) -> None:
        await self.send("error", error=_error(turn.status, turn.message))

    async def broken(self) -> None:
        await self.response.write(b'event: content_block_delta\ndata: {"type": "content_bl\n\n')

    async def reply(self, turn: script.Reply) -> None:
        await self.text(turn.text)
        if self.text_open:
            await self.close_block()
        for c in turn.calls:
            block = {"type": "tool_use", "id": script.call_id("toolu_", c.id), "name": c.name,
                     "input": {}}
            await self.send("content_block_start", index=self.index, content_block=block)
            for piece in ["", *script.json_chunks(c.arguments)]:
                delta = {"type": "input_json_delta", "partial_json": piece}
                await self.send("content_block_delta", index=self.index, delta=delta)
            await self.close_block()
        await self.send(
            "message_delta",
            delta={"stop_reason": turn.stop, "stop_sequence": None},
            usage={"output_tokens": script.output_tokens(turn)},
        )
        await self.send("message_stop")
