"""The audit log's hash chain: canonical hashing, the locked chain head, and verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database
from ..models.audit import AuditChain, AuditEntry
from ..models.tables import table_of
from ..timeutil import iso

GENESIS = "0" * 64
CHAIN_ID = "main"
log_table = table_of(AuditEntry)
chain_table = table_of(AuditChain)

HASHED_FIELDS = (
    "id", "created_at", "kind", "action", "user_id", "username", "session_id", "run_id",
    "task_id", "tool_name", "arguments", "decision", "confirmed", "success", "summary", "detail",
    "prev_hash",
)


def _canon(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def entry_hash(row: Any) -> str:
    """sha256 over a canonical JSON of the row's columns, its previous hash included."""
    get = row.__getitem__ if isinstance(row, dict) else row._mapping.__getitem__
    doc = {name: _canon(get(name)) for name in HASHED_FIELDS}
    data = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


@dataclass(slots=True)
class Head:
    head_id: int
    head_hash: str
    anchor_id: int
    anchor_hash: str


async def ensure_chain(conn: AsyncConnection, is_sqlite: bool) -> None:
    """Create the chain head row when missing (safe when several processes race)."""
    dialect = sqlite if is_sqlite else postgresql
    stmt = dialect.insert(chain_table).values(
        id=CHAIN_ID, head_id=0, head_hash=GENESIS, anchor_id=0, anchor_hash=GENESIS
    )
    await conn.execute(stmt.on_conflict_do_nothing(index_elements=[chain_table.c.id]))


async def lock_head(conn: AsyncConnection, is_sqlite: bool) -> Head:
    """The chain head, locked until the transaction ends (SQLite: the write transaction itself
    is exclusive; PostgreSQL: the head row is locked FOR UPDATE)."""
    query = select(chain_table).where(chain_table.c.id == CHAIN_ID)
    if not is_sqlite:
        query = query.with_for_update()
    row = (await conn.execute(query)).first()
    if row is None:
        await ensure_chain(conn, is_sqlite)
        row = (await conn.execute(query)).one()
    return Head(row.head_id, row.head_hash, row.anchor_id, row.anchor_hash)


@dataclass(slots=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_at: dict[str, Any] | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "checked": self.checked}
        if not self.ok:
            out.update(broken_at=self.broken_at, reason=self.reason)
        return out


def _where(row: Any) -> dict[str, Any]:
    return {"id": row.id, "created_at": iso(row.created_at), "kind": row.kind, "action": row.action}


async def verify_chain(db: Database, batch: int = 2000) -> VerifyResult:
    """Walk the chain from its anchor to its head; report the first broken link."""
    async with db.read(snapshot=True) as conn:
        if not db.is_sqlite:  # one snapshot, so a concurrent prune or append cannot confuse us
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        query = select(chain_table).where(chain_table.c.id == CHAIN_ID)
        chain = (await conn.execute(query)).first()
        if chain is None:
            head_id = (await conn.execute(select(func.max(log_table.c.id)))).scalar() or 0
            head = Head(head_id, "", 0, GENESIS)
        else:
            head = Head(chain.head_id, chain.head_hash, chain.anchor_id, chain.anchor_hash)
        expected, last_id, checked = head.anchor_hash, head.anchor_id, 0
        while True:
            query = (
                select(log_table)
                .where(log_table.c.id > last_id, log_table.c.id <= head.head_id)
                .order_by(log_table.c.id)
                .limit(batch)
            )
            rows = (await conn.execute(query)).all()
            if not rows:
                break
            for row in rows:
                if entry_hash(row) != row.hash:
                    return VerifyResult(False, checked, _where(row), "the entry was altered")
                if row.prev_hash != expected:
                    reason = "the link to the previous entry is broken: an entry before it was "
                    reason += "removed or altered"
                    return VerifyResult(False, checked, _where(row), reason)
                expected, last_id, checked = row.hash, row.id, checked + 1
        if chain is not None:
            stray = (
                await conn.execute(
                    select(func.min(log_table.c.id)).where(
                        (log_table.c.id > head.head_id) | (log_table.c.id <= head.anchor_id)
                    )
                )
            ).scalar()
            if stray is not None:
                reason = "an entry outside the chain was added directly to the table"
                return VerifyResult(False, checked, {"id": stray}, reason)
        if chain is not None and (last_id != head.head_id or expected != head.head_hash):
            reason = f"entries at the end were removed: the chain head is entry {head.head_id}"
            return VerifyResult(False, checked, {"id": last_id + 1}, reason)
    return VerifyResult(True, checked)
