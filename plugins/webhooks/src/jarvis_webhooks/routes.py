"""Targets (admins), each user's inbound hooks, and the hook URL senders call."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web
from jarvis import (
    Access,
    AuditEvent,
    NotFound,
    Ok,
    PayloadTooLarge,
    PluginContext,
    Routes,
    TooManyRequests,
    UserRef,
    audit_action,
    current_user,
    iso,
    plugin_context,
    require_reauth,
    utcnow,
)
from pydantic import BaseModel, ConfigDict, Field

from . import inbound, targets
from .settings import WebhookSettings

routes = Routes("webhooks")


class IdPath(BaseModel):
    id: str = Field(min_length=1, max_length=64)


class TokenPath(BaseModel):
    token: str = Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")


class TargetOut(BaseModel):
    id: str
    name: str
    url: str
    method: str
    content_type: str
    body_template: str | None
    fields: list[str] = Field(description="the placeholders the agent fills in")
    header_names: list[str] = Field(description="the headers sent (their values never shown)")
    description: str
    admin_only: bool
    confirm: bool
    created_at: str
    updated_at: str


class HookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent_id: str = Field(min_length=1, max_length=64, description="one of your agents")
    name: str = Field(min_length=1, max_length=200)
    rate_limit: int | None = Field(None, ge=1, le=10_000,
                                   description="requests per minute; null: the server's")


class HookOut(BaseModel):
    id: str
    user_id: str
    agent_id: str
    name: str
    rate_limit: int | None
    enabled: bool
    created_at: str


class HookCreated(HookOut):
    url: str = Field(description="where senders POST; keep it secret (shown this once)")
    secret: str = Field(description="the HMAC-SHA256 signing secret (shown this once)")


class Accepted(BaseModel):
    accepted: bool = True
    run_id: str


def _target(row: Any) -> TargetOut:
    shown = targets.out(row)
    return TargetOut(**shown | {"created_at": iso(shown["created_at"]),
                                "updated_at": iso(shown["updated_at"])})


def _hook(row: Any) -> dict[str, Any]:
    return _shown_hook(inbound.out(row))


def _shown_hook(shown: dict[str, Any]) -> dict[str, Any]:
    return shown | {"created_at": iso(shown["created_at"])}


# -- targets (admins) -------------------------------------------------------------------------

@routes.get("/api/webhooks/targets", access=Access.ADMIN, response=list[TargetOut],
            summary="The webhook targets agents may call")
async def list_targets(request: web.Request) -> list[TargetOut]:
    return [_target(r) for r in await targets.all_targets(plugin_context(request).db)]


@routes.post("/api/webhooks/targets", access=Access.ADMIN, body=targets.TargetIn,
             response=TargetOut, status=201, errors=(409,), summary="Add a webhook target")
async def create_target(request: web.Request, body: targets.TargetIn) -> TargetOut:
    context = plugin_context(request)
    row = await targets.create(context.db, context.vault, context.http, body, utcnow())
    await audit_action(request, "webhook_target_created", f"webhook target {row.name} added",
                       plugin="webhooks", target=row.name, url=row.url, method=row.method,
                       header_names=sorted(body.headers or {}))
    return _target(row)


@routes.get("/api/webhooks/targets/{id}", access=Access.ADMIN, path_params=IdPath,
            response=TargetOut, summary="One webhook target")
async def get_target(request: web.Request, path: IdPath) -> TargetOut:
    return _target(await targets.get(plugin_context(request).db, path.id))


@routes.put("/api/webhooks/targets/{id}", access=Access.ADMIN, path_params=IdPath,
            body=targets.TargetUpdate, response=TargetOut, summary="Change a webhook target")
async def change_target(request: web.Request, path: IdPath,
                        body: targets.TargetUpdate) -> TargetOut:
    context = plugin_context(request)
    row = await targets.change(context.db, context.vault, context.http, path.id, body, utcnow())
    await audit_action(request, "webhook_target_changed", f"webhook target {row.name} changed",
                       plugin="webhooks", target=row.name,
                       fields=sorted(body.model_fields_set))
    return _target(row)


@routes.delete("/api/webhooks/targets/{id}", access=Access.ADMIN, path_params=IdPath,
               response=Ok, summary="Remove a webhook target")
async def delete_target(request: web.Request, path: IdPath) -> Ok:
    context = plugin_context(request)
    row = await targets.remove(context.db, context.vault, path.id)
    await audit_action(request, "webhook_target_removed", f"webhook target {row.name} removed",
                       plugin="webhooks", target=row.name)
    return Ok()


# -- inbound hooks (each user's own) -----------------------------------------------------------

@routes.get("/api/webhooks/inbound", access=Access.USER, response=list[HookOut],
            summary="Your inbound webhooks (their URLs and secrets are never shown again)")
async def list_hooks(request: web.Request) -> list[HookOut]:
    rows = await inbound.of_user(plugin_context(request).db, current_user(request).id)
    return [HookOut(**_hook(r)) for r in rows]


@routes.post("/api/webhooks/inbound", access=Access.USER, body=HookIn, response=HookCreated,
             status=201, errors=(403, 404),
             summary="A secret URL that runs one of your agents (needs a recent re-login)")
async def create_hook(request: web.Request, body: HookIn) -> HookCreated:
    context, user = plugin_context(request), current_user(request)
    await require_reauth(request)  # the URL and secret let outsiders start the agent
    await context.agent_run_request(_owner(user.id), body.agent_id)  # 404 if not yours
    shown, token, secret = await inbound.create(context.db, context.vault, user.id,
                                                body.agent_id, body.name, body.rate_limit,
                                                utcnow())
    await audit_action(request, "webhook_hook_created", f"inbound webhook {body.name} added",
                       kind="security", plugin="webhooks", hook_id=shown["id"],
                       agent_id=body.agent_id)
    return HookCreated(**_shown_hook(shown), url=f"/api/hooks/{token}", secret=secret)


@routes.delete("/api/webhooks/inbound/{id}", access=Access.OWNER, path_params=IdPath,
               response=Ok, summary="Remove one of your inbound webhooks")
async def delete_hook(request: web.Request, path: IdPath) -> Ok:
    context, user = plugin_context(request), current_user(request)
    row = await inbound.remove(context.db, context.vault, user.id, path.id)
    await audit_action(request, "webhook_hook_removed", f"inbound webhook {row.name} removed",
                       kind="security", plugin="webhooks", hook_id=row.id)
    return Ok()


# -- the hook URL ---------------------------------------------------------------------------

@routes.post("/api/hooks/{token}", access=Access.ANON, path_params=TokenPath,
             response=Accepted, status=202, errors=(401, 409, 413, 429),
             summary="Deliver a signed request to an inbound webhook (starts its agent)")
async def receive(request: web.Request, path: TokenPath) -> Accepted:
    context = plugin_context(request)
    config = context.plugin_settings(WebhookSettings)
    body = await _read_capped(request, config.max_inbound_bytes)
    db = context.db
    hook = await inbound.by_token(db, path.token)
    secret = await context.vault.get(inbound.secret_key(hook.id))
    if secret is None:
        raise NotFound("no such webhook")
    try:
        signature = inbound.verify(secret, request.headers, body, config.replay_window,
                                   time.time())
        await inbound.admit(db, hook, signature, hook.rate_limit or config.rate_limit,
                            config.replay_window, utcnow())
    except inbound.RateLimited as err:
        await _audit(context, hook, "webhook_refused", "rate limited", False)
        raise TooManyRequests(f"this webhook takes at most {hook.rate_limit or config.rate_limit}"
                              " requests a minute", retry_after=err.retry_after) from None
    except Exception as err:
        await _audit(context, hook, "webhook_refused", str(err), False)
        raise
    run = await context.agent_run_request(_owner(hook.user_id), hook.agent_id)
    run.kind, run.trigger, run.message = "trigger", "webhooks", ""
    run.untrusted_input = body.decode("utf-8", errors="replace").replace("\x00", "")
    run_id = await context.start_run(run)
    await _audit(context, hook, "webhook_received", f"inbound webhook {hook.name}: run {run_id}",
                 True, run_id=run_id, body_bytes=len(body))
    return Accepted(run_id=run_id)


def _owner(user_id: str) -> UserRef:
    return UserRef(user_id, "", "user")  # sees only that user's own agents


async def _read_capped(request: web.Request, cap: int) -> bytes:
    if request.content_length is not None and request.content_length > cap:
        raise PayloadTooLarge(f"the body is over {cap} bytes")
    body = await request.content.read(cap + 1)
    if len(body) > cap:
        raise PayloadTooLarge(f"the body is over {cap} bytes")
    return body


async def _audit(context: PluginContext, hook: Any, action: str, summary: str, success: bool,
                 **detail: Any) -> None:
    await context.audit.record(AuditEvent("security" if not success else "trigger", action,
                                          user_id=hook.user_id, summary=summary, success=success,
                                          detail={"hook_id": hook.id, **detail}))
