"""A fake of Ollama's native API (``/api/tags``, ``/api/chat`` streaming NDJSON) on loopback."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from .fake_vendor import FakeVendor, StreamedAnswer
from .script import (
    Fail,
    Reply,
    Turn,
    output_tokens,
    request_tokens,
    text_chunks,
)

DONE_REASONS = {"end_turn": "stop", "tool_use": "stop", "max_tokens": "length"}
ERRORS = {
    404: "model not found, try pulling it first",
    400: "invalid request",
    500: "internal error",
}


def ollama_model(name: str, *families: str) -> dict[str, Any]:
    """One entry of ``GET /api/tags``."""
    family = families[0] if families else "llama"
    return {
        "name": name,
        "model": name,
        "modified_at": "2025-10-01T00:00:00Z",
        "size": 2019393189,
        "digest": "a80c4f17acd5" * 5 + "abcd",
        "details": {
            "format": "gguf",
            "family": family,
            "families": list(families or [family]),
            "parameter_size": "3.2B",
            "quantization_level": "Q4_K_M",
        },
    }


class FakeOllama(FakeVendor):
    """``GET /api/tags`` and ``POST /api/chat``; Ollama needs no key, so none is checked."""

    checks_key = False
    required_fields = ("model",)
    required_message = "model is required"
    streams_by_default = True

    def __init__(self, *turns: Turn, host: str = "127.0.0.1"):
        super().__init__(*turns, api_key="", host=host)
        self.models = [
            ollama_model("llama3.2:latest", "llama"),
            ollama_model("llava:7b", "llama", "clip"),
        ]

    @property
    def base_url(self) -> str:
        """Ollama's base URL, e.g. ``http://127.0.0.1:PORT``."""
        return self.url

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/api/tags", self._tags)
        app.router.add_post("/api/chat", self.chat)

    def error_response(self, status: int, message: str, retry_after: float | None) -> web.Response:
        return web.json_response({"error": message or ERRORS.get(status, "error")}, status=status)

    async def _tags(self, request: web.Request) -> web.Response:
        if failure := await self.listing_failure():
            return failure
        return web.json_response({"models": self.models})

    @staticmethod
    def last_user_text(body: dict[str, Any]) -> str:
        """The content of the last user or tool message."""
        for message in reversed(body.get("messages") or []):
            if message.get("role") in ("user", "tool"):
                return str(message.get("content") or "")
        return ""

    broken_answer = '{"model": "x", "message": {'

    def whole_answer(self, body: dict[str, Any], turn: Reply) -> web.Response:
        return web.json_response(_done(body, turn, turn.text, with_calls=True))

    def streamed_answer(self, request: web.Request, body: dict[str, Any]) -> _NDJSON:
        return _NDJSON(request, body, {"Content-Type": "application/x-ndjson"})


class _NDJSON(StreamedAnswer):
    """One streamed chat answer, a JSON object a line."""

    async def line(self, data: dict[str, Any] | str) -> None:
        raw = data if isinstance(data, str) else json.dumps(data)
        await self.response.write(raw.encode() + b"\n")

    async def text(self, text: str) -> None:
        for piece in text_chunks(text):
            await self.line(_chunk(self.body, {"role": "assistant", "content": piece}))

    async def fail(self, turn: Fail) -> None:
        await self.line({"error": turn.message or ERRORS.get(turn.status, "error")})

    async def broken(self) -> None:
        await self.line('{"model": "x", "message": {"content": "bro')

    async def reply(self, turn: Reply) -> None:
        await self.text(turn.text)
        if turn.calls:
            message = {"role": "assistant", "content": "", "tool_calls": _calls(turn)}
            await self.line(_chunk(self.body, message))
        await self.line(_done(self.body, turn, "", with_calls=False))


def _chunk(body: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": body["model"],
        "created_at": datetime.now(UTC).isoformat(),
        "message": message,
        "done": False,
    }


def _calls(turn: Reply) -> list[dict[str, Any]]:
    return [{"function": {"name": c.name, "arguments": c.arguments}} for c in turn.calls]


def _done(body: dict[str, Any], turn: Reply, content: str, *, with_calls: bool) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if with_calls and turn.calls:
        message["tool_calls"] = _calls(turn)
    prompt = (
        turn.input_tokens if turn.input_tokens is not None else request_tokens(body["messages"])
    )
    return {
        "model": body["model"],
        "created_at": datetime.now(UTC).isoformat(),
        "message": message,
        "done": True,
        "done_reason": DONE_REASONS.get(turn.stop, "stop"),
        "total_duration": 1000000,
        "prompt_eval_count": prompt,
        "eval_count": output_tokens(turn),
    }
