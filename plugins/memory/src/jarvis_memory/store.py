"""Each user's memory: every statement here is keyed by the user it acts for.

No aiohttp here: the tools (and through them the MCP server) call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jarvis import new_id
from sqlalchemy import func, insert, select, text

from .models import MemoryItem
from .vectors import Backend, prepare, query_param

ITEMS = MemoryItem.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Note:
    """One remembered note as the tools show it; ``score`` is the similarity of a search hit."""

    id: str
    content: str
    created_at: datetime
    score: float | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


async def capture(db: Any, user_id: str, content: str, model: str,
                  vector: list[float]) -> Note:
    """Remember ``content`` for ``user_id`` with its embedding."""
    note = Note(new_id(), content, _now())
    async with db.write() as conn:
        await conn.execute(insert(ITEMS).values(
            id=note.id, user_id=user_id, content=content, model=model, dims=len(vector),
            embedding=vector, created_at=note.created_at))
    return note


async def search(db: Any, backend: Backend, user_id: str, model: str, vector: list[float],
                 limit: int) -> list[Note]:
    """The user's notes nearest to ``vector``, nearest first (same model and size only)."""
    async with db.read() as conn:
        await prepare(conn, backend)
        distance = backend.distance(conn.dialect)
        statement = text(
            f"SELECT id, content, created_at, {distance} AS distance FROM memory_items "  # noqa: S608 - fixed expressions only
            "WHERE user_id = :user_id AND model = :model AND dims = :dims "
            "ORDER BY distance, created_at DESC LIMIT :limit"
        ).bindparams(query_param(vector))
        rows = await conn.execute(statement, {"user_id": user_id, "model": model,
                                              "dims": len(vector), "limit": limit})
        return [Note(r.id, r.content, _naive(r.created_at), 1.0 - float(r.distance))
                for r in rows if r.distance is not None]


async def recent(db: Any, user_id: str, limit: int, offset: int) -> tuple[list[Note], int]:
    """The user's notes, newest first, and how many there are in all."""
    async with db.read() as conn:
        rows = await conn.execute(
            select(ITEMS.c.id, ITEMS.c.content, ITEMS.c.created_at)
            .where(ITEMS.c.user_id == user_id)
            .order_by(ITEMS.c.created_at.desc(), ITEMS.c.id.desc()).limit(limit).offset(offset))
        notes = [Note(r.id, r.content, _naive(r.created_at)) for r in rows]
        total = await conn.scalar(
            select(func.count()).select_from(ITEMS).where(ITEMS.c.user_id == user_id))
    return notes, int(total or 0)


@dataclass(frozen=True, slots=True)
class Stats:
    """How much the user has remembered, since when, and with which embedding models."""

    count: int
    first: datetime | None
    last: datetime | None
    characters: int
    models: dict[str, int]


async def stats(db: Any, user_id: str) -> Stats:
    """The user's memory in numbers."""
    async with db.read() as conn:
        row = (await conn.execute(
            select(func.count(), func.min(ITEMS.c.created_at), func.max(ITEMS.c.created_at),
                   func.coalesce(func.sum(func.length(ITEMS.c.content)), 0))
            .where(ITEMS.c.user_id == user_id))).one()
        models = await conn.execute(
            select(ITEMS.c.model, func.count()).where(ITEMS.c.user_id == user_id)
            .group_by(ITEMS.c.model).order_by(ITEMS.c.model))
        return Stats(int(row[0]), _naive(row[1]), _naive(row[2]), int(row[3]),
                     {m: int(n) for m, n in models})


def _naive(value: Any) -> Any:
    """SQLite hands back text for aggregates of DateTime columns."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value
