"""The Tier 1 whitelist, each user's trusted domains, and the one-time seed (no aiohttp here)."""

from __future__ import annotations

from typing import Any

from jarvis import EntryList, table_of, utcnow
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from .domains import suffixes
from .models import BrowserTrustedDomain, WebState, WebWhitelistEntry

tier1 = table_of(WebWhitelistEntry)
trusted = table_of(BrowserTrustedDomain)
state = table_of(WebState)

SEEDED = "whitelist_seeded"

# The Tier 1 domains (alphabetically) and each user's trusted ones.
TIER1 = EntryList(tier1, "domain", present="{} is already on the web whitelist",
                  absent="{} is not on the web whitelist")
TRUSTED = EntryList(trusted, "domain", per_user=True, present="you already trust {}",
                    absent="{} is not one of your trusted domains")


async def tier1_match(db: Any, host: str) -> str | None:
    """The Tier 1 domain covering ``host`` (itself or a parent domain), or None."""
    async with db.read() as conn:
        return (await conn.execute(
            select(tier1.c.domain).where(tier1.c.domain.in_(suffixes(host))).limit(1))).scalar()


async def trusted_match(db: Any, user_id: str, host: str) -> str | None:
    """The domain of the user's trusted list covering ``host``, or None."""
    async with db.read() as conn:
        return (await conn.execute(
            select(trusted.c.domain)
            .where(trusted.c.user_id == user_id, trusted.c.domain.in_(suffixes(host)))
            .limit(1))).scalar()


async def seed_once(db: Any, domains: list[str], note: str) -> bool:
    """Add the starter domains on a fresh install; never again (an admin may delete them).

    The marker and the domains go in one transaction, and the marker's insert is the one that
    can fail, so two servers starting on one database seed once.
    """
    dialect = sqlite if db.is_sqlite else postgresql
    async with db.write() as conn:
        marked = await conn.execute(
            dialect.insert(state).values(key=SEEDED, value=utcnow().isoformat())
            .on_conflict_do_nothing(index_elements=[state.c.key]))
        if not marked.rowcount:
            return False
        for domain in domains:
            await conn.execute(
                dialect.insert(tier1).values(domain=domain, note=note, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=[tier1.c.domain]))
    return True
