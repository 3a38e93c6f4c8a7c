"""The chat whitelist: the only chats the bot listens to and writes to."""

from __future__ import annotations

import re
from typing import Annotated, Any

from jarvis import Conflict
from pydantic import BeforeValidator, WithJsonSchema
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from .models import TelegramChat, iso, utcnow

_DIGITS = re.compile(r"^-?\d{1,19}$")
_INT64 = 2**63
CHAT_ID_RULE = "must be an integer chat id (negative for groups), as a number or a string"

chats = TelegramChat.__table__


def parse_chat_id(value: Any) -> int:
    """A Telegram chat id from a number or a string of digits; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(CHAT_ID_RULE)
    if isinstance(value, str) and _DIGITS.match(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int) or value == 0 or not -_INT64 <= value < _INT64:
        raise ValueError(CHAT_ID_RULE)
    return value


ChatId = Annotated[int, BeforeValidator(parse_chat_id)]

# The same as the REST API describes it: a non-zero 64-bit integer, or a string of its digits.
CHAT_ID_SCHEMA = {"anyOf": [
    {"type": "integer", "minimum": -_INT64, "maximum": _INT64 - 1, "not": {"const": 0}},
    {"type": "string", "pattern": r"^\s*(?=-?[0-9]{1,19}\s*$)-?0*[1-9][0-9]{0,17}\s*$"},
], "examples": [-1001234567890]}
ApiChatId = Annotated[int, BeforeValidator(parse_chat_id), WithJsonSchema(CHAT_ID_SCHEMA)]


def _out(row: Any) -> dict[str, Any]:
    return {"chat_id": str(row.chat_id), "label": row.label, "created_at": iso(row.created_at)}


async def list_chats(db: Any) -> list[dict[str, Any]]:
    """Every whitelisted chat, oldest first."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(chats).order_by(chats.c.created_at, chats.c.chat_id))).all()
    return [_out(r) for r in rows]


async def get_chat(db: Any, chat_id: int) -> dict[str, Any] | None:
    """One whitelisted chat, or None when the chat is not on the whitelist."""
    async with db.read() as conn:
        row = (await conn.execute(select(chats).where(chats.c.chat_id == chat_id))).first()
    return _out(row) if row is not None else None


async def is_whitelisted(db: Any, chat_id: int) -> bool:
    """True when the bot may listen to and write to this chat."""
    async with db.read() as conn:
        found = await conn.execute(select(chats.c.chat_id).where(chats.c.chat_id == chat_id))
        return found.first() is not None


async def add_chat(db: Any, chat_id: int, label: str) -> dict[str, Any]:
    """Whitelist a chat; Conflict when it already is."""
    row = {"chat_id": chat_id, "label": label, "created_at": utcnow()}
    try:
        async with db.write() as conn:
            taken = await conn.execute(select(chats.c.chat_id).where(chats.c.chat_id == chat_id))
            if taken.first() is not None:
                raise Conflict(f"chat {chat_id} is already on the whitelist")
            await conn.execute(insert(chats).values(**row))
    except IntegrityError:  # another process added it between our check and insert
        raise Conflict(f"chat {chat_id} is already on the whitelist") from None
    return {"chat_id": str(chat_id), "label": label, "created_at": iso(row["created_at"])}


async def remove_chat(db: Any, chat_id: int) -> bool:
    """Take a chat off the whitelist; False when it was not on it."""
    async with db.write() as conn:
        result = await conn.execute(delete(chats).where(chats.c.chat_id == chat_id))
    return bool(result.rowcount)
