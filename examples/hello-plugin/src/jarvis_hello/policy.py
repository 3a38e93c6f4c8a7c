"""The ``hello.name`` policy: greet anyone but the blocked names."""

from __future__ import annotations

from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, deny

from .settings import HelloSettings


class NamePolicy(Policy):
    resource = "hello.name"

    def __init__(self, settings: HelloSettings):
        self.blocked = {name.casefold() for name in settings.blocked_names}

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        if str(request.value).casefold() in self.blocked:
            return deny(f"{request.value} is on the hello plugin's blocked list")
        return allow()
