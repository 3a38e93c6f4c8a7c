"""The ``web.url`` policy: Tier 1 domains and the user's trusted ones pass, others ask."""

from __future__ import annotations

from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, ask, deny

from . import store
from .domains import DomainError, host_of, is_ip, registrable


class WebUrlPolicy(Policy):
    """Allow Tier 1 domains (and their subdomains) and the user's browser-trusted domains; ask
    about any other (in chat the user decides, once per site and session; a headless run is
    refused unless its agent was granted ``web``)."""

    resource = "web.url"

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        try:
            host = host_of(str(request.value))
        except DomainError as err:
            return deny(str(err))
        if not is_ip(host):
            found = await store.tier1_match(ctx.db, host)
            if found:
                return allow(f"{found} is on the web whitelist")
            found = await store.trusted_match(ctx.db, ctx.user.id, host)
            if found:
                return allow(f"you trust {found}")
        site = registrable(host)
        return ask(f"open {host}, which is not on the web whitelist", remember=site)
