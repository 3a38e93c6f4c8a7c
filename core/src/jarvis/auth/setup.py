"""First run: while no user exists, a one-time token printed by ``jarvis serve`` lets whoever
reads the server's output create the first admin. There is no default password anywhere."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from ..db import Database, new_id
from ..errors import Conflict, Forbidden
from ..timeutil import utcnow
from ..tools import UserRef
from .identity import Identity
from .sql import lock, secrets, users
from .tokens import new_token, token_hash
from .users import check_new_password, normalize_username

TOKEN_PREFIX = "setup_token:"  # noqa: S105 (a row-name prefix, not a secret)
TOKEN_LIFETIME = timedelta(days=1)


async def _no_users(conn) -> bool:
    return (await conn.execute(select(func.count()).select_from(users))).scalar_one() == 0


async def setup_needed(db: Database) -> bool:
    """True while no user exists."""
    async with db.read() as conn:
        return await _no_users(conn)


async def issue_setup_token(db: Database) -> str | None:
    """A new one-time setup token when no user exists (only its hash is stored, so every process
    sharing the database accepts it), else None. ``jarvis serve`` prints it at start-up."""
    token = new_token()
    now = utcnow()
    async with db.write() as conn:
        await lock(conn, "users")
        if not await _no_users(conn):
            return None
        await conn.execute(
            delete(secrets).where(
                secrets.c.name.startswith(TOKEN_PREFIX), secrets.c.created_at < now - TOKEN_LIFETIME
            )
        )
        await conn.execute(
            secrets.insert().values(
                name=TOKEN_PREFIX + token_hash(token), value="1", created_at=now
            )
        )
    return token


async def complete_setup(ident: Identity, username: str, password: str, token: str) -> UserRef:
    """Create the first admin with a setup token: 409 once any user exists, 403 for a wrong or
    expired token. Every setup token is used up."""
    name = normalize_username(username)
    await check_new_password(password, username=name)
    if not await setup_needed(ident.db):
        raise Conflict("setup is done: a user exists already")
    hashed = await ident.passwords.hash(password)
    user_id = new_id()
    now = utcnow()
    async with ident.db.write() as conn:
        await lock(conn, "users")  # two setups at once: the second sees the first's admin
        if not await _no_users(conn):
            raise Conflict("setup is done: a user exists already")
        found = (
            await conn.execute(
                select(secrets.c.name).where(
                    secrets.c.name == TOKEN_PREFIX + token_hash(token),
                    secrets.c.created_at >= now - TOKEN_LIFETIME,
                )
            )
        ).first()
        if found is None:
            raise Forbidden("wrong or expired setup token", "use the token `jarvis serve` printed")
        await conn.execute(
            users.insert().values(
                id=user_id,
                username=name,
                password_hash=hashed,
                role="admin",
                is_active=True,
                mfa_enabled=False,
                totp_last_timecode=0,
                created_at=now,
                updated_at=now,
            )
        )
        await conn.execute(delete(secrets).where(secrets.c.name.startswith(TOKEN_PREFIX)))
    user = UserRef(user_id, name, "admin")
    await ident.record_admin_change(
        user, "user_created", f"first admin {name} created with the setup token",
        target_id=user_id, target=name, role="admin",
    )
    return user


async def first_run_message(db: Database, url: str) -> str | None:
    """What ``jarvis serve`` prints at start-up while no user exists: a fresh setup token."""
    token = await issue_setup_token(db)
    if token is None:
        return None
    return (
        f"No user exists yet. Open {url}/ in a browser (or POST {url}/api/setup "
        f"{{\"username\", \"password\", \"token\"}}) and create the first admin with this "
        f"one-time setup token:\n\n    {token}\n\nor run `jarvis user create --admin NAME` on "
        "this machine."
    )
