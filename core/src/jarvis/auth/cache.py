"""A small time-bounded cache of who a session or an API key belongs to.

Authentication runs on every request, so a hit here saves the database read. Revocations made by
this process (logout, password change, disabling, key deletion) drop the entries at once; those
made by another process sharing the database take effect here within ``ttl`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEFAULT_TTL = 5.0
MAX_ENTRIES = 10_000


class AuthCache:
    """Entries keyed by a token hash, each tagged with its user so a user's can be dropped."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, str, Any]] = {}

    def get(self, key: str) -> Any | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            self._entries.pop(key, None)
            return None
        return entry[2]

    def put(self, key: str, user_id: str, value: Any) -> None:
        if len(self._entries) >= self.max_entries:
            # Rare (many distinct live credentials within one TTL): start afresh, never grow.
            self._entries.clear()
        self._entries[key] = (self._clock() + self.ttl, user_id, value)

    def drop(self, key: str) -> None:
        self._entries.pop(key, None)

    def drop_user(self, user_id: str) -> None:
        for key in [k for k, (_, uid, _) in self._entries.items() if uid == user_id]:
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()
