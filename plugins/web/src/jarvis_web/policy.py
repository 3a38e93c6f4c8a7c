"""The ``web.url`` policy: Tier 1 domains and the user's trusted ones pass, others ask."""

from __future__ import annotations

from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, ask, deny

from . import store
from .domains import DomainError, host_of, is_ip, registrable


class _HostPolicy(Policy):
    """A policy about a URL's host: a URL without a usable host is refused before ``decide``."""

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        try:
            host = host_of(str(request.value))
        except DomainError as err:
            return deny(str(err))
        return await self.decide(host, request, ctx)

    async def decide(self, host: str, request: PolicyRequest, ctx: ToolContext) -> Decision:
        raise NotImplementedError


class WebUrlPolicy(_HostPolicy):
    """Allow Tier 1 domains (and their subdomains) and the user's browser-trusted domains; ask
    about any other (in chat the user decides, once per site and session; a headless run is
    refused unless its agent was granted ``web``)."""

    resource = "web.url"

    async def decide(self, host: str, request: PolicyRequest, ctx: ToolContext) -> Decision:
        if not is_ip(host):
            found = await store.tier1_match(ctx.db, host)
            if found:
                return allow(f"{found} is on the web whitelist")
            found = await store.trusted_match(ctx.db, ctx.user.id, host)
            if found:
                return allow(f"you trust {found}")
        site = registrable(host)
        return ask(f"open {host}, which is not on the web whitelist", remember=site)


class BrowserActionPolicy(_HostPolicy):
    """``browser.action``: what the browser tools do on a page (click, fill, select, press).

    On a domain the user trusts it runs at once in chat; anywhere else the user confirms each
    action (never remembered: the next form may hold something else). A headless run always
    needs its agent granted the tool or its group, as no one can confirm there.
    """

    resource = "browser.action"

    async def decide(self, host: str, request: PolicyRequest, ctx: ToolContext) -> Decision:
        what = str(request.detail.get("action") or "act")
        if not ctx.run.headless and not is_ip(host):
            found = await store.trusted_match(ctx.db, ctx.user.id, host)
            if found:
                return allow(f"you trust {found} in the browser")
        return ask(f"{what} on {host}, which is not one of your trusted sites"
                   if not ctx.run.headless else f"{what} on {host} in a run without you")
