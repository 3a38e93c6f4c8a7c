"""The identity service (``app[IDENTITY]``): its parts, the authenticator, and their lifetime."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..background import stop_task
from ..db import Database
from ..keys import AUDIT, AUTHENTICATOR, CONFIG, DATABASE, IDENTITY, SETTINGS, VAULT
from ..tools import UserRef
from .apikeys import ApiKeyStore
from .authenticator import SessionAuthenticator
from .headers import security_headers
from .http import parse_networks
from .mfa import Mfa
from .passwords import PasswordHasher
from .revocations import RevocationListener
from .sessions import IDLE_TIMEOUT, SIGNING_KEY_NAME, SessionStore, shared_secret
from .throttle import Throttle
from .tokens import CookieSigner

if TYPE_CHECKING:
    from ..web import Principal

FLUSH_SECONDS = 10.0  # how often API-key last_used_at times are written


class Identity:
    """Users' credentials and sessions: the parts the routes, the CLI and tests use."""

    def __init__(
        self,
        db: Database,
        *,
        trusted_proxies: list[str] | None = None,
        vault: Callable[[], Any] | None = None,
        audit: Callable[[], Any] | None = None,
        issuer: Callable[[], str] = lambda: "Jarvis",
        idle_timeout: Callable[[], timedelta] = lambda: IDLE_TIMEOUT,
    ):
        self.db = db
        self.trusted = parse_networks(trusted_proxies or [])
        # Hashing is CPU- and memory-bound: a pool of its own, one thread per core, so a burst
        # of logins queues there instead of in the event loop or the shared default pool.
        self.executor = ThreadPoolExecutor(
            max_workers=os.cpu_count() or 2, thread_name_prefix="jarvis-kdf"
        )
        self.passwords = PasswordHasher(self.executor)
        self.sessions = SessionStore(db)
        self.keys = ApiKeyStore(db)
        self.throttle = Throttle(db)
        self.signer = CookieSigner()
        self.authenticator = SessionAuthenticator(
            self.sessions, self.keys, self.signer, self.trusted, idle_timeout=idle_timeout
        )
        self.revocations = (None if db.is_sqlite
                            else RevocationListener(db, self.authenticator.cache))
        self._vault = vault or _missing("vault")
        self.mfa = Mfa(db, self._vault, issuer)
        self._audit = audit or (lambda: None)

    async def start(self) -> None:
        """Load the shared cookie signing key (tables exist by now)."""
        key = await shared_secret(self.db, SIGNING_KEY_NAME)
        self.signer.load(bytes.fromhex(key))
        if self.revocations is not None:
            await self.revocations.start()

    async def close(self) -> None:
        if self.revocations is not None:
            await self.revocations.stop()
        await self.keys.flush()
        self.executor.shutdown(wait=False, cancel_futures=True)

    def forget_user(self, user_id: str) -> None:
        """Drop the user's cached sessions and keys in this process (the others hear of the
        change from the database, see :mod:`jarvis.auth.revocations`)."""
        self.authenticator.forget_user(user_id)

    async def forget_user_secrets(self, user_id: str) -> None:
        """Delete a deleted user's per-user secrets (``user:<id>:...``) from the vault."""
        vault = self._vault()
        for meta in await vault.list(f"user:{user_id}:"):
            await vault.delete(meta.key)

    async def record(
        self,
        action: str,
        *,
        kind: str = "security",
        user: UserRef | None = None,
        session_id: str | None = None,
        success: bool | None = None,
        summary: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Write one audit event (never with a password, code, key or token in it)."""
        audit = self._audit()
        if audit is None:
            return
        from ..services.audit import AuditEvent

        await audit.record(
            AuditEvent(
                kind=kind,
                action=action,
                user_id=(user.id or None) if user else None,  # the console has no id
                username=user.username if user else None,
                session_id=session_id,
                success=success,
                summary=summary,
                detail=detail or {},
            )
        )

    async def record_admin_change(
        self, actor: UserRef, action: str, summary: str, *, target_id: str, target: str,
        **detail: Any,
    ) -> None:
        """Audit a change an admin (``actor``) made to the account ``target``."""
        await self.record(action, kind="admin", user=actor, success=True, summary=summary,
                          detail={"target_id": target_id, "target": target, **detail})

    async def record_own_change(
        self, principal: Principal, action: str, summary: str, **detail: Any
    ) -> None:
        """Audit a change users made to their own account, in the session they made it in."""
        await self.record(action, kind="admin", user=principal.user,
                          session_id=principal.session_id, success=True, summary=summary,
                          detail=detail)

    async def record_failure(
        self, action: str, summary: str, *, user: UserRef | None = None,
        session_id: str | None = None, **detail: Any,
    ) -> None:
        """Audit a refused login, code or password (``detail``: where it came from, ...)."""
        await self.record(action, user=user, session_id=session_id, success=False,
                          summary=summary, detail=detail)


def _missing(name: str) -> Callable[[], Any]:
    def get() -> Any:
        raise RuntimeError(f"no {name} in this app")

    return get


def setup_identity(app: web.Application) -> None:
    """Create ``app[IDENTITY]`` and ``app[AUTHENTICATOR]`` (which also refuses credentials in
    query strings, before the access check tries them).
    Call after the database's cleanup context is registered."""
    ident = Identity(
        app[DATABASE],
        trusted_proxies=app[SETTINGS].trusted_proxies,
        vault=lambda: app[VAULT],
        audit=lambda: app[AUDIT],
        issuer=lambda: app[CONFIG].get("general").agent_name,
        idle_timeout=lambda: timedelta(hours=app[CONFIG].get("security").session_idle_hours),
    )
    app[IDENTITY] = ident
    app[AUTHENTICATOR] = ident.authenticator
    app.on_response_prepare.append(security_headers(ident.trusted))
    app.cleanup_ctx.append(_lifetime)


async def _lifetime(app: web.Application) -> AsyncIterator[None]:
    ident = app[IDENTITY]
    await ident.start()
    flusher = asyncio.create_task(_flush_forever(ident), name="jarvis-apikey-flush")
    yield
    await stop_task(flusher)
    await ident.close()


async def _flush_forever(ident: Identity) -> None:
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        await ident.keys.flush()
