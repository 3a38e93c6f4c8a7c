"""Each user's Pushover settings: the user key in the vault, the device in a table.

No aiohttp here: routes and the tool both call these functions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jarvis import BadRequest
from sqlalchemy import delete, insert, select

from .models import PushoverTarget
from .settings import USER_KEY_NAME

targets = PushoverTarget.__table__  # type: ignore[attr-defined]
_UNSET: Any = object()


def user_key_key(user_id: str) -> str:
    """The vault key of the user's Pushover user key."""
    return f"user:{user_id}:{USER_KEY_NAME}"


async def device(db: Any, user_id: str) -> str | None:
    """The device(s) the user's notifications go to; None: all their devices."""
    async with db.read() as conn:
        return (await conn.execute(
            select(targets.c.device).where(targets.c.user_id == user_id))).scalar()


async def view(db: Any, vault: Any, user_id: str) -> dict[str, Any]:
    """The settings as the API shows them: whether a key is stored, never the key."""
    return {"user_key_set": await vault.exists(user_key_key(user_id)),
            "device": await device(db, user_id)}


async def save(db: Any, vault: Any, user_id: str, user_key: str | None,
               new_device: str | None = _UNSET) -> None:
    """Store the user key (None keeps the stored one) and, when given, the device."""
    key = user_key_key(user_id)
    stored = await vault.get(key)
    if user_key is None and stored is None:
        raise BadRequest("user_key: required")
    if user_key is not None:
        await vault.put(key, user_key, description="Pushover user key")
    if new_device is _UNSET:
        return
    try:
        async with db.write() as conn:
            await conn.execute(delete(targets).where(targets.c.user_id == user_id))
            await conn.execute(insert(targets).values(
                user_id=user_id, device=new_device,
                updated_at=datetime.now(UTC).replace(tzinfo=None)))
    except BaseException:
        # the device did not change: put the key back as it was, so nothing is half-written
        if user_key is not None:
            if stored is None:
                await vault.delete(key)
            else:
                await vault.put(key, stored, description="Pushover user key")
        raise


async def remove(db: Any, vault: Any, user_id: str) -> bool:
    """Forget the user key and the device; False when there was nothing to forget."""
    async with db.write() as conn:
        result = await conn.execute(delete(targets).where(targets.c.user_id == user_id))
    had_key = await vault.delete(user_key_key(user_id))
    return bool(result.rowcount) or had_key
