"""Each user's Pushover settings: the user key in the vault, the device in a table.

No aiohttp here: routes and the tool both call these functions.
"""

from __future__ import annotations

from typing import Any

from jarvis import BadRequest, PerUserSettings, table_of

from .models import PushoverTarget
from .settings import USER_KEY_NAME

SETTINGS = PerUserSettings(table_of(PushoverTarget), USER_KEY_NAME, "Pushover user key")
_UNSET: Any = object()


async def device(db: Any, user_id: str) -> str | None:
    """The device(s) the user's notifications go to; None: all their devices."""
    row = await SETTINGS.row(db, user_id)
    return None if row is None else row["device"]


async def view(db: Any, vault: Any, user_id: str) -> dict[str, Any]:
    """The settings as the API shows them: whether a key is stored, never the key."""
    return {"user_key_set": await SETTINGS.has_secret(vault, user_id),
            "device": await device(db, user_id)}


async def save(db: Any, vault: Any, user_id: str, user_key: str | None,
               new_device: str | None = _UNSET) -> None:
    """Store the user key (None keeps the stored one) and, when given, the device."""
    if user_key is None and not await SETTINGS.has_secret(vault, user_id):
        raise BadRequest("user_key: required")
    values = None if new_device is _UNSET else {"device": new_device}
    await SETTINGS.save(db, vault, user_id, user_key, values)


async def remove(db: Any, vault: Any, user_id: str) -> bool:
    """Forget the user key and the device; False when there was nothing to forget."""
    return await SETTINGS.remove(db, vault, user_id)
