"""The email routes: the recipient whitelist [admin] and each user's own accounts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from jarvis import (
    Access,
    BadRequest,
    NotFound,
    Ok,
    PluginContext,
    Routes,
    current_user,
    entry_routes,
    plugin_context,
)

from . import accounts, whitelist
from .addresses import AddressError, normalize_address
from .schemas import AccountCreate, AccountOut, AccountUpdate, WhitelistAdd, WhitelistEntryOut
from .status import account_status, accounts_changed

routes = Routes("email")


async def _to_add(context: PluginContext, email: str) -> str:
    return email  # the body's Address type has normalised it


async def _remove(context: PluginContext, raw: str, user_id: str | None) -> str:
    try:
        email = normalize_address(raw)
    except AddressError:
        raise NotFound(whitelist.ENTRIES.absent.format(raw.strip())) from None
    await whitelist.remove_entry(context.db, email)
    return email


entry_routes(
    routes, "/api/email-whitelist", whitelist.ENTRIES, access=Access.ADMIN, body=WhitelistAdd,
    response=WhitelistEntryOut, to_add=_to_add, remove=_remove, audited=("daily_limit",),
    added=("email_whitelist_added",
           "{key} added to the email whitelist (daily limit {daily_limit})"),
    removed=("email_whitelist_removed", "{key} removed from the email whitelist"),
    summaries=("Addresses the agent may send mail to",
               "Whitelist an address, with an optional daily limit (0: none)",
               "Take an address off the whitelist"))


def _agent_check(request: web.Request) -> Callable[[str], Awaitable[None]]:
    """Checks that an agent_id names one of the caller's own agents (400 otherwise)."""
    user = current_user(request)

    async def check(agent_id: str) -> None:
        if await plugin_context(request).load_agent(agent_id, user.id) is None:
            raise BadRequest(f"agent_id: you have no agent {agent_id!r}")

    return check


async def _shown(plugin: PluginContext, user_id: str, account_id: str, *,
                 changed: bool = False) -> AccountOut:
    """One of the user's accounts as the API shows it; after a change (``changed``) the
    listener rereads the accounts first."""
    if changed:
        accounts_changed(plugin)
    return AccountOut(**await accounts.shown(plugin.db, plugin.vault, user_id, account_id,
                                             lambda aid: account_status(plugin, aid)))


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
    return await _shown(plugin, user.id, account_id, changed=True)


@routes.get("/api/email-accounts/{id}", access=Access.OWNER, response=AccountOut,
            summary="One of your email accounts")
async def get_account(request: web.Request) -> AccountOut:
    return await _shown(plugin_context(request), current_user(request).id,
                        request.match_info["id"])


@routes.put("/api/email-accounts/{id}", access=Access.OWNER, body=AccountUpdate,
            response=AccountOut, summary="Change an email account (only the fields given)")
async def update_account(request: web.Request, body: AccountUpdate) -> AccountOut:
    plugin, user = plugin_context(request), current_user(request)
    account_id = request.match_info["id"]
    await accounts.update_account(plugin.db, plugin.vault, user.id, account_id, body,
                                  _agent_check(request))
    return await _shown(plugin, user.id, account_id, changed=True)


@routes.delete("/api/email-accounts/{id}", access=Access.OWNER, response=Ok,
               summary="Remove an email account and its stored passwords")
async def delete_account(request: web.Request) -> Ok:
    plugin = plugin_context(request)
    await accounts.delete_account(plugin.db, plugin.vault, current_user(request).id,
                                  request.match_info["id"])
    accounts_changed(plugin)
    return Ok()
