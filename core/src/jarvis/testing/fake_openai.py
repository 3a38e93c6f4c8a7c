"""A fake of OpenAI's Chat Completions and Models API (and OpenRouter's listing) on loopback."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from aiohttp import web

from . import script
from .fake_openrouter import DEFAULT_OPENROUTER_MODELS, openrouter_model
from .fake_vendor import FakeVendor, StreamedAnswer

ERRORS = {
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: ("invalid_request_error", "unsupported_country_region_territory", "Forbidden."),
    404: ("invalid_request_error", "model_not_found", "The model does not exist."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests."),
    500: ("server_error", None, "The server had an error while processing your request."),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}
FINISH = {"end_turn": "stop", "tool_use": "tool_calls", "max_tokens": "length"}
__all__ = ["FakeOpenAI", "openrouter_model"]


class FakeOpenAI(FakeVendor):
    """Chat completions (JSON and SSE), ``/v1/models`` and OpenRouter's ``/api/v1/models``."""

    required_message = "'model' and 'messages' are required properties"

    def __init__(self, *turns: script.Turn, api_key: str = "test-key", host: str = "127.0.0.1"):
        super().__init__(*turns, api_key=api_key, host=host)
        self.models: list[str] = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"]
        self.openrouter_models: list[dict[str, Any]] = [dict(m) for m in DEFAULT_OPENROUTER_MODELS]

    @property
    def base_url(self) -> str:
        """The OpenAI-style base, e.g. ``http://127.0.0.1:PORT/v1``."""
        return f"{self.url}/v1"

    @property
    def openrouter_url(self) -> str:
        """The OpenRouter-style base, e.g. ``http://127.0.0.1:PORT/api/v1``."""
        return f"{self.url}/api/v1"

    def add_routes(self, app: web.Application) -> None:
        for base in ("/v1", "/api/v1"):
            app.router.add_post(f"{base}/chat/completions", self.chat)
        app.router.add_get("/v1/models", self._list_openai)
        app.router.add_get("/api/v1/models", self._list_openrouter)

    def error_response(self, status: int, message: str, retry_after: float | None) -> web.Response:
        return self.json_error(status, _error(status, message), retry_after)

    async def _list_openai(self, request: web.Request) -> web.Response:
        if (denied := self.denied(request)) or (denied := await self.listing_failure()):
            return denied
        data = [
            {"id": m, "object": "model", "created": 1700000000, "owned_by": "system"}
            for m in self.models
        ]
        return web.json_response({"object": "list", "data": data})

    async def _list_openrouter(self, request: web.Request) -> web.Response:
        # OpenRouter's listing is public: no key needed
        if failure := await self.listing_failure():
            return failure
        return web.json_response({"data": self.openrouter_models})

    @staticmethod
    def last_user_text(body: dict[str, Any]) -> str:
        """The text of the last user or tool message."""
        for message in reversed(body.get("messages") or []):
            if message.get("role") not in ("user", "tool"):
                continue
            content = message.get("content")
            if isinstance(content, str):
                return content
            return " ".join(p.get("text", "") for p in content or [] if p.get("type") == "text")
        return ""

    def streamed_answer(self, request: web.Request, body: dict[str, Any]) -> _SSE:
        return _SSE(request, body)

    broken_answer = '{"id": "chatcmpl-broken", "choices": ['

    def whole_answer(self, body: dict[str, Any], turn: script.Reply) -> web.Response:
        message: dict[str, Any] = {"role": "assistant", "content": turn.text or None}
        if turn.calls:
            message["tool_calls"] = [
                {
                    "id": script.call_id("call_", c.id),
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
                }
                for c in turn.calls
            ]
        return web.json_response(
            {
                "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "logprobs": None,
                        "finish_reason": FINISH.get(turn.stop, "stop"),
                    }
                ],
                "usage": _usage(turn, body),
            }
        )


def _error(status: int, message: str) -> dict[str, Any]:
    """The API's error body for ``status`` (``message``, or the API's usual one)."""
    kind, code, default = ERRORS.get(status, ("server_error", None, "Server error."))
    return {"error": {"message": message or default, "type": kind, "param": None, "code": code}}


def _usage(turn: script.Reply, body: dict[str, Any]) -> dict[str, int]:
    prompt = (
        turn.input_tokens if turn.input_tokens is not None
        else script.request_tokens(body["messages"])
    )
    completion = script.output_tokens(turn)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


class _SSE(StreamedAnswer):
    """One streamed chat completion, chunk by chunk."""

    def __init__(self, request: web.Request, body: dict[str, Any]):
        super().__init__(request, body,
                         {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        self.id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        self.created = int(time.time())
        self.with_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    async def send(self, data: dict[str, Any] | str) -> None:
        raw = data if isinstance(data, str) else json.dumps(data)
        await self.response.write(f"data: {raw}\n\n".encode())

    async def chunk(self, delta: dict[str, Any], finish: str | None = None) -> None:
        data: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.body["model"],
            "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if self.with_usage:
            data["usage"] = None
        await self.send(data)

    async def text(self, text: str) -> None:
        for piece in script.text_chunks(text):
            await self.chunk({"content": piece})

    async def begin(self, turn: script.Turn) -> None:
        await self.chunk({"role": "assistant", "content": ""})

    async def fail(self, turn: script.Fail) -> None:
        await self.send(_error(turn.status, turn.message))

    async def broken(self) -> None:
        await self.send('{"id": "chatcmpl-broken", "choices": [{"delta": {"content": "x')

    async def reply(self, turn: script.Reply) -> None:
        await self.text(turn.text)
        for index, c in enumerate(turn.calls):
            await self.chunk(
                {
                    "tool_calls": [
                        {
                            "index": index,
                            "id": script.call_id("call_", c.id),
                            "type": "function",
                            "function": {"name": c.name, "arguments": ""},
                        }
                    ]
                }
            )
            for piece in script.json_chunks(c.arguments):
                await self.chunk(
                    {"tool_calls": [{"index": index, "function": {"arguments": piece}}]}
                )
        await self.chunk({}, FINISH.get(turn.stop, "stop"))
        if self.with_usage:
            await self.send(
                {
                    "id": self.id,
                    "object": "chat.completion.chunk",
                    "created": self.created,
                    "model": self.body["model"],
                    "system_fingerprint": "fp_fake",
                    "choices": [],
                    "usage": _usage(turn, self.body),
                }
            )
        await self.send("[DONE]")
