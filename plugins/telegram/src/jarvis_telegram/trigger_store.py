"""Trigger words: each belongs to the user who made it and runs one of their agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jarvis import OwnedRows, TriggerPhrase, iso, table_of
from sqlalchemy import select

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


TRIGGERS = OwnedRows(triggers, missing="trigger not found")


def _out(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "trigger_word": row.trigger_word, "agent_id": row.agent_id,
        "enabled": bool(row.enabled), "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


async def list_triggers(db: Any, user_id: str) -> list[dict[str, Any]]:
    """The user's triggers, oldest first."""
    return [_out(r) for r in await TRIGGERS.rows(db, user_id)]


async def get_trigger(db: Any, user_id: str, trigger_id: str) -> dict[str, Any]:
    """One of the user's triggers; NotFound for a missing one or another user's."""
    return _out(await TRIGGERS.get(db, user_id, trigger_id))


async def create_trigger(db: Any, user_id: str, trigger_word: str, agent_id: str,
                         enabled: bool) -> dict[str, Any]:
    """Add a trigger for the user (the caller checked the agent is theirs)."""
    return _out(await TRIGGERS.create(db, user_id, trigger_word=trigger_word,
                                      agent_id=agent_id, enabled=enabled))


async def update_trigger(db: Any, user_id: str, trigger_id: str,
                         changes: dict[str, Any]) -> dict[str, Any]:
    """Change some fields of one of the user's triggers; NotFound for others'."""
    return _out(await TRIGGERS.update(db, user_id, trigger_id, **changes))


async def delete_trigger(db: Any, user_id: str, trigger_id: str) -> None:
    """Remove one of the user's triggers; NotFound for others'."""
    await TRIGGERS.delete(db, user_id, trigger_id)


async def enabled_triggers(db: Any, user_ids: list[str]) -> list[TriggerRow]:
    """The enabled triggers of these users (a chat's), oldest first."""
    c = triggers.c
    async with db.read() as conn:
        rows = (await conn.execute(
            select(c.id, c.user_id, c.trigger_word, c.agent_id)
            .where(c.enabled.is_(True), c.user_id.in_(user_ids))
            .order_by(c.created_at, c.id))).all()
    return [TriggerRow(*r) for r in rows]
