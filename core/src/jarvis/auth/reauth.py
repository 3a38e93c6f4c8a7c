"""Re-authentication ("sudo mode"): protected actions in a browser session need the password
(and a TOTP code, when MFA is on) confirmed within the last few minutes.

Protected: revealing a credential, creating an API key, and changing MFA (one's own or, as an
admin, another user's). A stolen session cookie alone can then do none of them. API keys are
secrets of their own and pass, except that creating another key with one needs the password.
"""

from __future__ import annotations

from datetime import datetime

from ..errors import BadRequest, Forbidden, NotAuthenticated
from ..web import Principal
from .identity import Identity
from .users import credentials_of

REAUTH_REQUIRED = "reauthentication required"


def reauth_required() -> Forbidden:
    """The 403 a protected action answers without a fresh re-authentication."""
    return Forbidden(REAUTH_REQUIRED, {"reauth": True})


def _account(principal: Principal) -> str:
    return f"reauth:{principal.user.id}"


async def _check_password(
    ident: Identity, principal: Principal, password: str, address: str | None
) -> bool:
    """Whether ``password`` is the caller's (counted by the throttle; 401 when wrong)."""
    account = _account(principal)
    await ident.throttle.attempt(account, address, by_source=True)
    row = await credentials_of(ident.db, principal.user.username)
    ok = await ident.passwords.verify(password, row.password_hash if row else None)
    if not ok or row is None:
        await ident.record_failure(
            "reauth_failed", f"wrong password in re-authentication of {principal.user.username}",
            user=principal.user, session_id=principal.session_id, address=address,
        )
        raise NotAuthenticated("invalid password")
    return bool(row.mfa_enabled)


async def reauthenticate(
    ident: Identity, principal: Principal, password: str, code: str | None, address: str | None
) -> datetime:
    """Confirm the password (and code) again; the session may take protected actions until the
    time returned."""
    if principal.session_id is None:
        raise Forbidden("re-authentication is for browser sessions; an API key needs none")
    mfa_on = await _check_password(ident, principal, password, address)
    if mfa_on:
        if not code:
            raise BadRequest("code: required, MFA is on for this account")
        if await ident.mfa.check(principal.user.id, code) != "ok":
            await ident.record_failure(
                "mfa_failed", f"wrong MFA code in re-authentication of {principal.user.username}",
                user=principal.user, session_id=principal.session_id, address=address,
            )
            raise NotAuthenticated("invalid code")
    await ident.throttle.succeeded(_account(principal), address, by_source=True)
    until = await ident.sessions.mark_reauthenticated(principal.session_id)
    await ident.record(
        "reauthenticated", user=principal.user, session_id=principal.session_id, success=True,
        summary=f"{principal.user.username} confirmed their password", detail={"address": address},
    )
    return until


async def require_recent(ident: Identity, principal: Principal) -> None:
    """Let a protected action through: an API key, or a session re-authenticated lately."""
    if principal.method == "api_key":
        return
    if principal.session_id and await ident.sessions.reauthenticated(principal.session_id):
        return
    raise reauth_required()


async def require_password_or_recent(
    ident: Identity, principal: Principal, password: str | None, address: str | None
) -> None:
    """For creating an API key: with an API key, the password in the request (a key alone
    cannot mint another); in a session, a recent re-authentication (with the code, when MFA is
    on)."""
    if principal.method != "api_key":
        await require_recent(ident, principal)
        return
    if password is None:
        raise reauth_required()
    await _check_password(ident, principal, password, address)
    await ident.throttle.succeeded(_account(principal), address, by_source=True)
