"""The trigger's reading progress and the daily counters, straight against the database."""

import asyncio

from jarvis.testing.plugins import contributions, plugin_context
from jarvis_email import seen, whitelist
from jarvis_email.models import EmailSendCount
from sqlalchemy import insert, select


async def test_a_message_is_claimed_once_even_by_racing_processes(anon_client):
    db = plugin_context(anon_client, "email").db
    assert await seen.start(db, "acc1", "INBOX", uidvalidity=7, highest=10) == 10
    assert await seen.start(db, "acc1", "INBOX", uidvalidity=7, highest=12) == 10  # kept
    claims = await asyncio.gather(*(seen.claim(db, "acc1", "INBOX", 7, 11) for _ in range(8)))
    assert claims.count(True) == 1
    assert not await seen.claim(db, "acc1", "INBOX", 7, 9)  # handled before the baseline


async def test_a_renumbered_folder_starts_from_its_new_top(anon_client):
    db = plugin_context(anon_client, "email").db
    await seen.start(db, "acc1", "INBOX", uidvalidity=7, highest=500)
    # the server rebuilt the folder: old UIDs mean nothing, what is there now counts as seen
    assert await seen.start(db, "acc1", "INBOX", uidvalidity=8, highest=3) == 3
    assert not await seen.claim(db, "acc1", "INBOX", 7, 501)
    assert await seen.claim(db, "acc1", "INBOX", 8, 4)


async def test_old_daily_counts_are_pruned(anon_client):
    db = plugin_context(anon_client, "email").db
    table = EmailSendCount.__table__
    # The mail trigger prunes once a day, starting now: let it go first, so the counts below
    # are pruned by this test's call alone.
    trigger = next(t for t in contributions(anon_client).triggers if t.name == "email")
    for _ in range(500):
        if trigger._pruned == whitelist.today():
            break
        await asyncio.sleep(0.01)
    assert trigger._pruned == whitelist.today()
    async with db.write() as conn:
        await conn.execute(insert(table).values(email="a@example.com", day="2020-01-01", count=3))
        await conn.execute(insert(table).values(
            email="a@example.com", day=whitelist.today(), count=1))
    assert await whitelist.prune(db) == 1
    async with db.read() as conn:
        days = (await conn.execute(select(table.c.day))).scalars().all()
    assert days == [whitelist.today()]
