"""The audit log: one hash-chained row per tool call, denial and security-relevant action.

Appends are serialised (an in-process lock, plus the database: SQLite's write transaction or a
row lock on the chain head in PostgreSQL), so processes sharing a database keep one chain.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..background import stop_task
from ..db import Database
from ..timeutil import utcnow
from .audit_chain import (
    CHAIN_ID,
    Head,
    VerifyResult,
    chain_table,
    ensure_chain,
    entry_hash,
    lock_head,
    log_table,
    verify_chain,
)
from .redact import SecretTest, redact, redact_text

if TYPE_CHECKING:
    from aiohttp import web

    from .config import ConfigStore

log = logging.getLogger(__name__)

RETENTION_INTERVAL = 24 * 3600.0
RETENTION_FIRST_DELAY = 300.0  # let start-up settle before the first pass
MAX_SUMMARY = 1000
# Column widths (see models/audit.py): values are clipped, never rejected.
WIDTHS = {"kind": 20, "action": 64, "user_id": 64, "username": 200, "session_id": 200,
          "run_id": 200, "task_id": 200, "tool_name": 100, "decision": 10}


@dataclass(slots=True)
class AuditEvent:
    """What happened. ``kind``: tool_call | denial | admin | security; ``action`` names it
    (tool_call, login_failed, credential_set, settings_changed, canary_hit, ...)."""

    kind: str
    action: str
    user_id: str | None = None
    username: str | None = None
    session_id: str | None = None
    run_id: str | None = None
    task_id: str | None = None
    tool_name: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    decision: str | None = None  # allow | deny | ask
    confirmed: bool | None = None
    success: bool | None = None
    summary: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


class AuditLog:
    """Append-only audit log. Secrets in arguments, summary and detail are redacted here."""

    def __init__(self, db: Database, *, is_secret: SecretTest | None = None,
                 clock: Callable[[], datetime] = utcnow):
        self.db = db
        self.is_secret = is_secret
        self.clock = clock  # tests set it to write entries "in the past"
        self._lock = asyncio.Lock()
        self._head: Head | None = None  # the chain head as this process last wrote it

    async def setup(self) -> None:
        async with self.db.write() as conn:
            await ensure_chain(conn, self.db.is_sqlite)

    def _values(self, event: AuditEvent) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, width in WIDTHS.items():
            value = getattr(event, name)
            values[name] = None if value is None else str(value)[:width]
        values["confirmed"], values["success"] = event.confirmed, event.success
        values["arguments"] = _dump(redact(event.arguments or {}, self.is_secret))
        values["detail"] = _dump(redact(event.detail or {}, self.is_secret))
        values["summary"] = redact_text(event.summary or "", self.is_secret, MAX_SUMMARY)
        return values

    async def record(self, event: AuditEvent) -> int:
        """Append one entry; returns its id."""
        async with self._lock, self.db.write() as conn:
            (entry_id,) = await self.append(conn, [event])
        return entry_id

    async def append(self, conn: AsyncConnection, events: list[AuditEvent]) -> list[int]:
        """Append entries inside the caller's write transaction (with the rows they are about);
        returns their ids.

        The chain head last written here is tried first: the head row moves only when it is
        still that one, so an append costs two statements. When another process (or a
        transaction rolled back) moved it, the head is read locked and the append redone.
        """
        if not events:
            return []
        values = [self._values(e) for e in events]
        ids = None
        if self._head is not None:
            ids = await self._extend(conn, self._head, values, guarded=True)
        if ids is None:
            ids = await self._extend(conn, await lock_head(conn, self.db.is_sqlite), values)
        assert ids is not None  # unguarded, the chain is extended from the head read
        return ids

    async def _extend(self, conn: AsyncConnection, head: Head, values: list[dict[str, Any]],
                      *, guarded: bool = False) -> list[int] | None:
        """Insert ``values`` after ``head`` and move the head row; None (nothing written) when
        ``guarded`` and the head row is no longer ``head``. The new head is remembered even
        before the commit: a wrong guess costs one refused update, never a broken chain."""
        rows, last_id, last_hash = [], head.head_id, head.head_hash
        now = self.clock()
        for v in values:
            row = {**v, "id": last_id + 1, "created_at": now, "prev_hash": last_hash}
            row["hash"] = last_hash = entry_hash(row)
            last_id = row["id"]
            rows.append(row)
        move = update(chain_table).where(chain_table.c.id == CHAIN_ID)
        if guarded:
            move = move.where(chain_table.c.head_id == head.head_id,
                              chain_table.c.head_hash == head.head_hash)
        result = await conn.execute(move.values(head_id=last_id, head_hash=last_hash))
        if guarded and result.rowcount != 1:
            return None
        await conn.execute(insert(log_table), rows)
        self._head = Head(last_id, last_hash, head.anchor_id, head.anchor_hash)
        return [r["id"] for r in rows]

    async def prune(self, older_than_days: int, *, user_id: str | None = None,
                    username: str | None = None, source: str = "api") -> int:
        """Delete the entries older than ``older_than_days``; the chain stays verifiable from
        the kept part (its anchor moves to the last deleted hash). Audited itself."""
        cutoff = self.clock() - timedelta(days=older_than_days)
        async with self._lock, self.db.write() as conn:
            head = await lock_head(conn, self.db.is_sqlite)
            # Only a prefix of the chain can go: everything before the oldest entry still kept.
            first_kept = (await conn.execute(
                select(func.min(log_table.c.id)).where(log_table.c.created_at >= cutoff)
            )).scalar()
            upto = head.head_id if first_kept is None else first_kept - 1
            deleted = 0
            if upto > head.anchor_id:
                last_hash = (await conn.execute(
                    select(log_table.c.hash).where(log_table.c.id <= upto)
                    .order_by(log_table.c.id.desc()).limit(1)
                )).scalar()
                result = await conn.execute(delete(log_table).where(log_table.c.id <= upto))
                deleted = result.rowcount or 0
                if last_hash is not None:
                    await conn.execute(
                        update(chain_table).where(chain_table.c.id == CHAIN_ID)
                        .values(anchor_id=upto, anchor_hash=last_hash)
                    )
            if deleted or source != "retention":
                event = AuditEvent(
                    "admin", "audit_pruned", user_id=user_id, username=username,
                    summary=f"deleted {deleted} audit entries older than {older_than_days} days",
                    detail={"deleted": deleted, "older_than_days": older_than_days,
                            "source": source, "through_id": upto if deleted else None},
                )
                await self._extend(conn, head, [self._values(event)])
        return deleted

    async def verify(self) -> VerifyResult:
        return await verify_chain(self.db)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


async def retention_job(audit: AuditLog, config: ConfigStore) -> int:
    """One retention pass: delete what is older than the configured number of days."""
    days = config.get("audit_retention").days
    deleted = await audit.prune(days, source="retention")
    if deleted:
        log.info("audit retention: deleted %d entries older than %d days", deleted, days)
    return deleted


async def _retention_loop(audit: AuditLog, config: ConfigStore) -> None:
    await asyncio.sleep(RETENTION_FIRST_DELAY)
    while True:
        try:
            await retention_job(audit, config)
        except Exception:
            log.exception("audit retention failed; retrying in a day")
        await asyncio.sleep(RETENTION_INTERVAL)


def setup_audit(app: web.Application) -> None:
    """Create ``app[AUDIT]`` (after the vault, whose values it redacts) and the daily
    retention task."""
    from ..keys import AUDIT, CONFIG, DATABASE, VAULT

    vault = app.get(VAULT)
    app[AUDIT] = AuditLog(app[DATABASE], is_secret=vault.is_secret if vault else None)

    async def _run(app: web.Application):
        await app[AUDIT].setup()
        task = asyncio.create_task(_retention_loop(app[AUDIT], app[CONFIG]))
        yield
        await stop_task(task)

    app.cleanup_ctx.append(_run)
