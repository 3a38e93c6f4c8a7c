"""The OpenAI-compatible door: ``/v1/models`` and ``/v1/chat/completions`` (JSON or SSE), for
API keys only. Each of the caller's agents is a model; errors take OpenAI's shape."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from ..errors import JarvisError, NotAuthenticated
from ..keys import CONFIG, DATABASE, RUNTIME
from ..runtime.events import Frame
from ..services import openai_compat as service
from ..services.openai_compat import ChatCompletionIn
from ..web import Access, Routes, principal

_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
          404: "invalid_request_error", 409: "invalid_request_error", 413: "invalid_request_error",
          415: "invalid_request_error", 429: "rate_limit_error"}


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIError(BaseModel):
    """An error as OpenAI's API answers it: ``{"error": {message, type, param, code}}``."""

    error: OpenAIErrorDetail

    @classmethod
    def from_error(cls, status: int, message: str, detail: Any = None) -> OpenAIError:
        code = detail if isinstance(detail, str) and detail.isidentifier() else None
        param = message.split(":", 1)[0] if status == 400 and ":" in message else None
        return cls(error=OpenAIErrorDetail(
            message=message, type=_TYPES.get(status, "server_error"),
            param=param if param and param.replace(".", "").replace("_", "").isalnum() else None,
            code=code))


routes = Routes("openai", error_model=OpenAIError)


class ModelOut(BaseModel):
    id: str
    object: str = "model"
    created: int
    owned_by: str
    name: str


class ModelList(BaseModel):
    object: str = "list"
    data: list[ModelOut]


class AssistantMessage(BaseModel):
    role: str = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: str


class CompletionUsage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: str = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: CompletionUsage


def _api_key_only(request: web.Request) -> None:
    if principal(request).method != "api_key":
        raise NotAuthenticated("this endpoint takes an API key: Authorization: Bearer <key>")


@routes.get("/v1/models", access=Access.USER, response=ModelList,
            summary="OpenAI-compatible: your agents (and the default chat) as models")
async def list_models(request: web.Request) -> ModelList:
    _api_key_only(request)
    user = principal(request).user
    name = request.app[CONFIG].get("general").agent_name
    found = await service.list_models(request.app[DATABASE], user, name)
    return ModelList(data=[ModelOut(id=m.id, created=m.created, owned_by=user.username,
                                    name=m.name) for m in found])


@routes.post("/v1/chat/completions", access=Access.USER, body=ChatCompletionIn,
             response=ChatCompletion,
             summary="OpenAI-compatible: a chat completion by one of your agents (stream: SSE)")
async def chat_completion(request: web.Request, body: ChatCompletionIn) -> Any:
    _api_key_only(request)
    run = await service.run_request(request.app[DATABASE], principal(request).user, body)
    frames: asyncio.Queue[Frame] = asyncio.Queue()
    runtime = request.app[RUNTIME]
    run_id = await runtime.start(run, listener=frames.put_nowait)
    created = int(time.time())
    if run_id not in runtime.active:  # it ended before it began (a limit)
        outcome = await runtime.wait(run_id)
        if not outcome.ok:
            raise _failed(outcome.error)
    if body.stream:
        return await _stream(request, frames, run_id, body.model, created)
    outcome = await runtime.wait(run_id)
    if not outcome.ok:
        raise _failed(outcome.error)
    return ChatCompletion(
        id=f"chatcmpl-{run_id}", created=created, model=body.model,
        choices=[Choice(message=AssistantMessage(content=outcome.text),
                        finish_reason="length" if outcome.status == "limited" else "stop")],
        usage=CompletionUsage(prompt_tokens=outcome.input_tokens,
                              completion_tokens=outcome.output_tokens,
                              total_tokens=outcome.input_tokens + outcome.output_tokens))


class RunFailed(JarvisError, status=502):
    """The run behind a completion failed (the model provider, most often)."""


def _failed(error: str | None) -> RunFailed:
    return RunFailed(f"the run failed: {error or 'unknown error'}")


async def _stream(request: web.Request, frames: asyncio.Queue[Frame], run_id: str, model: str,
                  created: int) -> web.StreamResponse:
    resp = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                       "Cache-Control": "no-cache"})
    await resp.prepare(request)

    async def send(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> None:
        chunk = {"id": f"chatcmpl-{run_id}", "object": "chat.completion.chunk",
                 "created": created, "model": model,
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        await resp.write(f"data: {json.dumps(chunk)}\n\n".encode())

    try:
        await send({"role": "assistant", "content": ""})
        await _relay(frames, send, resp)
    except ConnectionResetError:  # the client left; the run goes on and is recorded
        pass
    return resp


async def _relay(frames: asyncio.Queue[Frame], send: Any, resp: web.StreamResponse) -> None:
    while True:
        frame = await frames.get()
        if frame["type"] == "text":
            await send({"content": frame["content"]})
        elif frame["type"] == "done":
            usage = frame.get("usage") or {}
            inp, out = usage.get("input_tokens", 0), usage.get("output_tokens", 0)
            await send({}, "length" if frame.get("status") == "limited" else "stop",
                       usage={"prompt_tokens": inp, "completion_tokens": out,
                              "total_tokens": inp + out})
            break
        elif frame["type"] == "error":
            error = OpenAIError.from_error(502, f"the run failed: {frame.get('error')}")
            await resp.write(f"data: {error.model_dump_json()}\n\n".encode())
            break
    await resp.write(b"data: [DONE]\n\n")
    await resp.write_eof()
