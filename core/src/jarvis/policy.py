"""Policies decide whether a tool may touch a resource (a recipient, a URL, a path)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .tools import ToolContext

Verdict = Literal["allow", "deny", "ask", "abstain"]


@dataclass(frozen=True, slots=True)
class Decision:
    """One policy's answer: allow, deny(reason), ask(reason) or abstain."""

    verdict: Verdict
    reason: str = ""
    # For "ask": the key under which the user's approval is remembered for the chat session
    # (e.g. a domain), so the same question is not asked twice.
    remember: str | None = None

    @property
    def allowed(self) -> bool:
        return self.verdict == "allow"


def allow(reason: str = "") -> Decision:
    return Decision("allow", reason)


def deny(reason: str) -> Decision:
    return Decision("deny", reason)


def ask(reason: str, remember: str | None = None) -> Decision:
    return Decision("ask", reason, remember)


def abstain() -> Decision:
    return Decision("abstain")


@dataclass(frozen=True, slots=True)
class PolicyRequest:
    """What a tool wants to touch: one value of one resource kind."""

    resource: str
    value: Any
    tool_name: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


class Policy:
    """A check for one resource kind, e.g. ``email.recipient`` or ``web.url``.

    Subclasses set ``resource`` and implement :meth:`check`.
    """

    resource: str = ""

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        raise NotImplementedError


class StaticPolicy(Policy):
    """A policy that always gives the same decision (handy in tests and for simple plugins)."""

    def __init__(self, resource: str, decision: Decision):
        self.resource = resource
        self.decision = decision

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        return self.decision

