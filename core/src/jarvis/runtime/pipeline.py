"""One tool call through every check: allowed, valid, canary, policies, confirmation, run."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import validation_message
from ..keys import OUTBOUND_HTTP, PLUGIN_CONTEXTS
from ..policy import Decision, PolicyRequest, deny
from ..providers.base import ToolCall, ToolResultBlock
from ..security.canary import CanaryWatch
from ..tools import Tool, ToolContext, ToolResult
from . import results
from .audit import audit_event, record
from .authorize import CallDecision, check_all, check_request
from .context import user_folder
from .events import ConfirmationAsked, Event, ImagesProduced, ToolFinished, ToolStarted
from .offload import off_loop
from .state import RunState

log = logging.getLogger("jarvis.runtime")

CANARY_ERROR = ("a tool call carried this run's secret marker (a sign of prompt injection): "
                "the call was refused and the run halted")


@dataclass(slots=True)
class CallResult:
    """What goes back to the model for one call; ``halt`` ends the run as failed."""

    block: ToolResultBlock
    display: str
    halt: str | None = None


def _canary_watch(st: RunState) -> CanaryWatch:
    if st.canary_watch is None:
        st.canary_watch = CanaryWatch(st.canary or "")
    return st.canary_watch


async def tool_call(st: RunState, call: ToolCall) -> AsyncIterator[Event | CallResult]:
    """Run one call of the model through the pipeline, yielding its events, then its result."""
    tool, why = st.toolset.lookup(call.name)
    if tool is None:
        async for item in _refuse(st, call, f"refused: {why}", decision="deny"):
            yield item
        return
    if st.security.canary and st.canary and await off_loop(
        len(str(call.arguments)), _canary_watch(st).check, call.arguments
    ):
        await record(st, kind="security", action="canary_hit", tool_name=call.name,
                     arguments=call.arguments, decision="deny", success=False,
                     summary="tool call arguments carried the run's canary token")
        async for item in _refuse(st, call, "refused: " + CANARY_ERROR, decision="deny",
                                  audit=False, halt=CANARY_ERROR):
            yield item
        return
    try:
        args = tool.Input.model_validate(call.arguments)
    except ValidationError as err:
        async for item in _refuse(st, call, f"invalid arguments: {validation_message(err)}",
                                  decision="allow", audit_kind="tool_call"):
            yield item
        return
    ctx = _context(st, tool)
    verdict = await _policies(st, tool, args, ctx)
    if verdict.verdict == "deny":
        why = f"refused by policy: {verdict.decision.reason}"
        async for item in _refuse(st, call, why, decision="deny"):
            yield item
        return
    confirmed: bool | None = None
    # an ask the user approved earlier in this chat session is not asked again
    decision = "allow" if verdict.remembered(st.approvals) else verdict.verdict
    reasons = _confirmation_reasons(st, tool, args, decision, verdict.decision.reason)
    if reasons:
        if st.run.headless:
            if not st.toolset.granted(tool):
                why = (f"refused: this call needs confirmation ({'; '.join(reasons)}), which "
                       f"{st.run.kind} runs cannot ask for; grant {tool.name} or its group "
                       f"{tool.group} in allowed_tools to let it run")
                async for item in _refuse(st, call, why, decision="ask"):
                    yield item
                return
        else:
            question = ConfirmationAsked(call.id, call.name, call.arguments,
                                         _describe(tool, args, reasons))
            answer = await st.control.confirm(question, st.timeouts.confirmation)
            if answer is not True:
                why = ("refused: the run was stopped" if st.control.stopped
                       else "refused: the user declined" if answer is False
                       else f"refused: no confirmation within {st.timeouts.confirmation:g} s")
                async for item in _refuse(st, call, why, decision="ask", confirmed=False):
                    yield item
                return
            confirmed = True
            if st.approvals is not None:
                st.approvals.update(verdict.keys())
    yield ToolStarted(call.id, call.name, call.arguments)
    result = await _run(st, tool, args, ctx)
    if tool.reads_untrusted:
        st.tainted = True
    model_text, display, withheld = await results.for_model(st, tool.name, result)
    summary = results.summary_of(st, result)
    entry = audit_event(st, kind="tool_call", action="tool_call", tool_name=tool.name,
                        arguments=call.arguments, decision=decision, confirmed=confirmed,
                        success=result.ok, summary=summary,
                        detail={"screened_out": withheld} if withheld else {})
    if result.images:
        yield ImagesProduced(result.images)
    yield ToolFinished(call.id, call.name, result.ok, summary, confirmed, decision,  # type: ignore[arg-type]
                       call.arguments, entry)
    yield CallResult(ToolResultBlock(call.id, model_text, not result.ok), display)


async def _refuse(
    st: RunState, call: ToolCall, message: str, *, decision: str, confirmed: bool | None = None,
    audit: bool = True, audit_kind: str = "denial", halt: str | None = None,
) -> AsyncIterator[Event | CallResult]:
    entry = audit_event(
        st, kind=audit_kind, action="denial" if audit_kind == "denial" else "tool_call",
        tool_name=call.name, arguments=call.arguments, decision=decision, confirmed=confirmed,
        success=False, summary=message) if audit else None
    yield ToolFinished(call.id, call.name, False, message, confirmed, decision,  # type: ignore[arg-type]
                       call.arguments, entry)
    yield CallResult(ToolResultBlock(call.id, message, True), message, halt)


def _confirmation_reasons(
    st: RunState, tool: Tool, args: BaseModel, decision: str, policy_reason: str
) -> list[str]:
    reasons = []
    if decision == "ask":
        reasons.append(policy_reason or "a policy asks for confirmation")
    if _safe(lambda: tool.requires_confirmation(args), True):
        reasons.append(f"{tool.name} always asks before it acts")
    if st.tainted and tool.side_effect and st.security.taint_guard:
        reasons.append("the run has read outside content and this tool acts on the world")
    return reasons


def _describe(tool: Tool, args: BaseModel, reasons: list[str]) -> str:
    line = _safe(lambda: tool.describe(args), f"{tool.name} call")
    return f"{line} ({'; '.join(reasons)})"


def _safe(fn: Any, fallback: Any) -> Any:
    # plugin code: a bug there must not crash the run, and fails towards asking
    try:
        return fn()
    except Exception:
        log.exception("a tool hook failed")
        return fallback


async def _policies(st: RunState, tool: Tool, args: BaseModel, ctx: ToolContext) -> CallDecision:
    try:
        requests = [
            r if r.tool_name else dataclasses.replace(r, tool_name=tool.name)
            for r in tool.policy_requests(args)
        ]
    except Exception:
        log.exception("policy_requests of %s failed", tool.name)
        return CallDecision(deny(f"{tool.name} could not say what it touches"))
    return await check_all(_policy_table(st), requests, ctx)


def _policy_table(st: RunState) -> dict[str, Any]:
    from ..keys import REGISTRY

    return st.app[REGISTRY].policies


def _context(st: RunState, tool: Tool) -> ToolContext:
    folder = st.scratch.get("_user_folder")
    if not isinstance(folder, Path):
        folder = st.scratch["_user_folder"] = user_folder(st.app, st.user)

    async def authorizer(request: PolicyRequest, ctx: ToolContext) -> Decision:
        # resources met while running (a redirect, a link): the same rules as before the call
        if not request.tool_name:
            request = dataclasses.replace(request, tool_name=tool.name)
        verdict = await check_request(_policy_table(st), request, ctx)
        decision = verdict.decision
        if decision.verdict == "ask" and verdict.remembered(st.approvals):
            decision = Decision("allow", decision.reason)
        elif decision.verdict == "ask":
            granted = st.toolset.granted(tool) if st.run.headless else await st.control.confirm(
                ConfirmationAsked(f"{tool.name}-{uuid.uuid4().hex[:12]}", tool.name,
                                  {"resource": request.resource, "value": str(request.value)},
                                  f"{tool.name} wants {request.resource} {request.value} "
                                  f"({decision.reason or 'a policy asks'})"),
                st.timeouts.confirmation,
            ) is True
            if granted and st.approvals is not None and not st.run.headless:
                st.approvals.update(verdict.keys())
            decision = Decision("allow", decision.reason) if granted else deny(
                f"not confirmed: {decision.reason}")
        if decision.verdict != "allow":
            await record(st, kind="denial", action="denial", tool_name=tool.name,
                         arguments={"resource": request.resource, "value": str(request.value)},
                         decision="deny", success=False, summary=decision.reason)
        return decision

    return ToolContext(
        user=st.user, run=st.run, context=st.app[PLUGIN_CONTEXTS][tool.plugin or "core"],
        credentials=st.credentials,
        http=st.app[OUTBOUND_HTTP], user_folder=folder, authorizer=authorizer, state=st.scratch,
        budget=_Budget(st),
    )


class _Budget:
    """The run's tool-call budget as a tool sees it; calls spent for it count as the run's."""

    def __init__(self, st: RunState):
        self._st = st

    @property
    def left(self) -> int:
        return max(0, self._st.max_tool_calls - self._st.tool_calls)

    def spend(self, calls: int) -> None:
        self._st.tool_calls += max(0, calls)


async def _run(st: RunState, tool: Tool, args: BaseModel, ctx: ToolContext) -> ToolResult:
    try:
        result = await asyncio.wait_for(tool.run(args, ctx), st.timeouts.tool)
    except TimeoutError:
        return ToolResult.failure(f"{tool.name} did not finish within {st.timeouts.tool:g} s")
    except Exception as err:  # a tool must never crash the run
        log.exception("tool %s failed", tool.name)
        return ToolResult.failure(f"{tool.name} failed: {type(err).__name__}: {err}")
    if not isinstance(result, ToolResult):
        log.error("tool %s returned %r instead of a ToolResult", tool.name, type(result))
        return ToolResult.failure(f"{tool.name} returned no result")
    return result
