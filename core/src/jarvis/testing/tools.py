"""Small tools for tests, made from their parts instead of written out as classes:

    lookup = answering_tool("lookup", "info", "Look something up.", "found: {text}")

The tool answers at once (its arguments filled into ``answer``) and keeps what it was called with
in ``calls``; a tool made with ``held=True`` waits at each call until the test ``release()``s it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from ..policy import PolicyRequest
from ..tools import Tool, ToolContext, ToolResult

# what a tool answers: a format string over its arguments, or an async function of them
Answer = str | Callable[[Any, ToolContext], Awaitable[str]]


class TextArgs(BaseModel):
    """The one argument most test tools take."""

    text: str


class AnsweringTool(Tool):
    """A test tool: the arguments of each call it ran are in ``calls`` (dicts), ``entered`` is set
    once a call has its answer, and while the tool is held the call waits for ``release()``."""

    Input = TextArgs
    answer: Answer = ""
    resource: str | None = None  # the policies are asked about the first argument's value
    confirm: bool = False
    summary: str | None = None

    def __init__(self, held: bool = False):
        super().__init__()
        self.calls: list[dict[str, Any]] = []
        self.entered = asyncio.Event()
        self._released = asyncio.Event()
        if not held:
            self.release()

    def hold(self) -> None:
        """Keep the next calls waiting (after they have their answer) until :meth:`release`."""
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def requires_confirmation(self, args: Any) -> bool:
        return self.confirm

    def policy_requests(self, args: Any) -> list[PolicyRequest]:
        if self.resource is None:
            return []
        return [PolicyRequest(self.resource, next(iter(args.model_dump().values())))]

    async def run(self, args: Any, ctx: ToolContext) -> ToolResult:
        self.calls.append(args.model_dump())
        answer = self.answer
        content = answer.format(**args.model_dump()) if isinstance(answer, str) else (
            await answer(args, ctx))
        self.entered.set()
        await self._released.wait()
        return ToolResult(content=content, summary=self.summary)


def answering_tool(name: str, group: str, description: str, answer: Answer, *,
                   Input: type[BaseModel] = TextArgs, resource: str | None = None,
                   confirm: bool = False, summary: str | None = None, held: bool = False,
                   **flags: Any) -> AnsweringTool:
    """A tool answering ``answer``: ``"found: {text}"`` formatted with the call's arguments, or
    what ``await answer(args, ctx)`` returns. ``resource`` names what the policies decide about
    (the first argument's value), ``confirm`` makes the user confirm every call, ``summary`` is
    the result's summary, and ``flags`` set further Tool attributes (``side_effect``,
    ``reads_untrusted``, ``admin_only``, ``allowed_in_scheduled_runs``, ...)."""
    attrs = {"name": name, "group": group, "description": description, "Input": Input,
             "answer": staticmethod(answer) if callable(answer) else answer,
             "resource": resource, "confirm": confirm, "summary": summary, **flags}
    kind: type[AnsweringTool] = type(name.title().replace("_", ""), (AnsweringTool,), attrs)
    return kind(held)
