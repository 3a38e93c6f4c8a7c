"""Inbound hooks: a secret URL per agent, signed bodies, a replay window and a rate limit.

A sender signs ``<timestamp>.<body>`` with the hook's secret (HMAC-SHA256, hex) and sends
``X-Jarvis-Timestamp: <Unix seconds>`` and ``X-Jarvis-Signature: sha256=<hex>``. A request is
accepted once: the signature is remembered for the window, and the rate limit counts only
requests that were signed right, so a stranger cannot use up a hook's allowance.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from typing import Any

from jarvis import Conflict, NotAuthenticated, NotFound, OwnedRows, new_id
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .models import InboundHits, InboundHook, InboundSeen

hooks = InboundHook.__table__  # type: ignore[attr-defined]
seen = InboundSeen.__table__  # type: ignore[attr-defined]
hits = InboundHits.__table__  # type: ignore[attr-defined]
HOOKS = OwnedRows(hooks, missing="inbound webhook not found")

TIMESTAMP_HEADER = "X-Jarvis-Timestamp"
SIGNATURE_HEADER = "X-Jarvis-Signature"


class RateLimited(Exception):
    """The hook took its requests for this minute."""

    def __init__(self, retry_after: int):
        super().__init__("rate limited")
        self.retry_after = retry_after


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def secret_key(hook_id: str) -> str:
    return f"internal:webhooks:hook:{hook_id}:secret"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def out(row: Any) -> dict[str, Any]:
    return {"id": row.id, "user_id": row.user_id, "agent_id": row.agent_id, "name": row.name,
            "rate_limit": row.rate_limit, "enabled": bool(row.enabled),
            "created_at": row.created_at}


async def create(db: Any, vault: Any, user_id: str, agent_id: str, name: str,
                 rate_limit: int | None, now: Any) -> tuple[dict[str, Any], str, str]:
    """A new hook; returns it with its URL token and signing secret (shown this once)."""
    hook_id, token, secret = new_id(), secrets.token_urlsafe(32), secrets.token_hex(32)
    await vault.put(secret_key(hook_id), secret, f"inbound webhook {name}: signing secret")
    row = await HOOKS.create(db, user_id, id=hook_id, agent_id=agent_id, name=name,
                             token_hash=token_hash(token), rate_limit=rate_limit, enabled=True,
                             created_at=now)
    return out(row), token, secret


async def of_user(db: Any, user_id: str) -> list[Any]:
    return await HOOKS.rows(db, user_id)


async def remove(db: Any, vault: Any, user_id: str, hook_id: str) -> Any:
    row = await HOOKS.get(db, user_id, hook_id)
    async with db.write() as conn:
        await conn.execute(delete(hooks).where(hooks.c.id == hook_id))
    await vault.delete(secret_key(hook_id))
    return row


async def by_token(db: Any, token: str) -> Any:
    """The enabled hook behind a URL token; 404 for anything else."""
    async with db.read() as conn:
        row = (await conn.execute(select(hooks).where(
            hooks.c.token_hash == token_hash(token)))).first()
    if row is None or not row.enabled:
        raise NotFound("no such webhook")
    return row


def verify(secret: str, headers: Any, body: bytes, window: int, now: float) -> str:
    """The checked signature, or NotAuthenticated saying what is wrong."""
    stamp = headers.get(TIMESTAMP_HEADER, "")
    given = headers.get(SIGNATURE_HEADER, "")
    if not stamp.isdigit() or len(stamp) > 12:
        raise NotAuthenticated(f"{TIMESTAMP_HEADER}: required, in Unix seconds")
    if not hmac.compare_digest(sign(secret, stamp, body).encode(), given.encode()):
        raise NotAuthenticated(f"{SIGNATURE_HEADER}: the signature does not match")
    if abs(now - int(stamp)) > window:
        raise NotAuthenticated(
            f"{TIMESTAMP_HEADER}: outside the {window} s window (check the sender's clock)")
    return given


def _insert(db: Any, table: Any) -> Any:
    return (sqlite.insert if db.is_sqlite else postgresql.insert)(table)


async def admit(db: Any, hook: Any, signature: str, limit: int, window: int,
                now: Any) -> None:
    """Remember the signature and count the request, in one transaction: Conflict for a
    replay, RateLimited past the limit (then the signature is not remembered either)."""
    minute = int(time.time() // 60)
    digest = hashlib.sha256(signature.encode()).hexdigest()
    async with db.write() as conn:
        await conn.execute(delete(seen).where(
            seen.c.hook_id == hook.id, seen.c.seen_at < now - timedelta(seconds=2 * window)))
        fresh = await conn.execute(_insert(db, seen).values(
            hook_id=hook.id, signature=digest, seen_at=now).on_conflict_do_nothing())
        if fresh.rowcount != 1:
            raise Conflict("this request was received already (a replay)")
        await conn.execute(_insert(db, hits).values(
            hook_id=hook.id, minute=minute, count=0).on_conflict_do_nothing())
        counted = await conn.execute(update(hits).where(
            hits.c.hook_id == hook.id, hits.c.minute == minute, hits.c.count < limit,
        ).values(count=hits.c.count + 1))
        if counted.rowcount != 1:
            raise RateLimited(60 - int(time.time()) % 60)
        await conn.execute(delete(hits).where(hits.c.hook_id == hook.id,
                                              hits.c.minute < minute))
