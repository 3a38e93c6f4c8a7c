"""An in-process model provider that plays scripted turns at once, for runtime tests."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import AsyncIterator, Iterable, Mapping

from ..providers import base
from .script import (
    Call,
    Fail,
    Hang,
    Malformed,
    Reply,
    Script,
    Turn,
    after_hang,
    call,
    call_id,
    count_words,
    error,
    hang,
    malformed,
    output_tokens,
    reply,
    stall,
    text_chunks,
    tool_use,
)

__all__ = [
    "Call",
    "ScriptedProvider",
    "StaticSecrets",
    "Turn",
    "call",
    "error",
    "hang",
    "malformed",
    "reply",
    "tool_use",
]


class StaticSecrets:
    """A secret source over a plain mapping."""

    def __init__(self, values: Mapping[str, str] | None = None):
        self.values = dict(values or {})

    async def get(self, key: str) -> str | None:
        """The value for ``key``, or None."""
        return self.values.get(key)


def fake_model(name: str, provider: str = "fake", *, vision: bool = True) -> base.ModelInfo:
    """A free model with a large context, tools and (by default) vision."""
    return base.ModelInfo(
        id=f"{provider}:{name}",
        name=name.replace("-", " ").title(),
        provider=provider,
        context_length=200000,
        pricing=base.Pricing(prompt=0.0, completion=0.0),
        capabilities=base.Capabilities(vision=vision, tools=True),
    )


def last_user_text(request: base.ModelRequest) -> str:
    """The text of the last user message (its text blocks or tool results)."""
    for message in reversed(request.messages):
        if message.role == "user":
            parts = [
                b.text if isinstance(b, base.TextBlock) else b.content
                for b in message.content
                if isinstance(b, base.TextBlock | base.ToolResultBlock)
            ]
            return " ".join(p for p in parts if p)
    return ""


def _request_tokens(request: base.ModelRequest) -> int:
    texts = [request.system] + [
        getattr(b, "text", None) or getattr(b, "content", "")
        for m in request.messages
        for b in m.content
    ]
    return max(sum(count_words(t) for t in texts if isinstance(t, str)), 1)


class ScriptedProvider(base.ModelProvider):
    """Plays scripted turns (then echoes); records every request; no network, no delay."""

    def __init__(
        self,
        *turns: Turn,
        id: str = "fake",
        models: Iterable[str | base.ModelInfo] = ("echo",),
    ):
        self.id = id
        self.requests: list[base.ModelRequest] = []
        self.models = [m if isinstance(m, base.ModelInfo) else fake_model(m, id) for m in models]
        self.list_error: str | None = None  # set: the listing fails with this error
        self.last_error: str | None = None
        self._script = Script(turns)
        self._arrived = asyncio.Condition()

    def script(self, *turns: Turn) -> None:
        """Queue the next answers (after those still pending)."""
        self._script.add(*turns)

    def reset(self) -> None:
        """Forget pending turns and recorded requests."""
        self._script.clear()
        self.requests.clear()

    @property
    def pending(self) -> int:
        """Scripted turns not used yet."""
        return self._script.pending

    def tool_results(self) -> list[base.ToolResultBlock]:
        """The tool results the model was sent last (in the last message of its last request)."""
        return [b for b in self.requests[-1].messages[-1].content
                if isinstance(b, base.ToolResultBlock)]

    async def wait_for(self, n: int = 1, within: float = 5.0) -> base.ModelRequest:
        """Wait until ``n`` requests have arrived; return the n-th."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.requests) >= n), within)
        return self.requests[n - 1]

    async def list_models(self, ctx: base.ProviderContext) -> list[base.ModelInfo]:
        """The configured models, or [] with ``last_error`` when ``list_error`` is set."""
        self.last_error = self.list_error
        return [] if self.list_error else list(self.models)

    async def stream(
        self, request: base.ModelRequest, ctx: base.ProviderContext
    ) -> AsyncIterator[base.ProviderEvent]:
        """Play the next turn as provider events."""
        # a copy of the lists: the caller goes on appending to its history after the call
        # (messages themselves are never changed, only replaced)
        self.requests.append(dataclasses.replace(
            request, messages=list(request.messages), tools=list(request.tools)))
        async with self._arrived:
            self._arrived.notify_all()
        names = [m.id.split(":", 1)[-1] for m in self.models]
        if request.model not in names:
            raise base.ProviderError(
                f"{self.id} has no model {request.model!r} (it has: {', '.join(names)})",
                status=404,
            )
        text = last_user_text(request)
        turn: Turn = self._script.next(text)
        while isinstance(turn, Hang):
            async for event in _deltas(turn.after_text):
                yield event
            await self._stall(turn, request.timeout)
            turn = after_hang(turn, lambda: self._script.next(text))
        if isinstance(turn, Fail | Malformed):
            async for event in _deltas(turn.after_text or ""):
                yield event
            raise self._failure(turn)
        async for event in self._reply(turn, request):
            yield event

    async def _stall(self, turn: Hang, limit: float) -> None:
        try:
            await asyncio.wait_for(stall(turn), limit)
        except TimeoutError:
            raise base.ProviderError(f"{self.id} did not answer within {limit:g} s") from None

    def _failure(self, turn: Fail | Malformed) -> base.ProviderError:
        if isinstance(turn, Malformed):
            return base.ProviderError(f"{self.id} sent a malformed answer")
        status, message = turn.status, turn.message
        if status == 401:
            text = message or f"{self.id} rejected the API key"
        elif status == 429:
            wait = "" if turn.retry_after is None else f" (retry after {turn.retry_after:g} s)"
            text = message or f"rate limited by {self.id}{wait}"
        elif status >= 500:
            text = message or f"{self.id} is unavailable (HTTP {status})"
        else:
            text = f"{self.id} refused the request (HTTP {status}): {message or 'invalid request'}"
        return base.ProviderError(text, status=status, retry_after=turn.retry_after)

    async def _reply(self, turn: Reply,
                     request: base.ModelRequest) -> AsyncIterator[base.ProviderEvent]:
        async for event in _deltas(turn.text):
            yield event
        for c in turn.calls:
            yield base.ToolCall(call_id("toolu_", c.id), c.name, copy.deepcopy(c.arguments))
        tokens_in = turn.input_tokens if turn.input_tokens is not None else _request_tokens(request)
        yield base.Usage(tokens_in, output_tokens(turn))
        yield base.Stop(turn.stop)


async def _deltas(text: str) -> AsyncIterator[base.ProviderEvent]:
    for piece in text_chunks(text):
        # give other tasks (stop, pause, other runs) a turn, as a network stream would
        await asyncio.sleep(0)
        yield base.TextDelta(piece)
