"""What admins and users change about accounts: users, API keys, MFA. Each change drops the
cached credentials it affects and is audited."""

from __future__ import annotations

from typing import Any

from ..errors import BadRequest, Conflict
from ..tools import UserRef
from ..web import Principal
from . import users
from .apikeys import MAX_KEYS_PER_USER
from .identity import Identity
from .login import throttle_keys

# Who changes accounts from the server's command line (``jarvis user ...``): whoever can run
# commands there is an admin. Its name is no valid user name, so it never passes for a user.
CONSOLE = UserRef("", "(command line)", "admin")


async def create_user(
    ident: Identity, actor: UserRef, username: str, password: str, role: str
) -> UserRef:
    user = await users.create_user(ident.db, username, password, role, ident.passwords)
    await ident.record_admin_change(
        actor, "user_created", f"{actor.username} created {user.role} {user.username}",
        target_id=user.id, target=user.username, role=user.role,
    )
    return user


async def update_user(
    ident: Identity,
    actor: UserRef,
    user_id: str,
    *,
    role: str | None = None,
    is_active: bool | None = None,
    password: str | None = None,
) -> None:
    """Partial update by an admin; a new password or disabling ends the user's sessions."""
    if password is not None:
        target = await users.get_user(ident.db, user_id)  # 404 for no such user
        await users.check_new_password(password, username=target.username)
    hashed = await ident.passwords.hash(password) if password is not None else None
    before, after = await users.update_user(
        ident.db, user_id, role=role, is_active=is_active, password_hash=hashed
    )
    ident.forget_user(user_id)
    if hashed is not None:  # a reset lifts any lockout of the account
        await ident.throttle.clear(*throttle_keys(after.ref))
    changed: dict[str, Any] = {}
    if before.role != after.role:
        changed["role"] = [before.role, after.role]
    if before.is_active != after.is_active:
        changed["is_active"] = [before.is_active, after.is_active]
    if hashed is not None:
        changed["password"] = "reset"  # noqa: S105 (what happened, not a password)
    await ident.record_admin_change(
        actor, "user_updated",
        f"{actor.username} changed {after.username}: {', '.join(changed) or 'nothing'}",
        target_id=user_id, target=after.username, changes=changed,
    )


async def unlock_user(ident: Identity, actor: UserRef, user_id: str) -> None:
    """Lift every lockout of the account (wrong passwords or codes from any source)."""
    target = await users.get_user(ident.db, user_id)
    cleared = await ident.throttle.clear(*throttle_keys(target.ref))
    await ident.record_admin_change(
        actor, "user_unlocked", f"{actor.username} unlocked {target.username}",
        target_id=user_id, target=target.username, counters=cleared,
    )


async def delete_user(ident: Identity, actor: UserRef, user_id: str) -> None:
    gone = await users.delete_user(ident.db, user_id)
    ident.forget_user(user_id)
    await ident.mfa.forget_secret(user_id)
    await ident.forget_user_secrets(user_id)
    await ident.record_admin_change(
        actor, "user_deleted", f"{actor.username} deleted {gone.username}",
        target_id=user_id, target=gone.username,
    )


async def admin_mfa_setup(ident: Identity, actor: UserRef, user_id: str) -> dict[str, str]:
    """A new TOTP secret for the user, on at once: the admin hands the QR code over."""
    target = await users.get_user(ident.db, user_id)
    enrolment = await ident.mfa.setup(target.ref, enable=True)
    ident.forget_user(user_id)
    await ident.record_admin_change(
        actor, "mfa_enabled", f"{actor.username} set up MFA for {target.username}",
        target_id=user_id, target=target.username,
    )
    return enrolment


async def admin_mfa_disable(ident: Identity, actor: UserRef, user_id: str) -> None:
    target = await users.get_user(ident.db, user_id)
    await ident.mfa.disable(user_id)
    await ident.record_admin_change(
        actor, "mfa_disabled", f"{actor.username} turned MFA off for {target.username}",
        target_id=user_id, target=target.username,
    )


async def my_mfa_setup(ident: Identity, principal: Principal) -> dict[str, str]:
    """A new secret, off until :func:`my_mfa_confirm` gets a code for it."""
    return await ident.mfa.setup(principal.user, enable=False)


async def my_mfa_confirm(ident: Identity, principal: Principal, code: str) -> None:
    outcome = await ident.mfa.confirm(principal.user, code)
    if outcome != "ok":
        raise BadRequest("code: wrong or already used code")
    await ident.record_own_change(
        principal, "mfa_enabled", f"{principal.user.username} turned MFA on"
    )


async def my_mfa_disable(ident: Identity, principal: Principal, code: str) -> None:
    """Turn one's MFA off; needs a current code, so a stolen session alone cannot."""
    if not await ident.mfa.is_enabled(principal.user.id):
        raise Conflict("MFA is not on")
    outcome = await ident.mfa.check(principal.user.id, code)
    if outcome == "reused":
        await ident.record_failure(
            "mfa_reuse", "an MFA code was used again",
            user=principal.user, session_id=principal.session_id,
        )
    if outcome != "ok":
        raise BadRequest("code: wrong or already used code")
    await ident.mfa.disable(principal.user.id)
    await ident.record_own_change(
        principal, "mfa_disabled", f"{principal.user.username} turned MFA off"
    )


async def create_api_key(
    ident: Identity, owner: UserRef, name: str, *, session_id: str | None = None,
    actor: UserRef | None = None,
) -> dict[str, str]:
    """A new key for ``owner``; the key is in this answer only. ``actor``: an admin making it
    for them (the command line); else the owner made it, in ``session_id``."""
    if await ident.keys.count(owner.id) >= MAX_KEYS_PER_USER:
        raise Conflict(f"at most {MAX_KEYS_PER_USER} API keys per user; delete one first")
    key_id, key, prefix = await ident.keys.create(owner.id, name)
    await _record_key_change(
        ident, owner, actor, session_id, "api_key_created", f"created API key {prefix}",
        key_id=key_id, name=name, prefix=prefix,
    )
    return {"id": key_id, "key": key, "prefix": prefix}


async def delete_api_key(
    ident: Identity, owner: UserRef, key_id: str, *, session_id: str | None = None,
    actor: UserRef | None = None,
) -> None:
    """Delete one of ``owner``'s keys (404 for anyone else's); it stops working at once."""
    hashed = await ident.keys.delete(owner.id, key_id)
    ident.authenticator.forget(hashed)
    await _record_key_change(
        ident, owner, actor, session_id, "api_key_deleted", "deleted an API key", key_id=key_id,
    )


async def _record_key_change(
    ident: Identity, owner: UserRef, actor: UserRef | None, session_id: str | None,
    action: str, what: str, **detail: Any,
) -> None:
    if actor is None:
        await ident.record(action, kind="admin", user=owner, session_id=session_id,
                           success=True, summary=f"{owner.username} {what}", detail=detail)
    else:
        await ident.record_admin_change(
            actor, action, f"{actor.username} {what} of {owner.username}",
            target_id=owner.id, target=owner.username, **detail,
        )
