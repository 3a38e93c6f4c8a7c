"""The helpers the core gives every provider plugin: the listing cache and retry-after."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from jarvis import ListingCache, ModelInfo, retry_after


def test_retry_after_reads_seconds_milliseconds_and_dates():
    assert retry_after({"retry-after": "7"}) == 7.0
    assert retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    assert 100 < retry_after({"retry-after": later}) <= 120
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None and retry_after(None) is None


async def test_cache_shares_one_fetch_among_concurrent_callers():
    cache = ListingCache()
    calls = []

    async def fetch():
        calls.append(1)
        await asyncio.sleep(0.01)
        return [ModelInfo(id="x:y", name="y", provider="x")], False

    results = await asyncio.gather(*[cache.get_or_fetch("k", fetch) for _ in range(5)])
    assert len(calls) == 1
    assert all([m.id for m in r] == ["x:y"] for r in results)
    assert await cache.get_or_fetch("other key", fetch) and len(calls) == 2
