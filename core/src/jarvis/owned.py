"""Rows that each belong to one user: what a plugin's rules, triggers and accounts are."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, delete, insert, select, update

from .db import Database, new_id
from .errors import NotFound
from .timeutil import utcnow


class OwnedRows:
    """The rows of ``table`` (columns ``id`` and ``user_id``), each one user's; another user's
    row is as missing as one that is not there (``NotFound(missing)``).

    Lists are oldest first when the table has ``created_at``; ``created_at`` and
    ``updated_at`` are set on create and ``updated_at`` on update when the table has them.
    Rows come back as SQLAlchemy rows (``row.name``, ``row._mapping``).
    """

    def __init__(self, table: Table, *, missing: str):
        self.table = table
        self.missing = missing
        self._times = [name for name in ("created_at", "updated_at") if name in table.c]
        order = ("created_at", "id") if "created_at" in table.c else ("id",)
        self._order = [table.c[name] for name in order]

    def _of(self, user_id: str, row_id: str) -> list[Any]:
        return [self.table.c.id == row_id, self.table.c.user_id == user_id]

    async def rows(self, db: Database, user_id: str, *where: Any) -> list[Any]:
        """The user's rows (those that match ``where`` too), oldest first."""
        query = select(self.table).where(self.table.c.user_id == user_id, *where)
        async with db.read() as conn:
            return list((await conn.execute(query.order_by(*self._order))).all())

    async def get(self, db: Database, user_id: str, row_id: str) -> Any:
        """One of the user's rows; NotFound for a missing one and for anyone else's."""
        async with db.read() as conn:
            row = (await conn.execute(select(self.table).where(*self._of(user_id,
                                                                         row_id)))).first()
        if row is None:
            raise NotFound(self.missing)
        return row

    async def create(self, db: Database, user_id: str, **values: Any) -> Any:
        """Store a new row of the user (a new ``id`` unless given) and return it."""
        now = utcnow()
        row = {"id": new_id(), "user_id": user_id, **dict.fromkeys(self._times, now), **values}
        async with db.write() as conn:
            return (await conn.execute(
                insert(self.table).values(**row).returning(*self.table.c))).one()

    async def update(self, db: Database, user_id: str, row_id: str, **changes: Any) -> Any:
        """Change the columns given of one of the user's rows and return it; NotFound for
        others'."""
        if "updated_at" in self._times:
            changes["updated_at"] = utcnow()
        async with db.write() as conn:
            result = await conn.execute(update(self.table).where(
                *self._of(user_id, row_id)).values(**changes))
        if not result.rowcount:
            raise NotFound(self.missing)
        return await self.get(db, user_id, row_id)

    async def delete(self, db: Database, user_id: str, row_id: str, *,
                     conn: Any = None) -> None:
        """Remove one of the user's rows (in ``conn``'s transaction when given); NotFound for
        others'."""
        await delete_one(db, delete(self.table).where(*self._of(user_id, row_id)),
                         NotFound(self.missing), conn)


async def delete_one(db: Database, query: Any, missing: Exception, conn: Any = None) -> None:
    """Run the DELETE ``query`` (in ``conn``'s transaction when given); raise ``missing`` when
    it removed nothing."""
    if conn is None:
        async with db.write() as own:
            result = await own.execute(query)
    else:
        result = await conn.execute(query)
    if not result.rowcount:
        raise missing
