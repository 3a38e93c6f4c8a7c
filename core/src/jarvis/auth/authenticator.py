"""``app[AUTHENTICATOR]``: who is calling, from an API key header or the session cookie.

The hot path: a signature check, then the cache, then one indexed Core read on a miss.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from ..errors import Forbidden
from ..timeutil import utcnow
from ..web import Principal
from .cache import AuthCache
from .http import Network, cookie_name, needs_same_origin, same_origin
from .sessions import IDLE_TIMEOUT, TOUCH_EVERY
from .tokens import CookieSigner, looks_like_api_key, token_hash

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


class SessionAuthenticator:
    """Resolve API keys and session cookies to a :class:`Principal`, with a short TTL cache."""

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

    async def authenticate(self, request: web.Request) -> Principal | None:
        key = api_key_from(request)
        if key is not None:
            return await self.from_api_key(key)
        cookie = request.cookies.get(cookie_name(request, self.trusted))
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
        if not looks_like_api_key(key):
            return None
        hashed = token_hash(key)
        principal = self.cache.get(hashed)
        if principal is None:
            row = await self.keys.lookup(hashed)
            if row is None or not row.user_active:
                return None
            principal = Principal(row.user, "api_key", api_key_id=row.id)
            self.cache.put(hashed, row.user.id, principal)
        if principal.api_key_id is not None:
            self.keys.touch(principal.api_key_id)
        return principal

    async def from_cookie(self, cookie: str) -> Principal | None:
        """The session's caller, unless it expired or was idle longer than the idle timeout;
        each use (at most once a minute) moves its last request time on."""
        token = self.signer.unsign(cookie)
        if token is None:
            return None
        hashed = token_hash(token)
        cached = self.cache.get(hashed)
        if cached is None:
            row = await self.sessions.lookup(hashed)
            if row is None or not row.user_active:
                return None
            cached = (
                Principal(row.user, "cookie", session_id=row.id), row.expires_at, row.last_seen_at
            )
            self.cache.put(hashed, row.user.id, cached)
        principal, expires_at, last_seen = cached
        now = utcnow()
        if expires_at <= now or last_seen + self.idle_timeout() <= now:
            self.cache.drop(hashed)
            return None
        if now - last_seen >= TOUCH_EVERY and principal.session_id is not None:
            await self.sessions.touch(principal.session_id, now)
            self.cache.put(hashed, principal.user.id, (principal, expires_at, now))
        return principal

    def forget(self, hashed: str) -> None:
        """Drop one cached session or key (after logout or key deletion)."""
        self.cache.drop(hashed)

    def forget_user(self, user_id: str) -> None:
        """Drop everything cached for a user (disabled, deleted, new role or password)."""
        self.cache.drop_user(user_id)
