"""TOTP second factor: secrets in the vault, each code accepted once (also in parallel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

import pyotp
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database
from ..errors import BadRequest, Conflict
from ..timeutil import utcnow
from ..tools import UserRef
from .sql import users

VALID_WINDOW = 1  # the previous and next 30-second step count too (clock drift)
Outcome = Literal["ok", "wrong", "reused"]


class SecretStore(Protocol):
    """What MFA needs of the vault."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str, description: str = "") -> None: ...

    async def delete(self, key: str) -> bool: ...


def secret_key(user_id: str) -> str:
    """The vault key of a user's TOTP secret (an ``internal:`` key, never shown by the API)."""
    return f"internal:totp:{user_id}"


def matching_timecode(secret: str, code: str) -> int | None:
    """The time step the code belongs to (within the window), or None."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(code, valid_window=VALID_WINDOW)
    except pyotp.exceptions.OTPVerificationError:
        return None


async def take_timecode(
    conn: AsyncConnection, user_id: str, timecode: int, *, enabled: bool, **also: Any
) -> bool:
    """Record ``timecode`` as used, only if no equal or later step was used before: one atomic
    conditional UPDATE, so of two parallel submissions of one code exactly one wins."""
    result = await conn.execute(
        update(users)
        .where(
            users.c.id == user_id,
            users.c.totp_last_timecode < timecode,
            users.c.mfa_enabled == enabled,
        )
        .values(totp_last_timecode=timecode, **also)
    )
    return result.rowcount == 1


def enrolment(secret: str, username: str, issuer: str) -> dict[str, str]:
    """The provisioning URI and its QR code as a PNG data URI."""
    import segno  # only enrolments draw QR codes

    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)
    qr = segno.make(uri, error="m").png_data_uri(scale=5, border=4)
    return {"provisioning_uri": uri, "qr_code": qr}


class Mfa:
    """Set up, confirm, check and turn off TOTP for users."""

    def __init__(self, db: Database, vault: Callable[[], SecretStore], issuer: Callable[[], str]):
        self.db = db
        self._vault = vault
        self._issuer = issuer

    async def setup(self, user: UserRef, *, enable: bool) -> dict[str, str]:
        """A new secret for the user. ``enable``: MFA is on at once (an admin hands the code
        over); otherwise it waits for :meth:`confirm` (self-service)."""
        if not enable and await self.is_enabled(user.id):
            raise Conflict("MFA is already on; turn it off first")
        secret = pyotp.random_base32()
        await self._vault().put(secret_key(user.id), secret, f"TOTP secret of {user.username}")
        async with self.db.write() as conn:
            await conn.execute(
                update(users)
                .where(users.c.id == user.id)
                .values(mfa_enabled=enable, totp_last_timecode=0, updated_at=utcnow())
            )
        return enrolment(secret, user.username, self._issuer())

    async def is_enabled(self, user_id: str) -> bool:
        async with self.db.read() as conn:
            value = (
                await conn.execute(select(users.c.mfa_enabled).where(users.c.id == user_id))
            ).scalar_one_or_none()
        return bool(value)

    async def timecode(self, user_id: str, code: str) -> int | None:
        """The time step of a correct code for the user's secret, or None."""
        secret = await self._vault().get(secret_key(user_id))
        return matching_timecode(secret, code) if secret else None

    async def confirm(self, user: UserRef, code: str) -> Outcome:
        """Turn MFA on with the first correct code for a set-up secret."""
        if await self.is_enabled(user.id):
            raise Conflict("MFA is already on")
        if await self._vault().get(secret_key(user.id)) is None:
            raise BadRequest("code: set up MFA first (POST /api/my/mfa-setup)")
        return await self._check(user.id, code, enabled=False, mfa_enabled=True)

    async def check(self, user_id: str, code: str) -> Outcome:
        """Check a code of a user with MFA on (each code works once)."""
        return await self._check(user_id, code, enabled=True)

    async def _check(self, user_id: str, code: str, *, enabled: bool, **also: Any) -> Outcome:
        timecode = await self.timecode(user_id, code)
        if timecode is None:
            return "wrong"
        async with self.db.write() as conn:
            taken = await take_timecode(conn, user_id, timecode, enabled=enabled, **also)
        return "ok" if taken else "reused"

    async def disable(self, user_id: str) -> None:
        """Turn MFA off and forget the secret."""
        async with self.db.write() as conn:
            await conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(mfa_enabled=False, updated_at=utcnow())
            )
        await self.forget_secret(user_id)

    async def forget_secret(self, user_id: str) -> None:
        await self._vault().delete(secret_key(user_id))
