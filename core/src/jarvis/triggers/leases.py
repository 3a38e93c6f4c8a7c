"""Leases in the database, so that several server processes on one database run each plugin
trigger once: a Telegram bot allows one poller, and two IMAP listeners would each see every mail.

A lease is taken when it is free or expired, and kept by renewing it well before it expires;
each step is one atomic statement, so two processes never both hold it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite

from ..db import Database
from ..models.leases import Lease
from ..models.tables import table_of
from ..timeutil import utcnow

leases = table_of(Lease)


class Leases:
    """Take, renew and give back named leases for one holder (this server process)."""

    def __init__(self, db: Database, holder: str, ttl: float = 30.0):
        self.db = db
        self.holder = holder
        self.ttl = ttl

    async def acquire(self, name: str) -> bool:
        """Take or renew ``name``; False while another live holder has it."""
        now = utcnow()
        expires = now + timedelta(seconds=self.ttl)
        async with self.db.write() as conn:
            taken = await conn.execute(
                update(leases)
                .where(leases.c.name == name)
                .where(or_(leases.c.holder == self.holder, leases.c.expires_at < now))
                .values(holder=self.holder, expires_at=expires)
            )
            if taken.rowcount:
                return True
            dialect = postgresql if not self.db.is_sqlite else sqlite
            created = await conn.execute(
                dialect.insert(leases)
                .values(name=name, holder=self.holder, expires_at=expires)
                .on_conflict_do_nothing(index_elements=["name"])
            )
            return bool(created.rowcount)

    async def release(self, name: str) -> None:
        """Give ``name`` back at once (if we hold it), so another process need not wait."""
        async with self.db.write() as conn:
            await conn.execute(
                delete(leases).where(leases.c.name == name).where(leases.c.holder == self.holder)
            )
