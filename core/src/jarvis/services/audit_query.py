"""Reading the audit log: filtered, newest first, one page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ..db import Database
from ..timeutil import iso
from .audit_chain import log_table

MAX_PER_PAGE = 200

SHOWN = (
    "id", "created_at", "kind", "action", "user_id", "username", "session_id", "run_id",
    "task_id", "tool_name", "arguments", "decision", "confirmed", "success", "summary", "detail",
)


@dataclass(slots=True)
class AuditFilter:
    """Every filter of ``GET /api/audit``; ``user_id`` also restricts non-admins to their own."""

    start: datetime | None = None  # naive UTC
    end: datetime | None = None
    tool_name: str | None = None
    session_id: str | None = None
    task_id: str | None = None
    run_id: str | None = None
    user_id: str | None = None
    confirmed_only: bool = False

    def conditions(self) -> list[Any]:
        c = log_table.c
        out: list[Any] = []
        if self.start is not None:
            out.append(c.created_at >= self.start)
        if self.end is not None:
            out.append(c.created_at <= self.end)
        for name in ("tool_name", "session_id", "task_id", "run_id", "user_id"):
            value = getattr(self, name)
            if value is not None:
                out.append(c[name] == value)
        if self.confirmed_only:
            out.append(c.confirmed.is_(True))
        return out


def entry_dict(row: Any) -> dict[str, Any]:
    out = {name: getattr(row, name) for name in SHOWN}
    out["created_at"] = iso(row.created_at)
    out["arguments"] = json.loads(row.arguments)
    out["detail"] = json.loads(row.detail)
    return out


async def list_entries(
    db: Database, flt: AuditFilter, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of entries (newest first) and the number of entries matching."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    where = flt.conditions()
    columns = [log_table.c[name] for name in SHOWN]
    query = (
        select(*columns).where(*where)
        .order_by(log_table.c.created_at.desc(), log_table.c.id.desc())
        .limit(per_page).offset((max(page, 1) - 1) * per_page)
    )
    count = select(func.count()).select_from(log_table).where(*where)
    async with db.read() as conn:
        rows = (await conn.execute(query)).all()
        total = (await conn.execute(count)).scalar_one()
    return [entry_dict(r) for r in rows], total
