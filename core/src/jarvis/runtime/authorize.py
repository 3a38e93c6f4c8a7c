"""The policy pipeline: every resource a tool touches is checked by the policies for it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..policy import Decision, Policy, PolicyRequest, deny
from ..tools import ToolContext

log = logging.getLogger("jarvis.runtime")


@dataclass(slots=True)
class CallDecision:
    """The decision for a call, with each ``ask`` kept apart (its approval may be remembered)."""

    decision: Decision
    asks: list[tuple[str, Decision]] = field(default_factory=list)  # (resource, ask)

    @property
    def verdict(self) -> str:
        return self.decision.verdict

    def keys(self) -> set[str]:
        """The keys under which the chat session remembers an approval of these asks."""
        return {f"{resource}:{d.remember}" for resource, d in self.asks if d.remember}

    def remembered(self, approvals: set[str] | None) -> bool:
        """True when the user approved every one of these asks earlier in the session."""
        if not self.asks or approvals is None:
            return False
        return all(d.remember and f"{r}:{d.remember}" in approvals for r, d in self.asks)


async def check_request(
    policies: Mapping[str, list[Policy]], request: PolicyRequest, ctx: ToolContext
) -> CallDecision:
    """The policies' verdict on one resource: any deny denies, else any ask asks, else any
    allow allows; no policy for the resource, or only abstentions, means deny."""
    found = policies.get(request.resource)
    if not found:
        return CallDecision(deny(f"no policy covers {request.resource}"))
    decisions = []
    for policy in found:
        try:
            decisions.append(await policy.check(request, ctx))
        except Exception:  # a broken policy must fail closed, not open
            log.exception("policy %s for %s failed", type(policy).__name__, request.resource)
            decisions.append(deny(f"the {request.resource} policy failed"))
    return _combine([CallDecision(d, [(request.resource, d)] if d.verdict == "ask" else [])
                     for d in decisions], empty=deny("no policy allows this"))


async def check_all(
    policies: Mapping[str, list[Policy]], requests: Iterable[PolicyRequest], ctx: ToolContext
) -> CallDecision:
    """The verdict on a whole call; a call that touches no resource needs no policy."""
    verdicts = [await check_request(policies, r, ctx) for r in requests]
    if not verdicts:
        return CallDecision(Decision("allow"))
    return _combine(verdicts, empty=Decision("allow"))


def _combine(verdicts: list[CallDecision], empty: Decision) -> CallDecision:
    for v in verdicts:
        if v.verdict == "deny":
            return v
    asks = [a for v in verdicts for a in v.asks]
    if asks:
        reason = "; ".join(dict.fromkeys(d.reason for _r, d in asks if d.reason))
        return CallDecision(Decision("ask", reason), asks)
    allowed = [v for v in verdicts if v.verdict == "allow"]
    return allowed[0] if allowed else CallDecision(empty)
