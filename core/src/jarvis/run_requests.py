"""What starts a run and what a finished run reports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .providers.base import DocumentBlock, ImageBlock, Message
from .tools import RunKind, RunRef, UserRef

# How an agent's prompt meets the user's message in the system prompt (see runtime.prompt).
PromptMode = Literal["combined", "agent_only", "user_message"]


@dataclass(slots=True)
class AgentConfig:
    """How an agent runs: its model, prompt and limits."""

    prompt: str | None = None
    model: str | None = None  # provider:model; None: the default model
    prompt_mode: PromptMode = "combined"
    allowed_tools: list[str] | None = None  # tool names or groups; None: every tool offered
    max_tool_calls: int | None = None  # None: the limits setting
    name: str | None = None


@dataclass(slots=True)
class RunRequest:
    """One run to start. Chat runs carry the session's history; headless runs an agent config."""

    kind: RunKind
    user: UserRef
    message: str = ""
    agent: AgentConfig | None = None
    model: str | None = None  # chat: the chosen model (else the agent's, else the default)
    agent_id: str | None = None  # the agent run (kind "agent" or "task"), or a trigger's agent
    trigger: str | None = None
    session_id: str | None = None
    conversation_id: str | None = None  # chat: continue this stored conversation
    untrusted_input: str | None = None  # a trigger's message: fenced as data; taints the run
    attachments: list[ImageBlock | DocumentBlock] = field(default_factory=list)
    history: list[Message] | None = None  # chat: the live history (the run appends to it)
    approvals: set[str] | None = None  # chat: the session's remembered approvals (updated)
    # a sub-run started by a tool call of this run: recorded as its parent, one level deeper;
    # it runs in the parent's place in the queue (the parent waits for it)
    parent: RunRef | None = None


@dataclass(slots=True)
class RunOutcome:
    """How a run ended."""

    run_id: str
    status: str  # done | failed | stopped | limited | interrupted
    text: str = ""
    error: str | None = None
    tool_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    conversation_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("done", "limited")


Reply = Callable[[str], Awaitable[Any]]


@dataclass(slots=True)
class TriggerRun:
    """What a plugin trigger emits: a message for one user (optionally for one of their agents).

    ``message`` is outside content, so by default it is fenced as untrusted data and taints
    the run. ``reply`` (optional) is awaited with the answer when the run ends well. The emit
    call returns the :class:`RunOutcome`.
    """

    user_id: str
    message: str
    agent_id: str | None = None
    untrusted: bool = True
    reply: Reply | None = None
    agent: AgentConfig | None = None  # explicit config; else the agent's, looked up by agent_id
