"""Is the database answering? Checked at most once a second, however often ``/health`` is hit."""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import text

from ..db import Database

log = logging.getLogger(__name__)

CHECK_EVERY = 1.0  # seconds an answer is reused
CHECK_TIMEOUT = 3.0


class DatabaseProbe:
    def __init__(self, db: Database):
        self.db = db
        self._until = 0.0
        self._error: str | None = None
        self._pending: asyncio.Task[str | None] | None = None

    def known(self) -> tuple[bool, str | None]:
        """(True, what :meth:`error` would answer) while the last answer is fresh, without a
        coroutine; else (False, None): await :meth:`error`."""
        if time.monotonic() < self._until:
            return True, self._error
        return False, None

    async def error(self) -> str | None:
        """None when the database answered ``SELECT 1`` lately, else why it did not."""
        if time.monotonic() < self._until:
            return self._error
        if self._pending is None:  # concurrent callers share one check
            self._pending = asyncio.ensure_future(self._check())
        pending = self._pending
        try:
            return await asyncio.shield(pending)
        finally:
            if self._pending is pending and pending.done():
                self._pending = None

    async def _check(self) -> str | None:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT), self.db.read() as conn:
                await conn.execute(text("SELECT 1"))
            error = None
        except Exception as err:  # any failure means: not healthy
            error = f"{type(err).__name__}: {err}".splitlines()[0][:300]
            if self._error is None:
                log.warning("database check failed: %s", error)
        self._error, self._until = error, time.monotonic() + CHECK_EVERY
        return error
