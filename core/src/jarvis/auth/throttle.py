"""Limits on password and TOTP guesses, per account and per client address.

Each attempt is counted *before* the password or code is checked, with one atomic upsert per
counter in the database, so parallel attempts and several server processes share one count: at
most ``attempts`` guesses per window get through, however they are timed. A success clears the
account's counter and gives the address (and the account's total) its attempt back.

Password logins count per account *and source* (``login:alice|192.0.2.7``): someone guessing
from elsewhere locks out only themselves, never the owner at their own address. Against guessing
spread over many addresses there is also a looser count per account; it applies only to sources
the account has never logged in from (a success marks the pair as known for
:data:`KNOWN_FOR`), so the owner still gets in from where they usually do. A password reset and
an admin's unlock clear an account's counters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ..db import Database
from ..errors import TooManyRequests
from ..timeutil import utcnow
from .sql import insert_for, naive, throttle


@dataclass(frozen=True, slots=True)
class Limit:
    attempts: int
    window: timedelta


ACCOUNT_LIMIT = Limit(5, timedelta(minutes=15))  # one account (from one source, for logins)
ACCOUNT_TOTAL_LIMIT = Limit(100, timedelta(minutes=15))  # one account from unknown sources
ADDRESS_LIMIT = Limit(50, timedelta(minutes=15))
KNOWN_FOR = timedelta(days=30)
KNOWN = "known:"
NO_ADDRESS = "-"


def per_source(account_key: str, address: str | None) -> str:
    """The counter of one account from one source."""
    return f"{account_key}|{address or NO_ADDRESS}"


class Throttle:
    """Counters in ``auth_throttle``; keys look like ``login:alice``, ``mfa:<user id>``,
    ``addr:192.0.2.7``."""

    def __init__(
        self, db: Database, account: Limit = ACCOUNT_LIMIT, address: Limit = ADDRESS_LIMIT,
        account_total: Limit = ACCOUNT_TOTAL_LIMIT,
    ):
        self.db = db
        self.account = account
        self.address = address
        self.account_total = account_total

    async def attempt(
        self, account_key: str, address: str | None, *, by_source: bool = False
    ) -> None:
        """Count one attempt; raise 429 (with Retry-After) when a counter is over its limit.
        ``by_source``: count the account per source (plus the looser total for unknown ones)."""
        now = utcnow()
        waits: list[float] = []
        async with self.db.write() as conn:
            oldest = now - max(self.account.window, self.address.window, self.account_total.window)
            await conn.execute(delete(throttle).where(
                throttle.c.window_start <= oldest, throttle.c.key.not_like(f"{KNOWN}%")
            ))
            await conn.execute(delete(throttle).where(
                throttle.c.window_start <= now - KNOWN_FOR, throttle.c.key.like(f"{KNOWN}%")
            ))
            if not by_source:
                counters = [(account_key, self.account)]
            else:
                counters = [(per_source(account_key, address), self.account)]
                if not await _known(conn, account_key, address, now):
                    counters.append((account_key, self.account_total))
            if address:
                counters.append((f"addr:{address}", self.address))
            for key, limit in counters:
                attempts, started = await _count(conn, key, limit, now)
                if attempts > limit.attempts:
                    waits.append((started + limit.window - now).total_seconds())
        if waits:
            raise TooManyRequests("too many attempts; try again later", retry_after=max(waits))

    async def succeeded(
        self, account_key: str, address: str | None, *, by_source: bool = False
    ) -> None:
        """Forget the account's failures (from this source, with ``by_source``, which also marks
        the source as known) and return the address's attempt."""
        async with self.db.write() as conn:
            if by_source:
                await conn.execute(
                    delete(throttle).where(throttle.c.key == per_source(account_key, address))
                )
                await _mark_known(conn, account_key, address)
                await _give_back(conn, account_key)  # the total counts failures only
            else:
                await conn.execute(delete(throttle).where(throttle.c.key == account_key))
            if address:
                await _give_back(conn, f"addr:{address}")


    async def clear(self, *account_keys: str) -> int:
        """Forget every counter of these accounts, from every source (reset, unlock); returns
        how many there were."""
        cleared = 0
        async with self.db.write() as conn:
            for key in account_keys:
                result = await conn.execute(delete(throttle).where(or_(
                    throttle.c.key == key,
                    throttle.c.key.startswith(f"{key}|", autoescape=True),
                )))
                cleared += result.rowcount or 0
        return cleared


async def _give_back(conn: AsyncConnection, key: str) -> None:
    await conn.execute(
        update(throttle)
        .where(throttle.c.key == key, throttle.c.attempts > 0)
        .values(attempts=throttle.c.attempts - 1)
    )


async def _known(conn: AsyncConnection, account_key: str, address: str | None,
                 now: datetime) -> bool:
    key = KNOWN + per_source(account_key, address)
    found = await conn.execute(select(throttle.c.key).where(
        throttle.c.key == key, throttle.c.window_start > now - KNOWN_FOR
    ))
    return found.first() is not None


async def _mark_known(conn: AsyncConnection, account_key: str, address: str | None) -> None:
    now = utcnow()
    await conn.execute(
        insert_for(conn, throttle)
        .values(key=KNOWN + per_source(account_key, address), window_start=now, attempts=0)
        .on_conflict_do_update(index_elements=["key"], set_={"window_start": now})
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
