"""Users: create, list, change and delete them, keeping at least one active admin."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database, new_id
from ..errors import BadRequest, Conflict, NotFound
from ..timeutil import utcnow
from ..tools import UserRef
from . import passwords
from .sql import api_keys, challenges, lock, sessions, users

Role = Literal["admin", "user"]
ROLES: tuple[Role, ...] = ("admin", "user")
# Lower case, starts with a letter or digit: it names the user's folder on disk too.
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user as the API shows it (never the password hash)."""

    id: str
    username: str
    role: Role
    is_active: bool
    mfa_enabled: bool

    @property
    def ref(self) -> UserRef:
        return UserRef(self.id, self.username, self.role)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "role": self.role,
            "is_active": self.is_active,
            "mfa_enabled": self.mfa_enabled,
        }


PUBLIC = (users.c.id, users.c.username, users.c.role, users.c.is_active, users.c.mfa_enabled)


def _record(row: Any) -> UserRecord:
    return UserRecord(row.id, row.username, row.role, bool(row.is_active), bool(row.mfa_enabled))


def normalize_username(username: str, field: str = "username") -> str:
    """The stored form of a user name, or a 400 naming ``field``."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise BadRequest(
            f"{field}: 1-64 characters, letters, digits, '.', '_' or '-', starting with a letter"
            " or digit"
        )
    return name


async def check_new_password(
    password: str, field: str = "password", username: str | None = None
) -> None:
    """A 400 naming ``field`` and the problem when a new password is weak (too short or long,
    a common password, or containing the user name)."""
    problem = await passwords.weakness_of(password, username)
    if problem is not None:
        raise BadRequest(f"{field}: {problem}")


def _check_role(role: str) -> Role:
    for known in ROLES:
        if role == known:
            return known
    raise BadRequest("role: must be 'admin' or 'user'")


async def insert_user(
    db: Database, username: str, password_hash: str, role: str = "user"
) -> UserRef:
    """Add a user whose password is already hashed (409 when the name is taken)."""
    name = normalize_username(username)
    role = _check_role(role)
    user_id = new_id()
    now = utcnow()
    try:
        async with db.write() as conn:
            await conn.execute(
                users.insert().values(
                    id=user_id,
                    username=name,
                    password_hash=password_hash,
                    role=role,
                    is_active=True,
                    mfa_enabled=False,
                    totp_last_timecode=0,
                    created_at=now,
                    updated_at=now,
                )
            )
    except IntegrityError:
        raise Conflict(f"username {name!r} is taken") from None
    return UserRef(user_id, name, role)


async def create_user(
    db: Database,
    username: str,
    password: str,
    role: str = "user",
    hasher: passwords.PasswordHasher | None = None,
) -> UserRef:
    """Add a user (what the admin API, first-run setup and ``jarvis user create`` call)."""
    normalize_username(username)
    _check_role(role)
    await check_new_password(password, username=username)
    hashed = await (hasher or passwords.PasswordHasher()).hash(password)
    return await insert_user(db, username, hashed, role)


async def count_users(db: Database) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(users))).scalar_one())


async def list_users(db: Database) -> list[UserRecord]:
    async with db.read() as conn:
        rows = (await conn.execute(select(*PUBLIC).order_by(users.c.username))).all()
    return [_record(r) for r in rows]


async def get_user(db: Database, user_id: str) -> UserRecord:
    """One user, or 404."""
    async with db.read() as conn:
        row = (await conn.execute(select(*PUBLIC).where(users.c.id == user_id))).first()
    if row is None:
        raise NotFound("no such user")
    return _record(row)


async def credentials_of(db: Database, username: str) -> Any | None:
    """id, username, role, is_active, mfa_enabled and password_hash of a user name, or None."""
    async with db.read() as conn:
        return (
            await conn.execute(
                select(*PUBLIC, users.c.password_hash).where(users.c.username == username)
            )
        ).first()


async def _locked_user(conn: AsyncConnection, user_id: str) -> UserRecord:
    await lock(conn, "users")  # every change that may remove an admin queues here
    row = (await conn.execute(select(*PUBLIC).where(users.c.id == user_id))).first()
    if row is None:
        raise NotFound("no such user")
    return _record(row)


async def _keep_an_admin(conn: AsyncConnection, user: UserRecord, action: str) -> None:
    if user.role != "admin" or not user.is_active:
        return
    active_admins = (
        await conn.execute(
            select(func.count())
            .select_from(users)
            .where(users.c.role == "admin", users.c.is_active)
        )
    ).scalar_one()
    if active_admins <= 1:
        raise Conflict(f"the last active admin cannot be {action}")


async def update_user(
    db: Database,
    user_id: str,
    *,
    role: str | None = None,
    is_active: bool | None = None,
    password_hash: str | None = None,
) -> tuple[UserRecord, UserRecord]:
    """Partial update in one transaction; returns (before, after). Disabling the user or
    resetting the password ends all of the user's sessions."""
    new_role = _check_role(role) if role is not None else None
    async with db.write() as conn:
        before = await _locked_user(conn, user_id)
        if role == "user":
            await _keep_an_admin(conn, before, "demoted")
        if is_active is False:
            await _keep_an_admin(conn, before, "disabled")
        changes: dict[str, Any] = {"updated_at": utcnow()}
        if role is not None:
            changes["role"] = role
        if is_active is not None:
            changes["is_active"] = is_active
        if password_hash is not None:
            changes["password_hash"] = password_hash
        await conn.execute(update(users).where(users.c.id == user_id).values(**changes))
        if is_active is False or password_hash is not None:
            await conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
            await conn.execute(delete(challenges).where(challenges.c.user_id == user_id))
    after = UserRecord(
        before.id,
        before.username,
        new_role or before.role,
        before.is_active if is_active is None else is_active,
        before.mfa_enabled,
    )
    return before, after


async def delete_user(db: Database, user_id: str) -> UserRecord:
    """Delete a user with their sessions and keys (409 for the last active admin)."""
    try:
        async with db.write() as conn:
            user = await _locked_user(conn, user_id)
            await _keep_an_admin(conn, user, "deleted")
            for table in (sessions, api_keys, challenges):
                await conn.execute(delete(table).where(table.c.user_id == user_id))
            await conn.execute(delete(users).where(users.c.id == user_id))
    except IntegrityError:
        raise Conflict(
            "the user still owns data that prevents deletion; disable the user instead"
        ) from None
    return user


async def change_password(
    db: Database, user_id: str, password_hash: str, keep_session_id: str | None,
    *, revoke_keys: bool = False,
) -> None:
    """Store a new password hash and end every session of the user but ``keep_session_id``
    (and, with ``revoke_keys``, delete the user's API keys)."""
    async with db.write() as conn:
        await conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(password_hash=password_hash, updated_at=utcnow())
        )
        ended = delete(sessions).where(sessions.c.user_id == user_id)
        if keep_session_id is not None:
            ended = ended.where(sessions.c.id != keep_session_id)
        await conn.execute(ended)
        await conn.execute(delete(challenges).where(challenges.c.user_id == user_id))
        if revoke_keys:
            await conn.execute(delete(api_keys).where(api_keys.c.user_id == user_id))


async def rehash(db: Database, user_id: str, old_hash: str, new_hash: str) -> None:
    """Upgrade a hash made with older parameters (only if the password did not change since)."""
    async with db.write() as conn:
        await conn.execute(
            update(users)
            .where(users.c.id == user_id, users.c.password_hash == old_hash)
            .values(password_hash=new_hash)
        )
