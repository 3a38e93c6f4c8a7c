"""A list of entries in one table, keyed by one column: what whitelists are made of."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.exc import IntegrityError

from .errors import Conflict, NotFound
from .owned import delete_one
from .timeutil import iso, utcnow


class EntryList:
    """Entries of ``table`` keyed by its column ``key``; with ``per_user`` one list per user
    (the table has a ``user_id`` column, and the key is unique per user).

    ``present`` and ``absent`` are the messages of the 409 and 404 answers, with ``{}`` for the
    key. ``created_at`` is set on add and shown as ISO 8601 when the table has that column.
    """

    def __init__(self, table: Table, key: str, *, per_user: bool = False,
                 order_by: Sequence[str] = (), present: str = "{} is already listed",
                 absent: str = "{} is not listed"):
        self.table = table
        self.key = table.c[key]
        self.per_user = per_user
        self.order_by = [table.c[name] for name in order_by] or [self.key]
        self.present = present
        self.absent = absent
        self._stamped = "created_at" in table.c

    def _mine(self, user_id: str | None) -> list[Any]:
        if not self.per_user:
            return []
        if user_id is None:
            raise ValueError("a per-user entry list needs the user_id")
        return [self.table.c.user_id == user_id]

    def _shown(self, row: Any) -> dict[str, Any]:
        found = {k: v for k, v in row._mapping.items() if k != "user_id"}
        if self._stamped:
            found["created_at"] = iso(found["created_at"])
        return found

    async def rows(self, db: Any, user_id: str | None = None) -> list[dict[str, Any]]:
        """Every entry (of ``user_id``), in order; ``user_id`` and the key are not repeated."""
        query = select(self.table).where(*self._mine(user_id)).order_by(*self.order_by)
        async with db.read() as conn:
            return [self._shown(r) for r in (await conn.execute(query)).all()]

    async def keys(self, db: Any, user_id: str | None = None) -> list[Any]:
        """The keys of every entry (of ``user_id``)."""
        async with db.read() as conn:
            return list((await conn.execute(
                select(self.key).where(*self._mine(user_id)))).scalars())

    async def add(self, db: Any, value: Any, user_id: str | None = None, **columns: Any) -> None:
        """Add the entry ``value`` with these other columns; Conflict when it is there."""
        values = {self.key.name: value, **columns}
        if self.per_user:
            values["user_id"] = user_id
        if self._stamped:
            values.setdefault("created_at", utcnow())
        try:
            async with db.write() as conn:
                await conn.execute(insert(self.table).values(**values))
        except IntegrityError:
            raise Conflict(self.present.format(value)) from None

    async def remove(self, db: Any, value: Any, user_id: str | None = None, *,
                     conn: Any = None) -> None:
        """Remove the entry ``value`` (in ``conn``'s transaction when given); NotFound when
        it is not there."""
        await delete_one(db, delete(self.table).where(self.key == value, *self._mine(user_id)),
                         NotFound(self.absent.format(value)), conn)
