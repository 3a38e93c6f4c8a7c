"""``app[AUTHENTICATOR]``: who is calling, from an API key header or the session cookie.

The hot path: the cache, keyed by the credential as sent; on a miss a signature check, a hash
and one indexed Core read.
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
from .http import (
    Network,
    cookie_name,
    needs_same_origin,
    refused_query_credentials,
    same_origin,
)
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
            if not looks_like_api_key(key):
                return None
            hashed = token_hash(key)
            row = await self.keys.lookup(hashed)
            if row is None or not row.user_active:
                return None
            principal = Principal(row.user, "api_key", api_key_id=row.id)
            self.cache.put(key, hashed, row.user.id, principal)
        if principal.api_key_id is not None:
            self.keys.touch(principal.api_key_id)
        return principal

    async def from_cookie(self, cookie: str) -> Principal | None:
        """The session's caller, unless it expired or was idle longer than the idle timeout;
        each use (at most once a minute) moves its last request time on."""
        cached = self.cache.get(cookie)
        if cached is None:
            token = self.signer.unsign(cookie)
            if token is None:
                return None
            hashed = token_hash(token)
            row = await self.sessions.lookup(hashed)
            if row is None or not row.user_active:
                return None
            cached = (Principal(row.user, "cookie", session_id=row.id), row.expires_at,
                      row.last_seen_at, hashed)
            self.cache.put(cookie, hashed, row.user.id, cached)
        principal, expires_at, last_seen, hashed = cached
        now = utcnow()
        if expires_at <= now or last_seen + self.idle_timeout() <= now:
            self.cache.drop(hashed)
            return None
        if now - last_seen >= TOUCH_EVERY and principal.session_id is not None:
            await self.sessions.touch(principal.session_id, now)
            self.cache.put(cookie, hashed, principal.user.id, (principal, expires_at, now, hashed))
        return principal

    def forget(self, hashed: str) -> None:
        """Drop one cached session or key (after logout or key deletion)."""
        self.cache.drop(hashed)

    def forget_user(self, user_id: str) -> None:
        """Drop everything cached for a user (disabled, deleted, new role or password)."""
        self.cache.drop_user(user_id)
