"""What the email tools take from a run: the bound account, passwords, the outbound policy."""

from __future__ import annotations

from jarvis import OutboundPolicy, ToolContext

from .accounts import Account, resolve_account, secret_name
from .network import outbound_policy

# Trigger runs carry this entry in allowed_tools: it grants nothing (no tool or group has the
# name) and tells the email tools which single account the run may use.
BINDING_PREFIX = "email.account:"


def binding_entry(account_id: str) -> str:
    return BINDING_PREFIX + account_id


def bound_account(ctx: ToolContext) -> str | None:
    """The account id a trigger run is bound to, or None for an unbound run."""
    for entry in ctx.run.allowed_tools or ():
        if entry.startswith(BINDING_PREFIX):
            return entry.removeprefix(BINDING_PREFIX)
    return None


async def account_for(ctx: ToolContext, ref: str | None) -> Account:
    """The account a call means (BadRequest with the choices when it is unclear)."""
    return await resolve_account(ctx.db, ctx.user.id, ref, bound_account(ctx), ctx.run.agent_id)


async def password(ctx: ToolContext, account: Account, kind: str) -> str | None:
    """The account's IMAP or SMTP password (SMTP falls back to the IMAP one)."""
    value = await ctx.credentials.get_user(secret_name(account.id, kind))
    if value is None and kind == "smtp":
        value = await ctx.credentials.get_user(secret_name(account.id, "imap"))
    return value


def policy(ctx: ToolContext) -> OutboundPolicy:
    return outbound_policy(ctx.context, ctx.http)
