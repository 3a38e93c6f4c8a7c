"""Reading the audit log: filtered, newest first, one page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..db import Database
from ..pagination import Paged, Window, read_page
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


async def list_entries(db: Database, flt: AuditFilter, window: Window) -> Paged:
    """One page of entries (newest first, as dicts) and the number of entries matching."""
    window.per_page = max(1, min(window.per_page, MAX_PER_PAGE))
    columns = [log_table.c[name] for name in SHOWN]
    async with db.read() as conn:
        found = await read_page(conn, select(*columns), log_table, flt.conditions(), window,
                                key_type=int)
    found.rows = [entry_dict(r) for r in found.rows]
    return found
