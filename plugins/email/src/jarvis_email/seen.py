"""How far each trigger account has read each folder (the highest UID handled).

A message is claimed with one conditional UPDATE, so two server processes on one database never
start a run for the same mail."""

from __future__ import annotations

from typing import Any

from jarvis import table_of
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from .models import EmailSeen

seen = table_of(EmailSeen)


async def start(db: Any, account_id: str, folder: str, uidvalidity: int, highest: int) -> int:
    """The last handled UID of a folder. The first time (or after the server renumbered the
    folder: a new UIDVALIDITY) everything there now counts as handled, so old mail starts no run."""
    dialect = sqlite if db.is_sqlite else postgresql
    stmt = dialect.insert(seen).values(
        account_id=account_id, folder=folder, uidvalidity=uidvalidity, last_uid=highest)
    stmt = stmt.on_conflict_do_update(
        index_elements=[seen.c.account_id, seen.c.folder],
        set_={"uidvalidity": uidvalidity, "last_uid": highest},
        where=seen.c.uidvalidity != uidvalidity)
    async with db.write() as conn:
        await conn.execute(stmt)
        return (await conn.execute(select(seen.c.last_uid).where(
            seen.c.account_id == account_id, seen.c.folder == folder))).scalar_one()


async def claim(db: Any, account_id: str, folder: str, uidvalidity: int, uid: int) -> bool:
    """Mark ``uid`` handled; False when it was already (by this or another process)."""
    async with db.write() as conn:
        result = await conn.execute(update(seen).where(
            seen.c.account_id == account_id, seen.c.folder == folder,
            seen.c.uidvalidity == uidvalidity, seen.c.last_uid < uid,
        ).values(last_uid=uid))
    return bool(result.rowcount)
