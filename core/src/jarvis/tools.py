"""Tools: what the agent can do. A tool never raises to the loop; failures are ToolResults."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from .paths.quota import Quota
from .policy import Decision, PolicyRequest

if TYPE_CHECKING:
    from .context import PluginContext
    from .db import Database

# Lower-case letters, digits and underscores, up to 64 characters, starting with a letter. A double
# underscore is allowed: tools of a tool source are named ``<prefix><part>__<tool>`` (MCP tools
# are ``mcp__<server>__<tool>``), which vendors' tool-name rules (``[a-zA-Z0-9_-]{1,64}``) accept.
TOOL_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

# The key of ToolContext.state under which the closers of ToolContext.at_run_end wait.
_RUN_END = "_at_run_end"

# agent, task: a run of an agent of that kind (models.agents.Agent.kind);
# api: a completion asked for through the OpenAI-compatible endpoint (headless, not autonomous)
RunKind = Literal["chat", "agent", "task", "trigger", "api"]


class ToolResult(BaseModel):
    """What a tool returns. ``content`` goes back to the model (as untrusted data)."""

    model_config = ConfigDict(extra="forbid")

    ok: bool = True
    content: str = ""
    error: str | None = None
    images: list[dict[str, str]] = []
    summary: str | None = None  # short line for the UI and the audit log; defaults to content

    @classmethod
    def failure(cls, error: str) -> ToolResult:
        return cls(ok=False, error=error)


@dataclass(frozen=True, slots=True)
class UserRef:
    """The user a request or a run acts for."""

    id: str
    username: str
    role: Literal["admin", "user"]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(slots=True)
class RunRef:
    """The run a tool call belongs to."""

    id: str
    kind: RunKind
    session_id: str | None = None
    agent_id: str | None = None  # the agent run (a scheduled task is an agent of kind "task")
    allowed_tools: list[str] | None = None  # None = every tool offered to this kind of run
    parent_run_id: str | None = None  # a sub-run: the run whose tool call started it
    depth: int = 0  # how many runs started this one through tool calls (0: a top-level run)

    @property
    def task_id(self) -> str | None:
        """The scheduled task run: the agent's id when the run is of kind ``task``."""
        return self.agent_id if self.kind == "task" else None

    @property
    def headless(self) -> bool:
        return self.kind != "chat"


class ToolCallBudget(Protocol):
    """The tool calls the run may still make. A tool that makes calls on the run's behalf (a
    sub-agent's run) gives its sub-runs at most ``left`` and ``spend``s what they used."""

    @property
    def left(self) -> int: ...

    def spend(self, calls: int) -> None: ...


class Credentials(Protocol):
    """Secrets the tool may read: the user's own (``user:``) and the system's (``system:``)."""

    async def get(self, key: str) -> str | None: ...

    async def get_user(self, name: str) -> str | None: ...

    async def set_user(self, name: str, value: str) -> None: ...


@dataclass(slots=True)
class ToolContext:
    """Everything a tool may reach. Tools reach outside only through this object;
    ``context`` is the tool's plugin's :class:`jarvis.PluginContext`."""

    user: UserRef
    run: RunRef
    context: PluginContext
    credentials: Credentials
    http: Any  # the guarded HTTP client of this run (a jarvis.GuardedHttp)
    user_folder: Path
    authorizer: Callable[[PolicyRequest, ToolContext], Awaitable[Decision]] | None = None
    state: dict[str, Any] = field(default_factory=dict)  # per-run scratch space (approvals, ...)
    budget: ToolCallBudget | None = None  # the run's remaining tool calls (None: outside a run)

    @property
    def db(self) -> Database:
        """The database (``ctx.context.db``)."""
        return self.context.db

    @property
    def user_quota(self) -> Quota:
        """The storage quota of the user's folder: pass it to every write that ends there
        (``paths.write_atomic(..., quota=ctx.user_quota)``)."""
        limit = self.context.runtime_settings("storage").user_quota_bytes
        return Quota(self.user_folder, limit)

    async def audit(self, action: str, summary: str, *, success: bool | None = None,
                    **detail: Any) -> None:
        """Record in the audit log what this tool did beyond the call itself (the runtime
        records every call already): e.g. the exit code of a command, the status of a request."""
        from .services.audit import AuditEvent

        await self.context.audit.record(AuditEvent(
            "tool_call", action, user_id=self.user.id, username=self.user.username,
            session_id=self.run.session_id, run_id=self.run.id, task_id=self.run.task_id,
            success=success, summary=summary, detail=dict(detail)))

    async def authorize(self, resource: str, value: Any, **detail: Any) -> Decision:
        """Ask the policies about one more resource found while running (e.g. a redirect)."""
        if self.authorizer is None:
            from .policy import deny

            return deny("no authorizer in this context")
        return await self.authorizer(PolicyRequest(resource, value, detail=detail), self)

    def at_run_end(self, close: Callable[[], Awaitable[None]]) -> None:
        """Have ``close`` awaited once the run ends, however it ends (done, failed, stopped):
        for what a tool keeps open across the calls of one run, such as a browser."""
        self.state.setdefault(_RUN_END, []).append(close)


async def end_run(state: dict[str, Any]) -> None:
    """Await the closers :meth:`ToolContext.at_run_end` registered in ``state``, newest first;
    one that fails is logged and the others still run."""
    import logging

    closers = state.pop(_RUN_END, [])
    for close in reversed(closers):
        try:
            await close()
        except Exception:
            logging.getLogger("jarvis.runtime").exception("a tool's run-end closer failed")


def _reporting(run: Callable[[Any, Any, ToolContext], Awaitable[ToolResult]]) -> Any:
    """``run``, with the errors its tool lists in ``failures`` answered as failures."""

    @functools.wraps(run)
    async def reported(self: Tool, args: Any, ctx: ToolContext) -> ToolResult:
        try:
            return await run(self, args, ctx)
        except self.failures as err:
            return ToolResult.failure(str(err))

    return reported


class Tool:
    """Base class for tools. Subclasses set the class attributes and implement :meth:`run`.

    ``args`` is an instance of the subclass's ``Input`` model, so the methods take ``Any`` and
    each subclass names its own model. A tool made at run time (an MCP server's) may set
    ``name``, ``group``, ``description`` and ``side_effect`` per instance.
    """

    name: str
    group: str
    description: str
    Input: ClassVar[type[BaseModel]]
    allowed_in_scheduled_runs: ClassVar[bool] = True
    admin_only: ClassVar[bool] = False
    side_effect: bool = False  # sends, writes, deletes: gated after untrusted input
    reads_untrusted: ClassVar[bool] = False  # returns outside content (mail, pages, files)
    always_confirm: ClassVar[bool] = False  # the user confirms every call in chat first
    # what ``run`` may raise that is a failure to report, not a bug: it comes back as
    # ``ToolResult.failure(str(err))`` (a plugin's own error class, usually)
    failures: ClassVar[tuple[type[Exception], ...]] = ()
    # offered as is to the user's MCP clients by Jarvis's MCP server (``/mcp``): only for tools
    # that touch nothing but the caller's own data and need no confirmation or policy
    served_over_mcp: ClassVar[bool] = False
    plugin: str = ""  # set by the registry: the plugin that contributed the tool
    settings: Any = None  # the plugin's settings section, for tools that read one

    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is not None:
            cls.run = _reporting(run)  # type: ignore[method-assign]  # the errors it reports

    def __init__(self, settings: Any = None):
        """``Greet(context.plugin_settings(HelloSettings))``: the tool keeps its settings."""
        self.settings = settings

    def requires_confirmation(self, args: Any) -> bool:
        """True when the user must confirm this call in chat (headless runs need a grant);
        by default when the tool sets ``always_confirm``."""
        return self.always_confirm

    def policy_requests(self, args: Any) -> list[PolicyRequest]:
        """The resources this call touches, checked by the policies before it runs."""
        return []

    def describe(self, args: Any) -> str:
        """One readable line for the confirmation prompt."""
        return f"{self.name}({args.model_dump_json()})"

    async def run(self, args: Any, ctx: ToolContext) -> ToolResult:
        raise NotImplementedError

    def input_schema(self) -> dict[str, Any]:
        return self.Input.model_json_schema()


class ToolSource:
    """Tools that come and go while the server runs and differ per user (an MCP server's tools).

    Contributed with ``register_tool_sources``; the runtime asks :meth:`tools` at the start of
    every run. Each tool's name must start with ``prefix`` (e.g. ``mcp__``) and match
    ``TOOL_NAME``; no tool of ``register_tools`` may use the prefix. ``allowed_tools`` accepts
    any valid name under the prefix, since such tools may appear after the agent is saved.
    The tools go through the same pipeline as every other tool.
    """

    name: ClassVar[str]
    prefix: ClassVar[str]
    timeout: ClassVar[float] = 5.0  # seconds :meth:`tools` may take before the run goes without
    plugin: str = ""  # set by the registry

    async def tools(self, context: PluginContext, user: UserRef, run: RunRef) -> list[Tool]:
        """The tools ``user`` may be offered in ``run``; fast (answer from memory), never raises
        for a server that is down (leave its tools out)."""
        raise NotImplementedError
