"""The Tier 1 web whitelist [admin] and each user's browser-trusted domains."""

from __future__ import annotations

from aiohttp import web
from jarvis import (
    Access,
    BadRequest,
    NotFound,
    Ok,
    Routes,
    audit_action,
    current_user,
    plugin_context,
)
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


def _to_add(raw: str) -> str:
    try:
        return whitelist_domain(raw)
    except DomainError as err:
        raise BadRequest(f"domain: {err}") from None


def _to_remove(request: web.Request, missing: str) -> str:
    raw = request.match_info["domain"]
    try:
        return normalize_domain(raw)
    except DomainError:
        raise NotFound(missing.format(raw.strip())) from None


@routes.get("/api/web-whitelist", access=Access.ADMIN, response=list[DomainOut],
            summary="Tier 1 domains: the agent may fetch them (and subdomains) without asking")
async def list_whitelist(request: web.Request) -> list[DomainOut]:
    return [DomainOut(**row) for row in await store.TIER1.rows(plugin_context(request).db)]


@routes.post("/api/web-whitelist", access=Access.ADMIN, body=DomainIn, response=Ok,
             status=201, errors=(409,), summary="Add a Tier 1 domain with a note")
async def add_whitelist(request: web.Request, body: DomainIn) -> Ok:
    domain = _to_add(body.domain)
    await store.TIER1.add(plugin_context(request).db, domain, note=body.note)
    await audit_action(request, "web_whitelist_added", f"{domain} added to the web whitelist",
                       domain=domain)
    return Ok()


@routes.delete("/api/web-whitelist/{domain}", access=Access.ADMIN, response=Ok,
               summary="Take a domain off the Tier 1 whitelist")
async def remove_whitelist(request: web.Request) -> Ok:
    domain = _to_remove(request, "{} is not on the web whitelist")
    await store.TIER1.remove(plugin_context(request).db, domain)
    await audit_action(request, "web_whitelist_removed",
                       f"{domain} removed from the web whitelist", domain=domain)
    return Ok()


@routes.get("/api/my/browser-trusted", access=Access.USER, response=list[DomainOut],
            summary="Domains you trust: the agent may fetch them for you without asking")
async def list_trusted(request: web.Request) -> list[DomainOut]:
    rows = await store.TRUSTED.rows(plugin_context(request).db, current_user(request).id)
    return [DomainOut(**row) for row in rows]


@routes.post("/api/my/browser-trusted", access=Access.USER, body=DomainIn, response=Ok,
             status=201, errors=(409,), summary="Trust a domain for your own runs")
async def add_trusted(request: web.Request, body: DomainIn) -> Ok:
    domain = _to_add(body.domain)
    await store.TRUSTED.add(plugin_context(request).db, domain, current_user(request).id,
                            note=body.note)
    await audit_action(request, "browser_trusted_added", f"trusts {domain}", kind="security",
                       domain=domain)
    return Ok()


@routes.delete("/api/my/browser-trusted/{domain}", access=Access.USER, response=Ok,
               summary="Stop trusting a domain")
async def remove_trusted(request: web.Request) -> Ok:
    domain = _to_remove(request, "{} is not one of your trusted domains")
    await store.TRUSTED.remove(plugin_context(request).db, domain, current_user(request).id)
    await audit_action(request, "browser_trusted_removed", f"no longer trusts {domain}",
                       kind="security", domain=domain)
    return Ok()
