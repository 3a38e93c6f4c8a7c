"""``app[AUTHENTICATOR]``: who is calling, from an API key header or the session cookie.

The hot path: the cache, keyed by the credential as sent; on a miss a signature check, a hash
and one indexed Core read. No ORM session anywhere on it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..errors import Forbidden
from ..web import Principal
from .cache import AuthCache
from .http import (
    Network,
    cookie_name,
    needs_same_origin,
    refused_query_credentials,
    same_origin,
)
from .sessions import IDLE_TIMEOUT, TOUCH_EVERY
from .tokens import CookieSigner, looks_like_api_key, token_hash

TOUCH_SECONDS = TOUCH_EVERY.total_seconds()

if TYPE_CHECKING:
    from .apikeys import ApiKeyStore
    from .sessions import SessionStore


def api_key_from(request: web.Request) -> str | None:
    """The key in ``X-API-Key`` or ``Authorization: Bearer`` (a present but wrong one is refused,
    never passed over for the cookie). Other schemes, e.g. a proxy's Basic auth, are not ours."""
    key = request.headers.get("X-API-Key")
    if key is not None:
        return key.strip()
    auth = request.headers.get("Authorization")
    if auth is None:
        return None
    scheme, _, value = auth.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def cookie_value(request: web.Request, name: str) -> str | None:
    """The cookie ``name`` as ``request.cookies`` has it (the last one of that name), found
    without parsing the whole header; a quoted value is left to the full parser."""
    header = request.headers.get("Cookie")
    if not header or name not in header:
        return None
    found = None
    for part in header.split(";"):
        key, sep, value = part.partition("=")
        if sep and key.strip() == name:
            found = value.strip()
    if found is not None and found.startswith('"'):
        return request.cookies.get(name)
    return found


@dataclass(slots=True)
class _Session:
    """A verified session cookie as the cache keeps it; times in seconds since the epoch."""

    principal: Principal
    hashed: str
    expires: float
    seen: float = 0.0  # the last request time written to the row
    # Until when a request needs no further check: the row's last request time is under
    # TOUCH_EVERY old (the idle timeout, an hour at least, cannot have passed) and it has not
    # expired.
    fresh_until: float = 0.0

    def saw(self, when: float) -> None:
        self.seen = when
        self.fresh_until = min(self.expires, when + TOUCH_SECONDS)


class SessionAuthenticator:
    """Resolve API keys and session cookies to a :class:`Principal`, with a short TTL cache.

    A hit costs a dictionary look-up and a clock read; concurrent misses of one credential
    share one database read."""

    def __init__(
        self,
        sessions: SessionStore,
        keys: ApiKeyStore,
        signer: CookieSigner,
        trusted_proxies: list[Network],
        cache: AuthCache | None = None,
        idle_timeout: Callable[[], timedelta] = lambda: IDLE_TIMEOUT,
    ):
        self.sessions = sessions
        self.keys = keys
        self.signer = signer
        self.trusted = trusted_proxies
        self.cache = cache or AuthCache()
        self.idle_timeout = idle_timeout
        self._loading: dict[str, tuple[int, asyncio.Future[Any]]] = {}

    def refuse_query_credentials(self, request: web.Request) -> web.Response | None:
        """The 400 answer when the query string carries a credential (never tried), else None."""
        return refused_query_credentials(request)

    async def authenticate(self, request: web.Request) -> Principal | None:
        key = api_key_from(request)
        if key is not None:
            return await self.from_api_key(key)
        cookie = cookie_value(request, cookie_name(request, self.trusted))
        if not cookie:
            return None
        found = await self.from_cookie(cookie)
        if (
            found is not None
            and needs_same_origin(request)
            and not same_origin(request, self.trusted)
        ):
            raise Forbidden(
                "cross-origin request refused",
                "cookie-authenticated requests that change state need this server's Origin",
            )
        return found

    async def from_api_key(self, key: str) -> Principal | None:
        principal = self.cache.get(key)
        if principal is None:
            principal = await self._once(key, self._load_key)
            if principal is None:
                return None
        if principal.api_key_id is not None:
            self.keys.touch(principal.api_key_id)
        return principal

    async def from_cookie(self, cookie: str) -> Principal | None:
        """The session's caller, unless it expired or was idle longer than the idle timeout;
        each use (at most once a minute) moves its last request time on."""
        cached = self.cache.get(cookie)
        if cached is None:
            cached = await self._once(cookie, self._load_session)
            if cached is None:
                return None
        now = time.time()
        if now < cached.fresh_until:
            return cached.principal
        if cached.expires <= now or cached.seen + self.idle_timeout().total_seconds() <= now:
            self.cache.drop(cached.hashed)
            return None
        cached.saw(now)  # before the write, so that concurrent requests do not write too
        if cached.principal.session_id is not None:
            await self.sessions.touch(
                cached.principal.session_id, datetime.fromtimestamp(now, UTC).replace(tzinfo=None))
        return cached.principal

    async def _once(self, credential: str, load: Callable[[str], Awaitable[Any]]) -> Any:
        """``load(credential)``, shared by the requests that miss the cache meanwhile (never
        with one that arrives after a revocation: that one reads again)."""
        generation = self.cache.generation
        pending = self._loading.get(credential)
        if pending is None or pending[0] != generation:
            future = asyncio.ensure_future(load(credential))
            pending = self._loading[credential] = (generation, future)
            future.add_done_callback(lambda _done: self._done_loading(credential, future))
        return await asyncio.shield(pending[1])

    def _done_loading(self, credential: str, future: asyncio.Future[Any]) -> None:
        pending = self._loading.get(credential)
        if pending is not None and pending[1] is future:
            del self._loading[credential]

    async def _load_key(self, key: str) -> Principal | None:
        if not looks_like_api_key(key):
            return None
        read_at = self.cache.generation
        hashed = token_hash(key)
        row = await self.keys.lookup(hashed)
        if row is None or not row.user_active:
            return None
        principal = Principal(row.user, "api_key", api_key_id=row.id)
        self.cache.put(key, hashed, row.user.id, principal, read_at)
        return principal

    async def _load_session(self, cookie: str) -> _Session | None:
        token = self.signer.unsign(cookie)
        if token is None:
            return None
        read_at = self.cache.generation
        hashed = token_hash(token)
        row = await self.sessions.lookup(hashed)
        if row is None or not row.user_active:
            return None
        cached = _Session(Principal(row.user, "cookie", session_id=row.id), hashed,
                          _epoch(row.expires_at))
        cached.saw(_epoch(row.last_seen_at))
        self.cache.put(cookie, hashed, row.user.id, cached, read_at)
        return cached

    def forget(self, hashed: str) -> None:
        """Drop one cached session or key (after logout or key deletion)."""
        self.cache.drop(hashed)

    def forget_user(self, user_id: str) -> None:
        """Drop everything cached for a user (disabled, deleted, new role or password)."""
        self.cache.drop_user(user_id)


def _epoch(naive_utc: datetime) -> float:
    return naive_utc.replace(tzinfo=UTC).timestamp()
