"""Logging in (password, then TOTP when on), logging out, and changing one's password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..errors import BadRequest, NotAuthenticated, NotFound
from ..timeutil import utcnow
from ..tools import UserRef
from ..web import Principal
from . import passwords
from .identity import Identity
from .mfa import take_timecode
from .sql import challenges, naive
from .tokens import new_token, token_hash
from .users import UserRecord, change_password, check_new_password, credentials_of, get_user, rehash

CHALLENGE_LIFETIME = timedelta(minutes=5)
WRONG_LOGIN = "invalid username or password"


def login_key(username: str) -> str:
    """The throttle counter of password logins to an account (by the name typed)."""
    return f"login:{username[:100]}"


def throttle_keys(user: UserRef) -> tuple[str, ...]:
    """Every throttle counter of one account: what a password reset or an unlock clears."""
    return (login_key(user.username), f"mfa:{user.id}", f"password:{user.id}",
            f"reauth:{user.id}")


class _CodeReused(Exception):
    pass


@dataclass(frozen=True, slots=True)
class LoginResult:
    """Either a session (``token`` for the cookie) or a ``challenge`` for the TOTP step."""

    user: UserRecord
    token: str | None = None
    session_id: str | None = None
    expires_at: datetime | None = None
    challenge: str | None = None


async def password_login(
    ident: Identity, username: str, password: str, address: str | None
) -> LoginResult:
    """Check a password. Unknown users and wrong passwords fail alike, in about the same time."""
    name = username.strip().lower()
    account = login_key(name)
    await ident.throttle.attempt(account, address, by_source=True)
    row = await credentials_of(ident.db, name) if name else None
    ok = await ident.passwords.verify(password, row.password_hash if row else None)
    if not ok or row is None or not row.is_active:
        await ident.record_failure(
            "login_failed", f"failed login as {name!r}", username=name, address=address
        )
        raise NotAuthenticated(WRONG_LOGIN)
    await ident.throttle.succeeded(account, address, by_source=True)
    if passwords.needs_rehash(row.password_hash):
        await rehash(ident.db, row.id, row.password_hash, await ident.passwords.hash(password))
    user = UserRecord(row.id, row.username, row.role, True, bool(row.mfa_enabled))
    if user.mfa_enabled:
        return LoginResult(user, challenge=await _new_challenge(ident, user.id))
    return await _start_session(ident, user, address)


async def _new_challenge(ident: Identity, user_id: str) -> str:
    token = new_token()
    now = utcnow()
    async with ident.db.write() as conn:
        await conn.execute(delete(challenges).where(challenges.c.expires_at < now))
        await conn.execute(
            challenges.insert().values(
                token_hash=token_hash(token), user_id=user_id, expires_at=now + CHALLENGE_LIFETIME
            )
        )
    return token


async def _start_session(ident: Identity, user: UserRecord, address: str | None) -> LoginResult:
    session_id, token, expires = await ident.sessions.create(user.id)
    await ident.record(
        "login",
        user=user.ref,
        session_id=session_id,
        success=True,
        summary=f"{user.username} logged in",
        detail={"address": address},
    )
    return LoginResult(user, token=token, session_id=session_id, expires_at=expires)


async def mfa_login(ident: Identity, challenge: str, code: str, address: str | None) -> LoginResult:
    """Finish a login with a TOTP code: the challenge is used up and so is the code."""
    hashed = token_hash(challenge)
    async with ident.db.read() as conn:
        row = (
            await conn.execute(
                select(challenges.c.user_id, challenges.c.expires_at).where(
                    challenges.c.token_hash == hashed
                )
            )
        ).first()
    if row is None or naive(row.expires_at) <= utcnow():
        raise NotAuthenticated("MFA challenge expired or unknown; log in again")
    account = f"mfa:{row.user_id}"
    await ident.throttle.attempt(account, address)
    try:
        user = await get_user(ident.db, row.user_id)
    except NotFound:  # deleted since the password step
        raise NotAuthenticated("MFA challenge expired or unknown; log in again") from None
    timecode = await ident.mfa.timecode(user.id, code)
    if timecode is None:
        await ident.record_failure(
            "mfa_failed", f"wrong MFA code for {user.username}", user=user.ref, address=address
        )
        raise NotAuthenticated("invalid code")
    try:
        async with ident.db.write() as conn:
            # Use up the challenge and the code together: both, or (rolled back) neither.
            gone = await conn.execute(
                delete(challenges).where(
                    challenges.c.token_hash == hashed, challenges.c.expires_at > utcnow()
                )
            )
            if gone.rowcount != 1:
                raise NotAuthenticated("MFA challenge expired or unknown; log in again")
            if not await take_timecode(conn, user.id, timecode, enabled=True):
                raise _CodeReused
    except _CodeReused:
        await ident.record_failure(
            "mfa_reuse", f"an MFA code of {user.username} was used again",
            user=user.ref, address=address,
        )
        raise NotAuthenticated(
            "invalid code", "this code was used already; wait for the next one"
        ) from None
    if not user.is_active:
        raise NotAuthenticated("invalid code")
    await ident.throttle.succeeded(account, address)
    return await _start_session(ident, user, address)


async def logout(ident: Identity, principal: Principal) -> None:
    """End the session behind the cookie at once (an API key has none to end)."""
    if principal.session_id is None:
        return
    await ident.sessions.end_by_id(principal.session_id)
    ident.forget_user(principal.user.id)
    await ident.record(
        "logout",
        user=principal.user,
        session_id=principal.session_id,
        success=True,
        summary=f"{principal.user.username} logged out",
    )


async def change_own_password(
    ident: Identity, principal: Principal, current: str, new: str, address: str | None,
    *, keep_api_keys: bool = False,
) -> None:
    """Set a new password after checking the current one; every other session ends, and the
    user's API keys are deleted unless ``keep_api_keys``. Lockouts of the account end too."""
    await check_new_password(new, "new_password", principal.user.username)
    account = f"password:{principal.user.id}"
    await ident.throttle.attempt(account, address)
    row = await credentials_of(ident.db, principal.user.username)
    if not await ident.passwords.verify(current, row.password_hash if row else None):
        await ident.record_failure(
            "password_change_failed", "wrong current password",
            user=principal.user, address=address,
        )
        raise BadRequest("current_password: wrong password")
    await ident.throttle.succeeded(account, address)
    hashed = await ident.passwords.hash(new)
    await change_password(
        ident.db, principal.user.id, hashed, principal.session_id, revoke_keys=not keep_api_keys
    )
    ident.forget_user(principal.user.id)
    await ident.throttle.clear(*throttle_keys(principal.user))
    await ident.record_own_change(
        principal, "password_changed", f"{principal.user.username} changed their password",
        api_keys="kept" if keep_api_keys else "deleted",
    )
