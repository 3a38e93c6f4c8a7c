"""The agent loop: one async generator of events, used by every kind of run."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from ..keys import RUN_QUEUE
from ..providers.base import (
    Block,
    Message,
    ModelRequest,
    ProviderError,
    ProviderEvent,
    Stop,
    TextBlock,
    TextDelta,
    ToolCall,
    ToolResultBlock,
    ToolUseBlock,
    Usage,
)
from ..security.canary import carries_canary
from .audit import record
from .events import Event, Finished, MessageAdded, TextChunk, UsageAdded
from .history import flatten
from .pipeline import CallResult, tool_call
from .state import RunState

log = logging.getLogger("jarvis.runtime")

LIMIT_NOTE = ("The limit of {n} tool calls for this run is reached, so no more tools can run. "
              "Answer now with what you have; say briefly what is left undone.")
LIMIT_FALLBACK = ("I stopped after reaching the limit of {n} tool calls for this run before I "
                  "could finish.")
NOT_RUN_LIMIT = "not run: the limit of {n} tool calls for this run is reached"
NOT_RUN_STOPPED = "not run: the run was stopped"
NOT_RUN_HALTED = "not run: the run was halted"
CANARY_OUTPUT_ERROR = ("the model's answer carried this run's secret marker (a sign of prompt "
                       "injection): the answer was withheld and the run halted")


class _Interrupted(Exception):
    """The model call ended the run: ``status`` and ``error`` are its Finished event's."""

    status: ClassVar[Literal["stopped", "failed"]] = "stopped"
    error: ClassVar[str | None] = None


class _Stopped(_Interrupted):
    """The run was stopped while the model was answering."""


class _Leaked(_Interrupted):
    """The model's text carried the run's canary; it was not shown."""

    status = "failed"
    error = CANARY_OUTPUT_ERROR


@dataclass(slots=True)
class _Turn:
    text: list[str] = field(default_factory=list)
    calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)


async def run_loop(st: RunState) -> AsyncIterator[Event]:
    """Model call, tool calls, repeat; ends with one :class:`Finished` event."""
    answer: list[str] = []
    queue = st.app[RUN_QUEUE]
    while True:
        await st.control.wait_if_paused(queue)
        if st.control.stopped:
            yield Finished("stopped", "".join(answer))
            return
        turn = _Turn()
        try:
            async for event in _model_call(st, _request(st, st.messages), turn, answer):
                yield event
        except _Interrupted as end:
            yield Finished(end.status, "".join(answer), error=end.error)
            return
        except ProviderError as err:
            yield Finished("failed", "".join(answer), error=str(err))
            return
        reply = _assistant(turn)
        st.messages.append(reply)
        yield MessageAdded(reply)
        if not turn.calls:
            yield Finished("done", "".join(answer))
            return
        outcome = _Outcome()
        async for event in _tool_calls(st, turn.calls, outcome):
            yield event
        if outcome.halt:
            yield Finished("failed", "".join(answer), error=outcome.halt)
            return
        if st.control.stopped:
            yield Finished("stopped", "".join(answer))
            return
        if outcome.limited:
            async for event in _final_answer(st, answer):
                yield event
            return


@dataclass(slots=True)
class _Outcome:
    limited: bool = False
    halt: str | None = None


async def _tool_calls(
    st: RunState, calls: list[ToolCall], outcome: _Outcome
) -> AsyncIterator[Event]:
    blocks: list[ToolResultBlock] = []
    display: dict[str, str] = {}
    names = {c.id: c.name for c in calls}
    for call in calls:
        if outcome.halt or st.control.stopped:
            why = NOT_RUN_HALTED if outcome.halt else NOT_RUN_STOPPED
            blocks.append(ToolResultBlock(call.id, why, True))
            continue
        if st.tool_calls >= st.max_tool_calls:
            outcome.limited = True
            blocks.append(ToolResultBlock(call.id, NOT_RUN_LIMIT.format(n=st.max_tool_calls), True))
            continue
        st.tool_calls += 1
        try:
            async for item in tool_call(st, call):
                if isinstance(item, CallResult):
                    blocks.append(item.block)
                    display[call.id] = item.display
                    outcome.halt = outcome.halt or item.halt
                else:
                    yield item
        except Exception as err:  # a bug in the pipeline must still answer the model
            log.exception("tool call %s failed in the runtime", call.name)
            blocks.append(ToolResultBlock(call.id, f"the call failed: {type(err).__name__}", True))
    message = Message("user", list(blocks))
    st.messages.append(message)
    yield MessageAdded(message, display, names)


async def _final_answer(st: RunState, answer: list[str]) -> AsyncIterator[Event]:
    """One last call, no tools offered, asking for an answer with what the run has."""
    note = TextBlock(LIMIT_NOTE.format(n=st.max_tool_calls))
    history = flatten([*st.messages[:-1], Message("user", [*st.messages[-1].content, note])])
    request = _request(st, history, tools=False)
    turn = _Turn()
    try:
        async for event in _model_call(st, request, turn, answer):
            yield event
    except _Interrupted as end:
        yield Finished(end.status, "".join(answer), error=end.error)
        return
    except ProviderError as err:
        log.warning("run %s: the final answer after the tool limit failed: %s", st.run.id, err)
    if not "".join(turn.text).strip():
        fallback = LIMIT_FALLBACK.format(n=st.max_tool_calls)
        turn.text = [fallback]
        yield TextChunk(("\n\n" if answer else "") + fallback)
        answer.append(("\n\n" if answer else "") + fallback)
    reply = Message("assistant", [TextBlock("".join(turn.text))])
    st.messages.append(reply)
    yield MessageAdded(reply)
    yield Finished("limited", "".join(answer))


def _request(st: RunState, messages: list[Message], tools: bool = True) -> ModelRequest:
    return ModelRequest(
        model=st.model, system=st.system, messages=messages,
        tools=st.toolset.specs() if tools else [], max_tokens=st.max_tokens,
        timeout=st.timeouts.provider,
    )


def _assistant(turn: _Turn) -> Message:
    blocks: list[Block] = []
    if turn.text:
        blocks.append(TextBlock("".join(turn.text)))
    blocks += [ToolUseBlock(c.id, c.name, c.arguments) for c in turn.calls]
    return Message("assistant", blocks)


async def _model_call(
    st: RunState, request: ModelRequest, turn: _Turn, answer: list[str]
) -> AsyncIterator[Event]:
    # with a canary, a turn's text is checked whole before anyone sees it (so it is not
    # streamed): a token spelt out over several deltas must not get out piece by piece
    hold = bool(st.security.canary and st.canary)
    async for event in _stream(st, request):
        if isinstance(event, TextDelta) and event.text:
            first = not turn.text
            turn.text.append(event.text)
            if not hold:
                for chunk in _show(event.text, first, answer):
                    yield chunk
        elif isinstance(event, ToolCall):
            turn.calls.append(event if event.id else ToolCall(f"call_{uuid.uuid4().hex[:20]}",
                                                              event.name, event.arguments))
        elif isinstance(event, Usage):
            turn.usage = event  # a provider's usage event carries the call's totals
    st.input_tokens += turn.usage.input_tokens
    st.output_tokens += turn.usage.output_tokens
    yield UsageAdded(turn.usage.input_tokens, turn.usage.output_tokens)
    if hold and turn.text:
        text = "".join(turn.text)
        if carries_canary(text, st.canary):  # type: ignore[arg-type]
            await record(st, kind="security", action="canary_hit", decision="deny",
                         success=False, summary="the model's answer carried the run's canary "
                         "token; it was withheld")
            raise _Leaked()
        for chunk in _show(text, True, answer):
            yield chunk


def _show(text: str, first: bool, answer: list[str]) -> list[TextChunk]:
    """``text`` joins the answer; the turns of one answer are kept apart by a blank line."""
    chunks = []
    if first and answer:
        answer.append("\n\n")
        chunks.append(TextChunk("\n\n"))
    answer.append(text)
    chunks.append(TextChunk(text))
    return chunks


_DONE = object()


async def _stream(st: RunState, request: ModelRequest) -> AsyncIterator[ProviderEvent]:
    """The provider's events, read by a task that stop cancels and an idle timeout guards."""
    items: asyncio.Queue[object] = asyncio.Queue()
    idle = st.timeouts.provider

    async def pump() -> None:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(idle) as deadline:
                async for event in st.provider.stream(request, st.provider_ctx):
                    deadline.reschedule(loop.time() + idle)
                    items.put_nowait(event)
            items.put_nowait(_DONE)
        except ProviderError as err:
            items.put_nowait(err)
        except TimeoutError:
            items.put_nowait(ProviderError(f"the model did not answer within {idle:g} s"))
        except asyncio.CancelledError:
            items.put_nowait(_Stopped())
            raise
        except Exception as err:  # a provider bug ends the run with a clear error, not a hang
            log.exception("provider %s failed", st.provider.id)
            items.put_nowait(ProviderError(f"the model call failed: {type(err).__name__}: {err}"))

    task = asyncio.create_task(pump(), name=f"model:{st.run.id}")
    st.control.attach_stream(task)
    try:
        while True:
            item = await items.get()
            if item is _DONE:
                return
            if isinstance(item, Exception):
                raise item
            if not isinstance(item, Stop):
                yield item  # type: ignore[misc]
    finally:
        st.control.attach_stream(None)
        if not task.done():
            task.cancel()
