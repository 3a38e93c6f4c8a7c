"""The runtime: starts runs through the queue, feeds their events to the store and watchers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ..db import new_id
from ..errors import BadRequest, NotFound
from ..keys import AUDIT, CONFIG, DATABASE, RUN_QUEUE, SETTINGS
from ..providers.base import Message, TextBlock
from ..run_requests import AgentConfig, RunOutcome, RunRequest
from ..security.canary import new_canary
from ..security.screen import SCREEN_NOTICE
from ..services import conversations
from ..tools import RunRef, Tool, UserRef, end_run
from . import results
from .audit import record
from .catalogue import ModelCatalogue
from .context import RunCredentials
from .control import RunControl
from .events import PUBLIC, Event, Finished, MessageAdded, ToolFinished
from .handles import Listener, RunHandle, RunSubscription
from .history import to_messages, to_rows
from .instances import Instance
from .loop import run_loop
from .prompt import PromptParts, first_user_text, system_prompt
from .state import RunState, Timeouts
from .store import HourlyBudget, RunStore
from .tool_sources import tools_for_run
from .toolset import Toolset, read_untrusted

log = logging.getLogger("jarvis.runtime")

DEFAULT_MAX_TOOL_CALLS = 20
AgentLoader = Callable[[str, UserRef], Awaitable[AgentConfig | None]]


def _tool_call_limit(agent: AgentConfig, limits: Any) -> int:
    """The admin's limit, or the agent's own when lower: an agent may only lower it (its 0
    means "no tool calls", not "the default")."""
    admin = limits.max_tool_calls or DEFAULT_MAX_TOOL_CALLS
    return admin if agent.max_tool_calls is None else min(agent.max_tool_calls, admin)


class Runtime:
    """Starts, watches, stops and waits for runs of every kind."""

    def __init__(self, app: web.Application):
        self.app = app
        self.catalogue = ModelCatalogue(app)
        self.store = RunStore(app[DATABASE])
        self.instance = Instance(app[DATABASE])  # this process, as the run rows name it
        self.timeouts = Timeouts()
        self.active: dict[str, RunHandle] = {}
        # filled by the agents subsystem: (agent_id, user) -> the agent's config, or None
        self.agent_loader: AgentLoader | None = None

    # -- starting ----------------------------------------------------------------------------

    async def start(
        self, request: RunRequest, wait: bool = False, listener: Listener | None = None
    ) -> str:
        """Queue a run and return its id at once (or once it ended, with ``wait``).

        ``listener`` receives every frame of the run, from the first one on.
        """
        model_id = request.model or (request.agent.model if request.agent else None)
        model_id = model_id or await self.catalogue.default()
        if not model_id:
            raise BadRequest("model: no model is available; configure a model provider")
        self.catalogue.resolve(model_id)
        db = self.app[DATABASE]
        history: list[Message] = []
        new_conversation: dict[str, Any] | None = None  # inserted with the run
        if request.kind == "chat":
            if request.conversation_id is None:
                new_conversation = conversations.new_row(
                    request.user.id, request.message, session_id=request.session_id,
                    model=model_id)
                request.conversation_id = new_conversation["id"]
                if request.history is None:
                    request.history = []
            elif request.history is None:
                await conversations.owned(db, request.user.id, request.conversation_id)
                rows = await conversations.message_rows(db, conversation_id=request.conversation_id)
                request.history = to_messages(rows)
            history = request.history if request.history is not None else []
        run_id = new_id()
        agent = request.agent or AgentConfig()
        limits = self.app[CONFIG].get("limits")
        untrusted = request.untrusted_input
        if untrusted is not None:  # outside content, sanitized as a tool result would be
            untrusted = results.clean_input(untrusted, self.app[CONFIG].get("security"))
        user_message = _first_message(request, untrusted)
        first_rows = to_rows(MessageAdded(user_message))
        status = await self.store.create({
            "id": run_id, "kind": request.kind, "user_id": request.user.id,
            "agent_id": request.agent_id,
            "task_id": request.agent_id if request.kind == "task" else None,  # the run history's
            "session_id": request.session_id, "conversation_id": request.conversation_id,
            "trigger": request.trigger, "model": model_id, "instance_id": self.instance.id,
            "parent_run_id": request.parent.id if request.parent else None,
            "prompt": request.message or request.untrusted_input or agent.prompt or "",
        }, budget=HourlyBudget(limits.max_autonomous_runs_per_hour,
                               limits.max_autonomous_runs_per_hour_per_user),
            messages=first_rows, model=model_id if request.conversation_id else None,
            conversation=new_conversation)
        if status == "limited":
            return run_id
        handle = RunHandle(run_id, request, model_id)
        if listener is not None:
            handle.listen(listener)
        if history and history[-1].role == "user":
            # the previous turn failed before the model answered: vendors want the roles to
            # alternate, so this message joins that one
            history[-1] = Message("user", [*history[-1].content, *user_message.content])
        else:
            history.append(user_message)
        self.active[run_id] = handle
        handle.task = asyncio.create_task(self._execute(handle, history), name=f"run:{run_id}")
        if wait:
            await asyncio.shield(handle.outcome)
        return run_id

    async def run(self, request: RunRequest) -> RunOutcome:
        """Start a run and wait for its outcome."""
        return await self.wait(await self.start(request))

    async def wait(self, run_id: str) -> RunOutcome:
        """The outcome of a run, once it has ended."""
        handle = self.active.get(run_id)
        if handle is not None:
            return await asyncio.shield(handle.outcome)
        row = await self.store.get(run_id)
        if row is None:
            raise NotFound("run not found")
        return RunOutcome(
            run_id, row["status"], row["final_text"], row["error"], row["tool_calls"],
            row["input_tokens"], row["output_tokens"], row["conversation_id"],
        )

    # -- steering -------------------------------------------------------------------------

    def stop(self, run_id: str) -> bool:
        """Stop a run (and the sub-runs it waits for) at its next step; False when it is not
        running here."""
        handle = self.active.get(run_id)
        if handle is None:
            return False
        handle.control.stop()
        for child in list(self.active.values()):
            if child.request.parent is not None and child.request.parent.id == run_id:
                self.stop(child.id)
        return True

    async def request_stop(self, run_id: str) -> bool:
        """Stop a run wherever it runs: here at once, in another server process at its next
        poll (a few seconds); False when the run has already ended."""
        if self.stop(run_id):
            return True
        if not await self.store.request_stop(run_id=run_id):
            return False
        await self.instance.sweep()  # its process may be gone: then it ends interrupted now
        return True

    async def stop_user(self, user_id: str) -> None:
        """Stop every queued or running run of a user, in this process and in the others."""
        for handle in list(self.active.values()):
            if handle.user_id == user_id:
                handle.control.stop()
        await self.store.request_stop(user_id=user_id)

    def confirm(self, run_id: str, call_id: str, approved: bool) -> bool:
        """Answer a pending confirmation; False when the run does not wait for ``call_id``."""
        handle = self.active.get(run_id)
        return handle is not None and handle.control.answer(call_id, approved)

    def subscribe(self, run_id: str, limit: int = 1000) -> RunSubscription:
        """The run's further frames (ends at once when the run is not running)."""
        return RunSubscription(self.active.get(run_id), limit)

    # -- the run itself -------------------------------------------------------------------

    async def _execute(self, handle: RunHandle, history: list[Message]) -> None:
        # a sub-run takes its parent's place: the parent holds a slot while it waits for it
        queue = self.app[RUN_QUEUE] if handle.request.parent is None else None
        st: RunState | None = None
        try:
            if queue is not None and not await _acquire(queue, handle.control):
                await self._finish(handle, None, Finished("stopped"))
                return
            try:
                run = self._run_ref(handle)
                tools = await tools_for_run(self.app, handle.request.user, run)
                st = self._state(handle, history, run, tools)
                await self.store.started(handle.id, handle.model_id)
                if handle.request.untrusted_input is not None:
                    await _screen_input(st, handle.request, history)
                async for event in run_loop(st):
                    await self._on_event(handle, st, event)
            finally:
                if queue is not None:
                    queue.release()
                if st is not None:
                    await asyncio.shield(end_run(st.scratch))
        except asyncio.CancelledError:
            await asyncio.shield(self._finish(handle, st, Finished(
                "failed", error="the server stopped during this run"), status="interrupted"))
            raise
        except Exception as err:
            log.exception("run %s failed", handle.id)
            end = Finished("failed", error=f"internal error: {type(err).__name__}")
            await self._finish(handle, st, end)

    def _run_ref(self, handle: RunHandle) -> RunRef:
        request = handle.request
        agent = request.agent or AgentConfig()
        parent = request.parent
        return RunRef(handle.id, request.kind, request.session_id, request.agent_id,
                      agent.allowed_tools, parent.id if parent else None,
                      parent.depth + 1 if parent else 0)

    def _state(self, handle: RunHandle, history: list[Message], run: RunRef,
               tools: dict[str, Tool]) -> RunState:
        request = handle.request
        agent = request.agent or AgentConfig()
        config = self.app[CONFIG]
        general, security = config.get("general"), config.get("security")
        provider, model = self.catalogue.resolve(handle.model_id)
        canary = new_canary() if security.canary else None
        parts = PromptParts(
            persona=general.persona, agent_name=general.agent_name,
            time_zone=general.time_zone or self.app[SETTINGS].time_zone,
            agent_prompt=agent.prompt, prompt_mode=agent.prompt_mode, canary=canary,
        )
        return RunState(
            app=self.app, run=run, user=request.user, provider=provider,
            provider_ctx=self.catalogue.provider_context, model=model, model_id=handle.model_id,
            system=system_prompt(parts), messages=history,
            toolset=Toolset(tools, run, request.user),
            max_tool_calls=_tool_call_limit(agent, config.get("limits")),
            control=handle.control, credentials=RunCredentials(self.app, request.user),
            security=security, timeouts=self.timeouts, canary=canary,
            # outside content read in an earlier turn of the conversation is still in context
            tainted=request.untrusted_input is not None
            or read_untrusted(history, tools),
            approvals=request.approvals,
        )

    async def _on_event(self, handle: RunHandle, st: RunState, event: Event) -> None:
        if isinstance(event, PUBLIC):
            handle.publish(event.frame())
            if isinstance(event, ToolFinished):
                handle.unsaved_calls.append(event)  # stored with the results message
        elif isinstance(event, MessageAdded):
            if event.message.role == "assistant":
                # stored with what follows it: the results of its calls, or the run's end
                handle.unsaved_rows += to_rows(event)
            else:
                await self._persist(handle, event)
        elif isinstance(event, Finished):
            await self._finish(handle, st, event)

    async def _persist(self, handle: RunHandle, event: MessageAdded | None,
                       end: dict[str, Any] | None = None) -> None:
        """Store the run's messages and tool calls since the last time, with the calls' audit
        entries (and, with ``end``, the run's end) in one transaction."""
        calls, handle.unsaved_calls = handle.unsaved_calls, []
        rows, handle.unsaved_rows = handle.unsaved_rows, []
        if event is not None:
            rows += to_rows(event)
        entries = [c.audit for c in calls if c.audit is not None]
        audit = self.app.get(AUDIT) if entries else None
        if not rows and not calls and end is None:
            return
        try:
            async with self.app[DATABASE].write() as conn:
                await conversations.insert_messages(
                    conn, rows, conversation_id=handle.conversation_id, run_id=handle.id,
                    model=handle.model_id if handle.conversation_id else None)
                await self.store.insert_tool_calls(conn, handle.id, calls)
                if audit is not None:
                    await audit.append(conn, entries)
                if end is not None:
                    await self.store.record_end(conn, handle.id, end)
            return
        except Exception:  # losing the record must not lose the user's answer
            log.exception("storing a message of run %s failed", handle.id)
        if audit is not None:  # the audit entries go on their own, whatever became of the rest
            for entry in entries:
                with contextlib.suppress(Exception):
                    await audit.record(entry)
        if end is not None:
            try:
                await self.store.finish(handle.id, **end)
            except Exception:
                log.exception("recording the end of run %s failed", handle.id)

    async def _finish(self, handle: RunHandle, st: RunState | None, end: Finished,
                      status: str | None = None) -> None:
        status = status or end.status
        outcome = RunOutcome(
            handle.id, status, end.text, end.error, st.tool_calls if st else 0,
            st.input_tokens if st else 0, st.output_tokens if st else 0, handle.conversation_id)
        # the last messages, the tool calls not followed by a message (a halt), and the end
        await self._persist(handle, None, end={
            "status": status, "final_text": end.text, "error": end.error,
            "input_tokens": outcome.input_tokens, "output_tokens": outcome.output_tokens,
            "tool_calls": outcome.tool_calls})
        if end.status == "failed":
            handle.publish({"type": "error", "error": end.error or "the run failed",
                            "detail": end.detail, "run_id": handle.id})
        else:
            handle.publish({
                "type": "done", "run_id": handle.id, "conversation_id": handle.conversation_id,
                "text": end.text, "tool_calls_made": outcome.tool_calls,
                "usage": {"input_tokens": outcome.input_tokens,
                          "output_tokens": outcome.output_tokens},
                "status": status,
            })
        self.active.pop(handle.id, None)
        if not handle.outcome.done():
            handle.outcome.set_result(outcome)

    # -- life cycle -----------------------------------------------------------------------

    async def close(self, grace: float = 5.0) -> None:
        """Stop every run; those still going after ``grace`` seconds end as interrupted."""
        handles = list(self.active.values())
        for handle in handles:
            handle.control.stop()
        tasks = [h.task for h in handles if h.task is not None]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)


async def _acquire(queue, control: RunControl) -> bool:
    """Wait for a slot in the run queue; False (and no slot) when the run is stopped first."""
    if control.stopped:
        return False
    slot = asyncio.ensure_future(queue.acquire())
    stopped = asyncio.ensure_future(control.wait_stopped())
    try:
        await asyncio.wait({slot, stopped}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        slot.cancel()  # the queue hands on a slot granted just now
        raise
    finally:
        stopped.cancel()
    if slot.done() and not slot.cancelled() and slot.exception() is None:
        if control.stopped:
            queue.release()
            return False
        return True
    slot.cancel()
    await asyncio.gather(slot, return_exceptions=True)
    return False


def _first_message(request: RunRequest, untrusted: str | None) -> Message:
    """The run's first user message: its message, the agent's prompt, the untrusted input."""
    agent = request.agent or AgentConfig()
    return Message("user", [TextBlock(first_user_text(
        request.message, agent_prompt=agent.prompt, prompt_mode=agent.prompt_mode,
        untrusted_input=untrusted, source=_source(request),
    )), *request.attachments])


async def _screen_input(st: RunState, request: RunRequest, history: list[Message]) -> None:
    """llm_screen judges a trigger's message as it judges tool results; when it withholds it,
    the model reads the notice instead (the stored message stays as it was, for people)."""
    reason = await results.screened_out(
        st, results.clean_input(request.untrusted_input or "", st.security))
    if reason is None:
        return
    await record(st, kind="security", action="input_screened", decision="deny", success=False,
                 summary=f"the message from {_source(request)} was withheld from the model: "
                 f"{reason}")
    history[-1] = _first_message(request, SCREEN_NOTICE)


def _source(request: RunRequest) -> str:
    if request.parent is not None:
        return "the agent that called this one"
    if request.trigger:
        return f"the {request.trigger} trigger"
    return f"a {request.kind} run"
