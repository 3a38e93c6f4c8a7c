"""The Tier 1 web whitelist [admin] and each user's browser-trusted domains."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from jarvis import Access, BadRequest, NotFound, PluginContext, Routes, entry_routes
from pydantic import BaseModel, Field

from . import store
from .domains import DomainError, normalize_domain, whitelist_domain

routes = Routes("web")


class DomainIn(BaseModel):
    domain: str = Field(min_length=1, max_length=300, examples=["example.com"])
    note: str = Field("", max_length=500)


class DomainOut(BaseModel):
    domain: str
    note: str
    created_at: str | None


async def _to_add(context: PluginContext, raw: str) -> str:
    try:
        return whitelist_domain(raw)
    except DomainError as err:
        raise BadRequest(f"domain: {err}") from None


def _to_remove(missing: str) -> Callable[[PluginContext, str], Awaitable[str]]:
    async def key(context: PluginContext, raw: str) -> str:
        try:
            return normalize_domain(raw)
        except DomainError:
            raise NotFound(missing.format(raw.strip())) from None

    return key


entry_routes(
    routes, "/api/web-whitelist", store.TIER1, access=Access.ADMIN, body=DomainIn,
    response=DomainOut, to_add=_to_add, to_remove=_to_remove(store.TIER1.absent),
    added=("web_whitelist_added", "{key} added to the web whitelist"),
    removed=("web_whitelist_removed", "{key} removed from the web whitelist"),
    summaries=("Tier 1 domains: the agent may fetch them (and subdomains) without asking",
               "Add a Tier 1 domain with a note", "Take a domain off the Tier 1 whitelist"))

entry_routes(
    routes, "/api/my/browser-trusted", store.TRUSTED, access=Access.USER, body=DomainIn,
    response=DomainOut, to_add=_to_add, to_remove=_to_remove(store.TRUSTED.absent),
    kind="security", added=("browser_trusted_added", "trusts {key}"),
    removed=("browser_trusted_removed", "no longer trusts {key}"),
    summaries=("Domains you trust: the agent may fetch them for you without asking",
               "Trust a domain for your own runs", "Stop trusting a domain"))
