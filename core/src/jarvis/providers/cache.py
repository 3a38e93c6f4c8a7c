"""A small time-limited cache for model listings, one per provider."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable

from .base import ModelInfo

LISTING_TTL = 3600.0  # vendors add models rarely; an hour keeps the listing cheap
FAILURE_TTL = 60.0  # a failing vendor is asked again soon, but not on every request


def fingerprint(*parts: str | None) -> str:
    """A short hash standing in for an API key (and base URL) as a cache key."""
    joined = "\x00".join(p or "" for p in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


class ListingCache:
    """The last listing per key, kept ``ttl`` seconds (``failure_ttl`` after a failure)."""

    def __init__(
        self,
        ttl: float = LISTING_TTL,
        failure_ttl: float = FAILURE_TTL,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.ttl = ttl
        self.failure_ttl = failure_ttl
        self.clock = clock
        self._key: str | None = None
        self._models: list[ModelInfo] = []
        self._expires = 0.0
        self._lock = asyncio.Lock()

    def get(self, key: str) -> list[ModelInfo] | None:
        """The cached listing for ``key`` if still fresh."""
        if self._key == key and self.clock() < self._expires:
            return list(self._models)
        return None

    def put(self, key: str, models: list[ModelInfo], *, failed: bool = False) -> None:
        """Remember a listing; a failed one (a fallback or []) is kept only briefly."""
        self._key = key
        self._models = list(models)
        self._expires = self.clock() + (self.failure_ttl if failed else self.ttl)

    def clear(self) -> None:
        """Forget the listing, so the next call asks the vendor."""
        self._key = None
        self._expires = 0.0

    async def get_or_fetch(
        self, key: str, fetch: Callable[[], Awaitable[tuple[list[ModelInfo], bool]]]
    ) -> list[ModelInfo]:
        """The cached listing, or ``fetch()`` (returning models, failed) once for all waiters."""
        if (hit := self.get(key)) is not None:
            return hit
        async with self._lock:
            if (hit := self.get(key)) is not None:
                return hit
            models, failed = await fetch()
            self.put(key, models, failed=failed)
            return list(models)
