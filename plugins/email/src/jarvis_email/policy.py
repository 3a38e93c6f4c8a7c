"""The ``email.recipient`` policy: every recipient must be whitelisted, exactly."""

from __future__ import annotations

from jarvis import Decision, Policy, PolicyRequest, ToolContext, allow, deny

from . import whitelist
from .addresses import AddressError, normalize_address

RESOURCE = "email.recipient"


async def recipient_decision(db: object, value: object) -> Decision:
    """Allow a whitelisted recipient with sends left today; deny anything else, saying why.

    The daily count read here only refuses early; the send itself counts atomically.
    """
    if not isinstance(value, str):
        return deny("a recipient must be an address")
    try:
        email = normalize_address(value)
    except AddressError as err:
        return deny(f"recipient {value!r} refused: {err}")
    found = await whitelist.lookup(db, email)
    if found is None:
        return deny(f"recipient {email} is not on the email whitelist")
    limit, sent = found
    if limit and sent >= limit:
        return deny(f"recipient {email} reached its daily limit of {limit} "
                    f"mail{'s' * (limit != 1)}")
    return allow(f"{email} is whitelisted")


class RecipientPolicy(Policy):
    """Allows exactly the whitelisted addresses; no ``+tag``, display-name or look-alike
    variants, no line breaks."""

    resource = RESOURCE

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        return await recipient_decision(ctx.db, request.value)
