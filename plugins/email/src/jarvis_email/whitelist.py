"""The recipient whitelist and its daily counters (no aiohttp here: routes, tools and the
trigger all call it)."""

from __future__ import annotations

from typing import Any

from jarvis import EntryList, table_of, utcnow
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .models import EmailSendCount, EmailWhitelistEntry

entries = table_of(EmailWhitelistEntry)
counts = table_of(EmailSendCount)


class QuotaRefused(Exception):
    """A recipient is not whitelisted (any more) or has no sends left today."""

    def __init__(self, recipient: str, reason: str):
        super().__init__(f"{recipient}: {reason}")
        self.recipient = recipient
        self.reason = reason


def today() -> str:
    """The UTC day the counters count in."""
    return utcnow().date().isoformat()


# The whitelisted (normalised) addresses, oldest first, each with its daily limit.
ENTRIES = EntryList(entries, "email", order_by=("created_at", "email"),
                    present="{} is already on the email whitelist",
                    absent="{} is not on the email whitelist")


async def remove_entry(db: Any, email: str) -> None:
    """Take an address off the whitelist, with its counts; NotFound when it is not on it."""
    async with db.write() as conn:
        await ENTRIES.remove(db, email, conn=conn)
        await conn.execute(delete(counts).where(counts.c.email == email))


async def lookup(db: Any, email: str) -> tuple[int, int] | None:
    """(daily_limit, sent today) of a whitelisted address, or None when it is not listed."""
    async with db.read() as conn:
        row = (await conn.execute(
            select(entries.c.daily_limit, counts.c.count)
            .select_from(entries.outerjoin(
                counts, (counts.c.email == entries.c.email) & (counts.c.day == today())))
            .where(entries.c.email == email)
        )).first()
    return None if row is None else (row.daily_limit, row.count or 0)


async def reserve(db: Any, recipients: list[str]) -> str:
    """Count one mail to each recipient today, all or none; QuotaRefused names the first
    recipient that is not whitelisted or has reached its daily limit.

    Each count is one conditional upsert (``... DO UPDATE ... WHERE count < limit``), so
    parallel sends never pass a limit; recipients are taken in a fixed order so two sends to
    the same people cannot deadlock. Returns the day counted in (for :func:`release`).
    """
    day = today()
    dialect = sqlite if db.is_sqlite else postgresql
    # QuotaRefused raised inside the transaction rolls it back: nobody's count moves.
    async with db.write() as conn:
        for email in sorted(set(recipients)):
            limit = (await conn.execute(
                select(entries.c.daily_limit).where(entries.c.email == email))).scalar()
            if limit is None:
                raise QuotaRefused(email, "not on the email whitelist")
            stmt = dialect.insert(counts).values(email=email, day=day, count=1)
            stmt = stmt.on_conflict_do_update(
                index_elements=[counts.c.email, counts.c.day],
                set_={"count": counts.c.count + 1},
                where=(counts.c.count < limit) if limit > 0 else None,
            ).returning(counts.c.count)
            if (await conn.execute(stmt)).scalar() is None:
                raise QuotaRefused(
                    email, f"reached its daily limit of {limit} mail{'s' * (limit != 1)}")
    return day


async def prune(db: Any, keep_days: int = 2) -> int:
    """Forget the counts of days long past (they limit nothing any more)."""
    from datetime import timedelta

    cutoff = (utcnow().date() - timedelta(days=keep_days)).isoformat()
    async with db.write() as conn:
        result = await conn.execute(delete(counts).where(counts.c.day < cutoff))
    return result.rowcount or 0


async def release(db: Any, recipients: list[str], day: str | None = None) -> None:
    """Give back the counts of a mail that did not go out."""
    day = day or today()
    async with db.write() as conn:
        for email in sorted(set(recipients)):
            await conn.execute(
                update(counts)
                .where(counts.c.email == email, counts.c.day == day, counts.c.count > 0)
                .values(count=counts.c.count - 1))
