"""The credential vault: every secret the system keeps, encrypted with AES-256-GCM.

Key namespaces: ``system:<name>`` (system secrets), ``user:<user_id>:<name>`` (a user's plugin
secrets), ``internal:<...>`` (TOTP secrets and the like). The API lists and returns only keys
outside ``user:`` and ``internal:``; those are reached through their owners' features.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from ..db import Database
from ..errors import BadRequest, Conflict
from ..timeutil import utcnow
from . import crypto
from .vault_keys import MasterKey, VaultError, cred_table, open_master_key

log = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")
MAX_VALUE_CHARS = 65_536
MAX_DESCRIPTION_CHARS = 500
RESERVED_PREFIXES = ("user:", "internal:")
CACHE_SECONDS = 30.0  # decrypted values stay in memory this long (other processes' writes)
MIN_REDACTED_LENGTH = 6  # shorter stored values are too likely to match ordinary text

__all__ = ["CredentialMeta", "CredentialUnreadable", "UserCredentials", "Vault", "VaultError"]


class CredentialUnreadable(Conflict):
    """A stored ciphertext does not decrypt: altered, or copied from another credential.

    409: the stored state conflicts with the request; setting the value again resolves it.
    """


@dataclass(frozen=True, slots=True)
class CredentialMeta:
    key: str
    description: str
    updated_at: datetime


def validate_key(key: object, field: str = "key") -> str:
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise BadRequest(f"{field}: must be 1-200 characters of A-Z a-z 0-9 _ . : -")
    return key


def is_reserved(key: str) -> bool:
    """Keys the credentials API never lists, returns or writes."""
    return key.lower().startswith(RESERVED_PREFIXES)


class Vault:
    """Encrypted key-value store for secrets. ``open()`` runs at start-up, before other
    subsystems; ``get`` may raise :class:`CredentialUnreadable` for a tampered row."""

    def __init__(self, db: Database, *, master_password: str | None, data_dir: Path):
        self.db = db
        self._password = master_password
        self._data_dir = Path(data_dir)
        self._master: MasterKey | None = None
        self._cache: dict[str, tuple[float, str | None]] = {}
        self._fp_key = secrets.token_bytes(32)
        self._fingerprints: set[bytes] = set()

    @property
    def mode(self) -> str | None:
        return self._master.mode if self._master else None

    async def open(self) -> None:
        """Obtain the master key (raises VaultError with a one-line reason) and learn the
        stored values' fingerprints, so the audit log can redact them."""
        self._master = await open_master_key(self.db, self._password, self._data_dir)
        async with self.db.read() as conn:
            rows = (await conn.execute(select(cred_table.c.key, cred_table.c.ciphertext))).all()
        for key, blob in rows:
            try:
                self._remember(self._decrypt(key, blob))
            except CredentialUnreadable:
                log.warning("credential %s cannot be decrypted", key)

    def _key(self) -> MasterKey:
        if self._master is None:
            raise RuntimeError("the vault is not open yet")
        return self._master

    def _decrypt(self, key: str, blob: bytes) -> str:
        try:
            return crypto.unseal(self._key().key, blob, crypto.credential_aad(key)).decode()
        except (crypto.DecryptError, UnicodeDecodeError):
            raise CredentialUnreadable(
                "credential cannot be decrypted",
                f"the stored value of {key!r} was altered or copied from another credential; "
                "set it again",
            ) from None

    def _fingerprint(self, value: str) -> bytes:
        return hmac.new(self._fp_key, value.encode(), hashlib.sha256).digest()

    def _remember(self, value: str) -> None:
        if len(value) >= MIN_REDACTED_LENGTH:
            self._fingerprints.add(self._fingerprint(value))

    def is_secret(self, text: str) -> bool:
        """True when ``text`` equals a stored secret value (for redaction)."""
        return len(text) >= MIN_REDACTED_LENGTH and self._fingerprint(text) in self._fingerprints

    async def get(self, key: str) -> str | None:
        """The decrypted value, or None when there is no such credential."""
        hit = self._cache.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        async with self.db.read() as conn:
            blob = (
                await conn.execute(select(cred_table.c.ciphertext).where(cred_table.c.key == key))
            ).scalar_one_or_none()
        value = None if blob is None else self._decrypt(key, blob)
        if value is not None:
            self._remember(value)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (time.monotonic() + CACHE_SECONDS, value)
        return value

    async def put(self, key: str, value: str, description: str | None = "") -> None:
        """Create or replace a credential (``description=None`` keeps the stored one)."""
        validate_key(key)
        if not isinstance(value, str) or not value:
            raise BadRequest("value: must be a non-empty string")
        if len(value) > MAX_VALUE_CHARS:
            raise BadRequest(f"value: longer than {MAX_VALUE_CHARS} characters")
        if description is not None and len(description) > MAX_DESCRIPTION_CHARS:
            raise BadRequest(f"description: longer than {MAX_DESCRIPTION_CHARS} characters")
        master = self._key()
        blob = crypto.seal(master.key, value.encode(), crypto.credential_aad(key))
        now = utcnow()
        row = {"key": key, "description": description or "", "ciphertext": blob,
               "key_version": master.version, "created_at": now, "updated_at": now}
        dialect = postgresql if not self.db.is_sqlite else sqlite
        stmt = dialect.insert(cred_table).values(**row)
        changed = ["ciphertext", "key_version", "updated_at"]
        if description is not None:
            changed.append("description")
        stmt = stmt.on_conflict_do_update(
            index_elements=[cred_table.c.key], set_={k: stmt.excluded[k] for k in changed}
        )
        async with self.db.write() as conn:
            await conn.execute(stmt)
        self._remember(value)
        self._cache.pop(key, None)

    async def delete(self, key: str) -> bool:
        """Remove a credential; False when there was none."""
        async with self.db.write() as conn:
            result = await conn.execute(delete(cred_table).where(cred_table.c.key == key))
        self._cache.pop(key, None)
        return bool(result.rowcount)

    async def list(self, prefix: str | None = None) -> list[CredentialMeta]:
        """Every credential's key, description and time of change (never values)."""
        query = select(cred_table.c.key, cred_table.c.description, cred_table.c.updated_at)
        if prefix:
            query = query.where(cred_table.c.key.startswith(prefix, autoescape=True))
        return await self._metas(query)

    async def list_public(self) -> builtins.list[CredentialMeta]:
        """The credentials the API may show: outside the ``user:`` and ``internal:`` spaces."""
        lowered = func.lower(cred_table.c.key)
        query = select(cred_table.c.key, cred_table.c.description, cred_table.c.updated_at)
        query = query.where(~or_(*(lowered.startswith(p) for p in RESERVED_PREFIXES)))
        return await self._metas(query)

    async def entry(self, key: str) -> tuple[CredentialMeta, str] | None:
        """A credential's metadata and decrypted value in one read (not cached)."""
        c = cred_table.c
        async with self.db.read() as conn:
            row = (await conn.execute(
                select(c.description, c.updated_at, c.ciphertext).where(c.key == key)
            )).first()
        if row is None:
            return None
        value = self._decrypt(key, row.ciphertext)
        self._remember(value)
        return CredentialMeta(key, row.description, row.updated_at), value

    async def exists(self, key: str) -> bool:
        async with self.db.read() as conn:
            query = select(cred_table.c.key).where(cred_table.c.key == key)
            return (await conn.execute(query)).first() is not None

    async def _metas(self, query) -> builtins.list[CredentialMeta]:
        async with self.db.read() as conn:
            rows = (await conn.execute(query.order_by(cred_table.c.key))).all()
        return [CredentialMeta(k, d, u) for k, d, u in rows]

    def for_user(self, user_id: str) -> UserCredentials:
        """The view a tool gets (``ToolContext.credentials``): system secrets and its user's."""
        return UserCredentials(self, user_id)


class UserCredentials:
    """One user's view of the vault: ``system:`` keys and their own ``user:<id>:`` keys."""

    def __init__(self, vault: Vault, user_id: str):
        self._vault = vault
        self._prefix = f"user:{user_id}:"

    async def get(self, key: str) -> str | None:
        if key.startswith("system:") or key.startswith(self._prefix):
            return await self._vault.get(key)
        return None

    async def get_user(self, name: str) -> str | None:
        return await self._vault.get(self._prefix + name)

    async def set_user(self, name: str, value: str) -> None:
        await self._vault.put(self._prefix + name, value)

    async def delete_user(self, name: str) -> bool:
        return await self._vault.delete(self._prefix + name)
