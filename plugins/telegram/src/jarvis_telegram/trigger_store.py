"""Trigger words: each belongs to the user who made it and runs one of their agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jarvis import NotFound, TriggerPhrase, iso, new_id, table_of, utcnow
from sqlalchemy import delete, insert, select, update

from .models import TelegramTrigger

triggers = table_of(TelegramTrigger)


TriggerWord = TriggerPhrase


@dataclass(frozen=True, slots=True)
class TriggerRow:
    """What the listener needs of an enabled trigger."""

    id: str
    user_id: str
    trigger_word: str
    agent_id: str


def _out(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "trigger_word": row.trigger_word, "agent_id": row.agent_id,
        "enabled": bool(row.enabled), "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


async def list_triggers(db: Any, user_id: str) -> list[dict[str, Any]]:
    """The user's triggers, oldest first."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(triggers).where(triggers.c.user_id == user_id)
            .order_by(triggers.c.created_at, triggers.c.id))).all()
    return [_out(r) for r in rows]


async def get_trigger(db: Any, user_id: str, trigger_id: str) -> dict[str, Any]:
    """One of the user's triggers; NotFound for a missing one or another user's."""
    async with db.read() as conn:
        row = (await conn.execute(select(triggers).where(
            triggers.c.id == trigger_id, triggers.c.user_id == user_id))).first()
    if row is None:
        raise NotFound("trigger not found")
    return _out(row)


async def create_trigger(db: Any, user_id: str, trigger_word: str, agent_id: str,
                         enabled: bool) -> dict[str, Any]:
    """Add a trigger for the user (the caller checked the agent is theirs)."""
    now = utcnow()
    row = {"id": new_id(), "user_id": user_id, "trigger_word": trigger_word,
           "agent_id": agent_id, "enabled": enabled, "created_at": now, "updated_at": now}
    async with db.write() as conn:
        await conn.execute(insert(triggers).values(**row))
    return {k: v for k, v in row.items() if k != "user_id"} | {
        "created_at": iso(now), "updated_at": iso(now)}


async def update_trigger(db: Any, user_id: str, trigger_id: str,
                         changes: dict[str, Any]) -> dict[str, Any]:
    """Change some fields of one of the user's triggers; NotFound for others'."""
    async with db.write() as conn:
        result = await conn.execute(
            update(triggers)
            .where(triggers.c.id == trigger_id, triggers.c.user_id == user_id)
            .values(**changes, updated_at=utcnow()))
    if not result.rowcount:
        raise NotFound("trigger not found")
    return await get_trigger(db, user_id, trigger_id)


async def delete_trigger(db: Any, user_id: str, trigger_id: str) -> None:
    """Remove one of the user's triggers; NotFound for others'."""
    async with db.write() as conn:
        result = await conn.execute(delete(triggers).where(
            triggers.c.id == trigger_id, triggers.c.user_id == user_id))
    if not result.rowcount:
        raise NotFound("trigger not found")


async def enabled_triggers(db: Any, user_ids: list[str]) -> list[TriggerRow]:
    """The enabled triggers of these users (a chat's), oldest first."""
    c = triggers.c
    async with db.read() as conn:
        rows = (await conn.execute(
            select(c.id, c.user_id, c.trigger_word, c.agent_id)
            .where(c.enabled.is_(True), c.user_id.in_(user_ids))
            .order_by(c.created_at, c.id))).all()
    return [TriggerRow(*r) for r in rows]
