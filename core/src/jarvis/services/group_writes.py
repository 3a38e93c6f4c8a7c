"""Group commit: writes asked for at about the same time made in one transaction.

Many runs starting at once (a minute's scheduled agents) each insert a row and then mark it
started; one transaction for each is one ``BEGIN``/``COMMIT`` (and on SQLite one turn of the
write lock) per row. A :class:`GroupWrite` takes the items asked for while the loop runs other
tasks, and while its previous transaction is being written, and writes them together: the
batch grows with the load and a lone item waits for no one.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database

Item = TypeVar("Item")
Result = TypeVar("Result")
# writes a batch of items inside one transaction: a result for each, in order
Write = Callable[[AsyncConnection, list[Item]], Awaitable[Sequence[Result]]]

log = logging.getLogger(__name__)


class GroupWrite(Generic[Item, Result]):
    """``await add(item)``: the item's result of ``write(conn, items)``, done inside a
    transaction for the items waiting then (one statement for all of them, where it can be).

    When the shared transaction fails, each of its items is written again in a transaction of
    its own, so one bad item fails only its own caller, as it would have alone.
    """

    def __init__(self, db: Database, write: Write[Item, Result]):
        self._db = db
        self._write = write
        self._pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self._task: asyncio.Task[None] | None = None

    async def add(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Result] = loop.create_future()
        self._pending.append((item, done))
        if self._task is None:
            # its own context: not inside the write transaction a caller may be in
            self._task = loop.create_task(self._run(), name="group write",
                                          context=contextvars.Context())
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            # the write goes on; the caller learns it is over before it stops (what it writes
            # next, such as how it ended, must come after this)
            if not done.done():
                await asyncio.wait([done])
            raise

    async def _run(self) -> None:
        batch: list[tuple[Item, asyncio.Future[Result]]] = []
        try:
            while self._pending:
                await asyncio.sleep(0)  # callers running in this pass of the loop join in
                batch, self._pending = self._pending, []
                await self._write_batch(batch)
        except BaseException:  # cancelled (the loop is closing): no caller waits forever
            for _item, done in [*batch, *self._pending]:
                done.cancel()
            self._pending = []
            raise
        finally:
            self._task = None

    async def _write_batch(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        if len(batch) > 1:
            try:
                async with self._db.write() as conn:
                    results = await self._write(conn, [item for item, _done in batch])
            except Exception:
                log.debug("a group of %d writes failed; writing them one by one", len(batch))
            else:
                for (_item, done), result in zip(batch, results, strict=True):
                    if not done.done():
                        done.set_result(result)
                return
        for item, done in batch:
            try:
                async with self._db.write() as conn:
                    (result,) = await self._write(conn, [item])
            except Exception as err:
                if not done.done():
                    done.set_exception(err)
            else:
                if not done.done():
                    done.set_result(result)

