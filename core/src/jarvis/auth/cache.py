"""A small time-bounded cache of who a session or an API key belongs to.

Authentication runs on every request, so a hit here saves the signature check, the hash and the
database read. Revocations made by this process (logout, password change, disabling, key
deletion) drop the entries at once; on PostgreSQL those made anywhere else arrive as
notifications (:mod:`jarvis.auth.revocations`); on SQLite a change made outside the server
process takes effect within ``ttl`` seconds.

A lookup that was under way while a revocation arrived may have read the row before it went:
:meth:`AuthCache.put` refuses what was read before the latest drop (see ``generation``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEFAULT_TTL = 5.0
MAX_ENTRIES = 10_000


class AuthCache:
    """Entries keyed by the credential as presented (so a hit needs no signature check or hash),
    each tagged with its token's hash and its user, so either can drop it. At most
    ``max_entries``: the oldest goes first. While ``enabled`` is False (revocations from other
    processes cannot be heard), nothing is served."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.ttl = ttl
        self.max_entries = max_entries
        self._enabled = True
        self._clock = clock
        self._entries: dict[str, tuple[float, str, str, Any]] = {}
        self._by_hash: dict[str, str] = {}
        # Moves on with every drop: a value read from the database before it may be stale.
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._enabled = value
        self.generation += 1

    def get(self, key: str) -> Any | None:
        entry = self._entries.get(key)
        if entry is None or not self._enabled:
            return None
        if entry[0] <= self._clock():
            self._remove(key)
            return None
        return entry[3]

    def put(self, key: str, hashed: str, user_id: str, value: Any,
            read_at: int | None = None) -> None:
        """Keep ``value``; ``read_at``: the :attr:`generation` when it was read from the
        database (nothing is kept when a drop came since)."""
        if not self._enabled or (read_at is not None and read_at != self.generation):
            return
        self._remove(self._by_hash.get(hashed, key))
        if len(self._entries) >= self.max_entries:
            self._remove(next(iter(self._entries)))  # the oldest
        self._entries[key] = (self._clock() + self.ttl, hashed, user_id, value)
        self._by_hash[hashed] = key

    def drop(self, hashed: str) -> None:
        """Drop the entry of a token or key hash."""
        self.generation += 1
        key = self._by_hash.get(hashed)
        if key is not None:
            self._remove(key)

    def drop_user(self, user_id: str) -> None:
        self.generation += 1
        for key in [k for k, entry in self._entries.items() if entry[2] == user_id]:
            self._remove(key)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()
        self._by_hash.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _remove(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None and self._by_hash.get(entry[1]) == key:
            del self._by_hash[entry[1]]
