"""Trigger-rule routes: each user's own rules, naming only their own accounts and agents."""

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

from . import rules
from .accounts import get_account
from .schemas import RuleIn, RuleOut, RuleUpdate

routes = Routes("email")


async def _check(request: web.Request, account_id: str | None, agent_id: str | None) -> None:
    """The account must be a trigger account and the agent an agent of the caller (another
    user's answer like missing ones)."""
    user = current_user(request)
    if account_id is not None:
        try:
            account = await get_account(plugin_context(request).db, user.id, account_id)
        except NotFound:
            raise BadRequest(f"account_id: you have no email account {account_id!r}") from None
        if account.account_type != "trigger":
            raise BadRequest(f"account_id: {account.label!r} is a handling account; rules "
                             "route the mail of trigger accounts")
    if agent_id is not None and await plugin_context(request).load_agent(agent_id, user.id) is None:
        raise BadRequest(f"agent_id: you have no agent {agent_id!r}")


@routes.get("/api/email-rules", access=Access.OWNER, response=list[RuleOut],
            summary="Your email trigger rules")
async def list_rules(request: web.Request) -> list[RuleOut]:
    found = await rules.list_rules(plugin_context(request).db, current_user(request).id)
    return [RuleOut(**r.out()) for r in found]


@routes.post("/api/email-rules", access=Access.OWNER, body=RuleIn, response=RuleOut, status=201,
             summary="Add a rule: mail to a trigger account with these words runs this agent")
async def create_rule(request: web.Request, body: RuleIn) -> RuleOut:
    await _check(request, body.account_id, body.agent_id)
    rule = await rules.create_rule(plugin_context(request).db, current_user(request).id,
                                   body.model_dump())
    await audit_action(request, "email_rule_created", f"email rule {rule.trigger_phrase!r} "
                       f"added", **rule.out())
    return RuleOut(**rule.out())


@routes.get("/api/email-rules/{id}", access=Access.OWNER, response=RuleOut,
            summary="One of your email trigger rules")
async def get_rule(request: web.Request) -> RuleOut:
    rule = await rules.get_rule(plugin_context(request).db, current_user(request).id,
                                request.match_info["id"])
    return RuleOut(**rule.out())


@routes.put("/api/email-rules/{id}", access=Access.OWNER, body=RuleUpdate, response=RuleOut,
            summary="Change an email trigger rule (only the fields given)")
async def update_rule(request: web.Request, body: RuleUpdate) -> RuleOut:
    db, user_id = plugin_context(request).db, current_user(request).id
    rule_id = request.match_info["id"]
    await rules.get_rule(db, user_id, rule_id)  # others' rules answer 404 before anything else
    changes = body.model_dump(exclude_none=True)
    await _check(request, changes.get("account_id"), changes.get("agent_id"))
    rule = await rules.update_rule(db, user_id, rule_id, changes)
    await audit_action(request, "email_rule_changed", f"email rule {rule.trigger_phrase!r} "
                       "changed", **rule.out())
    return RuleOut(**rule.out())


@routes.delete("/api/email-rules/{id}", access=Access.OWNER, response=Ok,
               summary="Delete an email trigger rule")
async def delete_rule(request: web.Request) -> Ok:
    db, user_id = plugin_context(request).db, current_user(request).id
    rule_id = request.match_info["id"]
    await rules.delete_rule(db, user_id, rule_id)
    await audit_action(request, "email_rule_deleted", "email rule deleted",
                       id=rule_id)
    return Ok()
