"""Trigger rules: which agent handles a mail to a trigger account (no aiohttp here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jarvis import OwnedRows, best_phrase_match, iso, table_of
from sqlalchemy import delete, select

from .models import EmailRule

rules = table_of(EmailRule)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    user_id: str
    account_id: str
    trigger_phrase: str
    agent_id: str
    enabled: bool
    created_at: datetime
    updated_at: datetime

    def out(self) -> dict[str, Any]:
        """The API form of the rule."""
        return {"id": self.id, "account_id": self.account_id,
                "trigger_phrase": self.trigger_phrase, "agent_id": self.agent_id,
                "enabled": bool(self.enabled), "created_at": iso(self.created_at),
                "updated_at": iso(self.updated_at)}


RULES = OwnedRows(rules, missing="email rule not found")


def _rule(row: Any) -> Rule:
    return Rule(**dict(row._mapping))


async def list_rules(db: Any, user_id: str) -> list[Rule]:
    """The user's rules, oldest first."""
    return [_rule(r) for r in await RULES.rows(db, user_id)]


async def get_rule(db: Any, user_id: str, rule_id: str) -> Rule:
    """One of the user's rules; NotFound for a missing one and for anyone else's."""
    return _rule(await RULES.get(db, user_id, rule_id))


async def create_rule(db: Any, user_id: str, values: dict[str, Any]) -> Rule:
    """Store a rule of the user (the caller checked its account and agent are theirs)."""
    return _rule(await RULES.create(db, user_id, **values))


async def update_rule(db: Any, user_id: str, rule_id: str, changes: dict[str, Any]) -> Rule:
    """Change the fields given of one of the user's rules."""
    return _rule(await RULES.update(db, user_id, rule_id, **changes))


async def delete_rule(db: Any, user_id: str, rule_id: str) -> None:
    await RULES.delete(db, user_id, rule_id)


async def delete_account_rules(conn: Any, account_id: str) -> None:
    """Remove an account's rules (in the transaction that removes the account)."""
    await conn.execute(delete(rules).where(rules.c.account_id == account_id))


async def matching_rule(db: Any, account_id: str, subject: str, body: str) -> Rule | None:
    """The enabled rule of the account that a mail matches best (the rule with the most words;
    the oldest among equals), or None."""
    async with db.read() as conn:
        rows = (await conn.execute(select(rules).where(
            rules.c.account_id == account_id, rules.c.enabled.is_(True))
            .order_by(rules.c.created_at, rules.c.id))).all()
    return best_phrase_match([_rule(r) for r in rows], lambda r: r.trigger_phrase,
                             subject, body)
