"""The Tier 1 whitelist, each user's trusted domains, and the one-time seed (no aiohttp here)."""

from __future__ import annotations

from typing import Any

from jarvis import Conflict, NotFound, iso, utcnow
from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from .domains import suffixes
from .models import BrowserTrustedDomain, WebState, WebWhitelistEntry

tier1 = WebWhitelistEntry.__table__  # type: ignore[attr-defined]
trusted = BrowserTrustedDomain.__table__  # type: ignore[attr-defined]
state = WebState.__table__  # type: ignore[attr-defined]

SEEDED = "whitelist_seeded"


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [{"domain": r.domain, "note": r.note, "created_at": iso(r.created_at)} for r in rows]


async def list_tier1(db: Any) -> list[dict[str, Any]]:
    """Every Tier 1 domain, alphabetically."""
    async with db.read() as conn:
        return _rows((await conn.execute(select(tier1).order_by(tier1.c.domain))).all())


async def add_tier1(db: Any, domain: str, note: str) -> None:
    """Whitelist a normalised domain; Conflict when it is there already."""
    try:
        async with db.write() as conn:
            await conn.execute(insert(tier1).values(domain=domain, note=note, created_at=utcnow()))
    except IntegrityError:
        raise Conflict(f"{domain} is already on the web whitelist") from None


async def remove_tier1(db: Any, domain: str) -> None:
    """Take a domain off the whitelist; NotFound when it is not on it."""
    async with db.write() as conn:
        result = await conn.execute(delete(tier1).where(tier1.c.domain == domain))
    if not result.rowcount:
        raise NotFound(f"{domain} is not on the web whitelist")


async def list_trusted(db: Any, user_id: str) -> list[dict[str, Any]]:
    """The domains one user trusts, alphabetically."""
    async with db.read() as conn:
        rows = (await conn.execute(
            select(trusted).where(trusted.c.user_id == user_id).order_by(trusted.c.domain))).all()
    return _rows(rows)


async def add_trusted(db: Any, user_id: str, domain: str, note: str) -> None:
    """Trust a normalised domain for one user; Conflict when they trust it already."""
    try:
        async with db.write() as conn:
            await conn.execute(insert(trusted).values(
                user_id=user_id, domain=domain, note=note, created_at=utcnow()))
    except IntegrityError:
        raise Conflict(f"you already trust {domain}") from None


async def remove_trusted(db: Any, user_id: str, domain: str) -> None:
    """Stop trusting a domain; NotFound when the user does not trust it."""
    async with db.write() as conn:
        result = await conn.execute(
            delete(trusted).where(trusted.c.user_id == user_id, trusted.c.domain == domain))
    if not result.rowcount:
        raise NotFound(f"{domain} is not one of your trusted domains")


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
