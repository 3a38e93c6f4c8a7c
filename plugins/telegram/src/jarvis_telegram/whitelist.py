"""The chat whitelist: the only chats the bot listens to and writes to.

A chat belongs to the users it is whitelisted for: only their trigger words hear its messages
and only their agents may write to it. A chat whitelisted for nobody is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from jarvis import BadRequest, Conflict, iso, table_of, utcnow
from pydantic import BeforeValidator, WithJsonSchema
from sqlalchemy import column, delete, insert, select, table
from sqlalchemy.exc import IntegrityError

from .models import TelegramChat, TelegramChatUser

_DIGITS = re.compile(r"^-?\d{1,19}$")
_INT64 = 2**63
CHAT_ID_RULE = "must be an integer chat id (negative for groups), as a number or a string"

chats = table_of(TelegramChat)
members = table_of(TelegramChatUser)
users = table("users", column("id"))


@dataclass(frozen=True, slots=True)
class _Row:
    chat_id: int
    label: str
    created_at: Any


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


def _out(row: Any, user_ids: list[str]) -> dict[str, Any]:
    return {"chat_id": str(row.chat_id), "label": row.label, "user_ids": user_ids,
            "created_at": iso(row.created_at)}


async def _members(conn: Any, chat_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {chat_id: [] for chat_id in chat_ids}
    rows = await conn.execute(select(members.c.chat_id, members.c.user_id)
                              .where(members.c.chat_id.in_(chat_ids))
                              .order_by(members.c.user_id))
    for chat_id, user_id in rows:
        found[chat_id].append(user_id)
    return found


async def list_chats(db: Any) -> list[dict[str, Any]]:
    """Every whitelisted chat with the users it belongs to, oldest first."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(chats).order_by(chats.c.created_at, chats.c.chat_id))).all()
        owners = await _members(conn, [r.chat_id for r in rows])
    return [_out(r, owners[r.chat_id]) for r in rows]


async def get_chat(db: Any, chat_id: int) -> dict[str, Any] | None:
    """One whitelisted chat, or None when the chat is not on the whitelist."""
    async with db.read() as conn:
        row = (await conn.execute(select(chats).where(chats.c.chat_id == chat_id))).first()
        if row is None:
            return None
        owners = await _members(conn, [chat_id])
    return _out(row, owners[chat_id])


async def chat_users(db: Any, chat_id: int) -> list[str]:
    """The users a chat belongs to (none when it is not on the whitelist)."""
    async with db.read() as conn:
        return list((await conn.execute(
            select(members.c.user_id).where(members.c.chat_id == chat_id))).scalars())


async def may_write(db: Any, chat_id: int, user_id: str) -> bool:
    """True when the chat is whitelisted for this user: their agents may write to it."""
    async with db.read() as conn:
        found = await conn.execute(select(members.c.user_id).where(
            members.c.chat_id == chat_id, members.c.user_id == user_id))
        return found.first() is not None


async def add_chat(db: Any, chat_id: int, label: str, user_ids: list[str]) -> dict[str, Any]:
    """Whitelist a chat for these users; Conflict when it is already, BadRequest for a user
    that does not exist."""
    row = {"chat_id": chat_id, "label": label, "created_at": utcnow()}
    user_ids = sorted(set(user_ids))
    try:
        async with db.write() as conn:
            taken = await conn.execute(select(chats.c.chat_id).where(chats.c.chat_id == chat_id))
            if taken.first() is not None:
                raise Conflict(f"chat {chat_id} is already on the whitelist")
            await conn.execute(insert(chats).values(**row))
            await _set_members(conn, chat_id, user_ids)
    except IntegrityError:  # another process added it between our check and insert
        raise Conflict(f"chat {chat_id} is already on the whitelist") from None
    return _out(_Row(chat_id, label, row["created_at"]), user_ids)


async def _set_members(conn: Any, chat_id: int, user_ids: list[str]) -> None:
    known = set((await conn.execute(
        select(users.c.id).where(users.c.id.in_(user_ids)))).scalars())
    missing = [u for u in user_ids if u not in known]
    if missing:
        raise BadRequest(f"user_ids: no such user {missing[0]!r}")
    await conn.execute(delete(members).where(members.c.chat_id == chat_id))
    if user_ids:
        await conn.execute(insert(members), [{"chat_id": chat_id, "user_id": u}
                                             for u in user_ids])


async def set_chat_users(db: Any, chat_id: int, user_ids: list[str]) -> dict[str, Any] | None:
    """Change the users a chat belongs to; None when it is not on the whitelist."""
    async with db.write() as conn:
        taken = await conn.execute(select(chats.c.chat_id).where(chats.c.chat_id == chat_id))
        if taken.first() is None:
            return None
        await _set_members(conn, chat_id, sorted(set(user_ids)))
    return await get_chat(db, chat_id)


async def remove_chat(db: Any, chat_id: int) -> bool:
    """Take a chat off the whitelist; False when it was not on it."""
    async with db.write() as conn:
        await conn.execute(delete(members).where(members.c.chat_id == chat_id))
        result = await conn.execute(delete(chats).where(chats.c.chat_id == chat_id))
    return bool(result.rowcount)
