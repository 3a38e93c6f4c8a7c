"""Limits on password and TOTP guesses, per account and per client address.

Each attempt is counted *before* the password or code is checked, with one atomic upsert per
counter in the database, so parallel attempts and several server processes share one count: at
most ``attempts`` guesses per window get through, however they are timed. A success clears the
account's counter and gives the address its attempt back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database
from ..errors import TooManyRequests
from ..timeutil import utcnow
from .sql import insert_for, naive, throttle


@dataclass(frozen=True, slots=True)
class Limit:
    attempts: int
    window: timedelta


ACCOUNT_LIMIT = Limit(5, timedelta(minutes=15))
ADDRESS_LIMIT = Limit(50, timedelta(minutes=15))


class Throttle:
    """Counters in ``auth_throttle``; keys look like ``login:alice``, ``mfa:<user id>``,
    ``addr:192.0.2.7``."""

    def __init__(
        self, db: Database, account: Limit = ACCOUNT_LIMIT, address: Limit = ADDRESS_LIMIT
    ):
        self.db = db
        self.account = account
        self.address = address

    async def attempt(self, account_key: str, address: str | None) -> None:
        """Count one attempt; raise 429 (with Retry-After) when a counter is over its limit."""
        now = utcnow()
        counters = [(account_key, self.account)]
        if address:
            counters.append((f"addr:{address}", self.address))
        waits: list[float] = []
        async with self.db.write() as conn:
            oldest = now - max(self.account.window, self.address.window)
            await conn.execute(delete(throttle).where(throttle.c.window_start <= oldest))
            for key, limit in counters:
                attempts, started = await _count(conn, key, limit, now)
                if attempts > limit.attempts:
                    waits.append((started + limit.window - now).total_seconds())
        if waits:
            raise TooManyRequests("too many attempts; try again later", retry_after=max(waits))

    async def succeeded(self, account_key: str, address: str | None) -> None:
        """Forget the account's failures and return the address's attempt."""
        async with self.db.write() as conn:
            await conn.execute(delete(throttle).where(throttle.c.key == account_key))
            if address:
                await conn.execute(
                    update(throttle)
                    .where(throttle.c.key == f"addr:{address}", throttle.c.attempts > 0)
                    .values(attempts=throttle.c.attempts - 1)
                )


async def _count(
    conn: AsyncConnection, key: str, limit: Limit, now: datetime
) -> tuple[int, datetime]:
    # One statement: a new window starts when the old one is over, else the count goes up.
    stale = throttle.c.window_start <= now - limit.window
    stmt = (
        insert_for(conn, throttle)
        .values(key=key, window_start=now, attempts=1)
        .on_conflict_do_update(
            index_elements=["key"],
            set_={
                "attempts": case((stale, 1), else_=throttle.c.attempts + 1),
                "window_start": case((stale, now), else_=throttle.c.window_start),
            },
        )
        .returning(throttle.c.attempts, throttle.c.window_start)
    )
    row = (await conn.execute(stmt)).one()
    return int(row.attempts), naive(row.window_start)
