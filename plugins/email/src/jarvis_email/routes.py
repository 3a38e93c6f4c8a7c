"""The email routes: the recipient whitelist [admin] and each user's own accounts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

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

from . import accounts, whitelist
from .addresses import AddressError, normalize_address
from .schemas import AccountCreate, AccountOut, AccountUpdate, WhitelistAdd, WhitelistEntryOut
from .status import account_status, accounts_changed

routes = Routes("email")


@routes.get("/api/email-whitelist", access=Access.ADMIN, response=list[WhitelistEntryOut],
            summary="Addresses the agent may send mail to")
async def list_whitelist(request: web.Request) -> list[WhitelistEntryOut]:
    found = await whitelist.ENTRIES.rows(plugin_context(request).db)
    return [WhitelistEntryOut(**e) for e in found]


@routes.post("/api/email-whitelist", access=Access.ADMIN, body=WhitelistAdd, response=Ok,
             status=201, summary="Whitelist an address, with an optional daily limit (0: none)")
async def add_whitelist(request: web.Request, body: WhitelistAdd) -> Ok:
    await whitelist.ENTRIES.add(plugin_context(request).db, body.email,
                                daily_limit=body.daily_limit)
    await audit_action(request, "email_whitelist_added",
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
    await whitelist.remove_entry(plugin_context(request).db, email)
    await audit_action(request, "email_whitelist_removed",
                 f"{email} removed from the email whitelist", email=email)
    return Ok()


def _agent_check(request: web.Request) -> Callable[[str], Awaitable[None]]:
    """Checks that an agent_id names one of the caller's own agents (400 otherwise)."""
    user = current_user(request)

    async def check(agent_id: str) -> None:
        if await plugin_context(request).load_agent(agent_id, user.id) is None:
            raise BadRequest(f"agent_id: you have no agent {agent_id!r}")

    return check


async def _shown(db: object, vault: object, user_id: str, account_id: str,
                 status_of: object) -> AccountOut:
    return AccountOut(**await accounts.shown(db, vault, user_id, account_id, status_of))


@routes.get("/api/email-accounts", access=Access.OWNER, response=list[AccountOut],
            summary="Your email accounts (passwords are never shown)")
async def list_accounts(request: web.Request) -> list[AccountOut]:
    plugin = plugin_context(request)
    found = await accounts.listed(plugin.db, plugin.vault, current_user(request).id,
                                  lambda aid: account_status(plugin, aid))
    return [AccountOut(**a) for a in found]


@routes.post("/api/email-accounts", access=Access.OWNER, body=AccountCreate, response=AccountOut,
             status=201, summary="Add an email account (trigger or handling)")
async def create_account(request: web.Request, body: AccountCreate) -> AccountOut:
    plugin, user = plugin_context(request), current_user(request)
    account_id = await accounts.create_account(
        plugin.db, plugin.vault, user.id, body, _agent_check(request))
    accounts_changed(plugin)
    return await _shown(plugin.db, plugin.vault, user.id, account_id,
                        lambda aid: account_status(plugin, aid))


@routes.get("/api/email-accounts/{id}", access=Access.OWNER, response=AccountOut,
            summary="One of your email accounts")
async def get_account(request: web.Request) -> AccountOut:
    plugin = plugin_context(request)
    return await _shown(plugin.db, plugin.vault, current_user(request).id,
                        request.match_info["id"], lambda aid: account_status(plugin, aid))


@routes.put("/api/email-accounts/{id}", access=Access.OWNER, body=AccountUpdate,
            response=AccountOut, summary="Change an email account (only the fields given)")
async def update_account(request: web.Request, body: AccountUpdate) -> AccountOut:
    plugin, user = plugin_context(request), current_user(request)
    account_id = request.match_info["id"]
    await accounts.update_account(plugin.db, plugin.vault, user.id, account_id, body,
                                  _agent_check(request))
    accounts_changed(plugin)
    return await _shown(plugin.db, plugin.vault, user.id, account_id,
                        lambda aid: account_status(plugin, aid))


@routes.delete("/api/email-accounts/{id}", access=Access.OWNER, response=Ok,
               summary="Remove an email account and its stored passwords")
async def delete_account(request: web.Request) -> Ok:
    plugin = plugin_context(request)
    await accounts.delete_account(plugin.db, plugin.vault, current_user(request).id,
                                  request.match_info["id"])
    accounts_changed(plugin)
    return Ok()
