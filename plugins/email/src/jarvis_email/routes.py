"""The email routes: the recipient whitelist [admin] and each user's own accounts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from jarvis import (
    AUDIT,
    DATABASE,
    VAULT,
    Access,
    AuditEvent,
    BadRequest,
    NotFound,
    Routes,
    current_user,
    load_agent,
    principal,
)

from . import accounts, whitelist
from .addresses import AddressError, normalize_address
from .schemas import AccountCreate, AccountOut, AccountUpdate, Ok, WhitelistAdd, WhitelistEntryOut
from .status import account_status, accounts_changed

routes = Routes("email")


async def _audit(request: web.Request, action: str, summary: str, **detail: object) -> None:
    who = principal(request)
    audit = request.app.get(AUDIT)
    if audit is not None:
        await audit.record(AuditEvent(
            "admin", action, user_id=who.user.id, username=who.user.username,
            session_id=who.session_id, summary=summary, detail=dict(detail)))


@routes.get("/api/email-whitelist", access=Access.ADMIN, response=list[WhitelistEntryOut],
            summary="Addresses the agent may send mail to")
async def list_whitelist(request: web.Request) -> list[WhitelistEntryOut]:
    return [WhitelistEntryOut(**e) for e in await whitelist.list_entries(request.app[DATABASE])]


@routes.post("/api/email-whitelist", access=Access.ADMIN, body=WhitelistAdd, response=Ok,
             status=201, summary="Whitelist an address, with an optional daily limit (0: none)")
async def add_whitelist(request: web.Request, body: WhitelistAdd) -> Ok:
    await whitelist.add_entry(request.app[DATABASE], body.email, body.daily_limit)
    await _audit(request, "email_whitelist_added",
                 f"{body.email} added to the email whitelist (daily limit {body.daily_limit})",
                 email=body.email, daily_limit=body.daily_limit)
    return Ok()


@routes.delete("/api/email-whitelist/{email}", access=Access.ADMIN, response=Ok,
               summary="Take an address off the whitelist")
async def remove_whitelist(request: web.Request) -> Ok:
    raw = request.match_info["email"]
    try:
        email = normalize_address(raw)
    except AddressError:
        raise NotFound(f"{raw.strip()} is not on the email whitelist") from None
    await whitelist.remove_entry(request.app[DATABASE], email)
    await _audit(request, "email_whitelist_removed",
                 f"{email} removed from the email whitelist", email=email)
    return Ok()


def _agent_check(request: web.Request) -> Callable[[str], Awaitable[None]]:
    """Checks that an agent_id names one of the caller's own agents (400 otherwise)."""
    user = current_user(request)

    async def check(agent_id: str) -> None:
        if await load_agent(request.app, agent_id, user.id) is None:
            raise BadRequest(f"agent_id: you have no agent {agent_id!r}")

    return check


async def _shown(db: Any, vault: Any, user_id: str, account_id: str,
                 status_of: Callable[[str], str | None]) -> AccountOut:
    return AccountOut(**await accounts.shown(db, vault, user_id, account_id, status_of))


@routes.get("/api/email-accounts", access=Access.OWNER, response=list[AccountOut],
            summary="Your email accounts (passwords are never shown)")
async def list_accounts(request: web.Request) -> list[AccountOut]:
    app = request.app
    found = await accounts.listed(app[DATABASE], app[VAULT], current_user(request).id,
                                  lambda aid: account_status(app, aid))
    return [AccountOut(**a) for a in found]


@routes.post("/api/email-accounts", access=Access.OWNER, body=AccountCreate, response=AccountOut,
             status=201, summary="Add an email account (trigger or handling)")
async def create_account(request: web.Request, body: AccountCreate) -> AccountOut:
    app, user = request.app, current_user(request)
    account_id = await accounts.create_account(
        app[DATABASE], app[VAULT], user.id, body, _agent_check(request))
    accounts_changed(app)
    return await _shown(app[DATABASE], app[VAULT], user.id, account_id,
                                lambda aid: account_status(app, aid))


@routes.get("/api/email-accounts/{id}", access=Access.OWNER, response=AccountOut,
            summary="One of your email accounts")
async def get_account(request: web.Request) -> AccountOut:
    app = request.app
    return await _shown(app[DATABASE], app[VAULT], current_user(request).id,
                                request.match_info["id"], lambda aid: account_status(app, aid))


@routes.put("/api/email-accounts/{id}", access=Access.OWNER, body=AccountUpdate,
            response=AccountOut, summary="Change an email account (only the fields given)")
async def update_account(request: web.Request, body: AccountUpdate) -> AccountOut:
    app, user, account_id = request.app, current_user(request), request.match_info["id"]
    await accounts.update_account(app[DATABASE], app[VAULT], user.id, account_id, body,
                                  _agent_check(request))
    accounts_changed(app)
    return await _shown(app[DATABASE], app[VAULT], user.id, account_id,
                                lambda aid: account_status(app, aid))


@routes.delete("/api/email-accounts/{id}", access=Access.OWNER, response=Ok,
               summary="Remove an email account and its stored passwords")
async def delete_account(request: web.Request) -> Ok:
    app = request.app
    await accounts.delete_account(app[DATABASE], app[VAULT], current_user(request).id,
                                  request.match_info["id"])
    accounts_changed(app)
    return Ok()
