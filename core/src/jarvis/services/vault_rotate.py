"""Re-encrypting every credential under a new master key, resumable after a crash.

The new key's state (mode, salt, verifier) is recorded as *pending* first; rows then move in
batches, each batch one transaction that rewrites the ciphertexts and tags them with the new
key version; the last transaction makes the pending key current. A rerun after a kill picks up
the rows still tagged with the old version.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from ..db import Database
from ..timeutil import utcnow
from . import crypto
from .vault_keys import STATE_ID, VaultError, cred_table, open_master_key, read_state, state_table


@dataclass(frozen=True, slots=True)
class RotationResult:
    rotated: int  # rows re-encrypted by this run
    mode: str  # the store's mode afterwards
    resumed: bool


async def rotate(
    db: Database,
    data_dir: Path,
    *,
    current_password: str | None,
    new_password: str | None,
    batch_size: int = 100,
    batch_delay: float = 0.0,
    progress: Callable[[int], None] | None = None,
) -> RotationResult:
    """Move the store to ``new_password`` (or, when None, to a new key file)."""
    if new_password == "":
        raise VaultError("the new master password is empty")
    current = await open_master_key(db, current_password, data_dir, for_rotation=True)
    state = await read_state(db)
    resumed = state.pending_version is not None
    if resumed:
        new_key = await _pending_key(state, new_password, data_dir)
        version, target = state.pending_version, state.pending_mode
    else:
        await _check_all_readable(db, current.key)
        version, target = current.version + 1, "password" if new_password else "keyfile"
        new_key = await _begin(db, data_dir, version, new_password)
    done = 0
    while True:
        moved = await _rotate_batch(db, current.key, current.version, new_key, version, batch_size)
        if not moved:
            break
        done += moved
        if progress:
            progress(done)
        if batch_delay:
            await asyncio.sleep(batch_delay)
    await _finish(db, data_dir, version, target, old_mode=current.mode)
    return RotationResult(done, target, resumed)


async def _pending_key(state, new_password: str | None, data_dir: Path) -> bytes:
    if state.pending_mode == "password":
        if not new_password:
            raise VaultError(
                "an interrupted rotation to a new master password is unfinished: "
                "give the same new password again to finish it"
            )
        key = await asyncio.to_thread(
            crypto.derive_key, new_password, state.pending_salt, state.pending_kdf
        )
        if not crypto.verifies(key, state.pending_verifier):
            raise VaultError(
                "an interrupted rotation to a different new master password is unfinished: "
                "give that same new password to finish it"
            )
        return key
    if new_password:
        raise VaultError(
            "an interrupted rotation to a new key file is unfinished: rerun with --to-key-file"
        )
    path = crypto.key_path(data_dir, crypto.NEXT_KEY_FILE)
    if not path.exists():
        raise VaultError(f"the new key file {path} of an unfinished rotation is missing")
    key = crypto.read_key_file(path)
    if not crypto.verifies(key, state.pending_verifier):
        raise VaultError(f"the key file {path} does not belong to the unfinished rotation")
    return key


async def _check_all_readable(db: Database, key: bytes) -> None:
    """Refuse to start when a row does not decrypt: it would block the rotation half-way."""
    async with db.read() as conn:
        rows = (await conn.execute(select(cred_table.c.key, cred_table.c.ciphertext))).all()
    bad = []
    for name, blob in rows:
        try:
            crypto.unseal(key, blob, crypto.credential_aad(name))
        except crypto.DecryptError:
            bad.append(name)
    if bad:
        raise VaultError(
            f"credentials that cannot be decrypted: {', '.join(bad[:5])}; "
            "set or delete them before rotating"
        )


async def _begin(db: Database, data_dir: Path, version: int, new_password: str | None) -> bytes:
    if new_password:
        salt, kdf = crypto.new_salt(), crypto.kdf_json()
        key = await asyncio.to_thread(crypto.derive_key, new_password, salt, kdf)
        mode = "password"
    else:
        # No pending state refers to an older .next file, so replacing it is safe.
        key = crypto.write_key_file(crypto.key_path(data_dir, crypto.NEXT_KEY_FILE), replace=True)
        salt, kdf, mode = None, "", "keyfile"
    async with db.write() as conn:
        await conn.execute(
            update(state_table).where(state_table.c.id == STATE_ID).values(
                pending_version=version, pending_mode=mode, pending_salt=salt, pending_kdf=kdf,
                pending_verifier=crypto.make_verifier(key), updated_at=utcnow(),
            )
        )
    return key


async def _rotate_batch(
    db: Database, old_key: bytes, old_version: int, new_key: bytes, version: int, size: int
) -> int:
    """Re-encrypt up to ``size`` rows still on the old key, in one transaction."""
    async with db.write() as conn:
        query = (
            select(cred_table.c.key, cred_table.c.ciphertext, cred_table.c.key_version)
            .where(cred_table.c.key_version != version)
            .order_by(cred_table.c.key)
            .limit(size)
        )
        rows = (await conn.execute(query)).all()
        for name, blob, row_version in rows:
            if row_version != old_version:
                raise VaultError(f"credential {name} is on an unknown key version {row_version}")
            aad = crypto.credential_aad(name)
            try:
                plain = crypto.unseal(old_key, blob, aad)
            except crypto.DecryptError:
                raise VaultError(
                    f"credential {name} cannot be decrypted; delete its row to finish the rotation"
                ) from None
            await conn.execute(
                update(cred_table).where(cred_table.c.key == name).values(
                    ciphertext=crypto.seal(new_key, plain, aad), key_version=version
                )
            )
    return len(rows)


async def _finish(db: Database, data_dir: Path, version: int, mode: str, *, old_mode: str) -> None:
    async with db.write() as conn:
        state = (
            await conn.execute(select(state_table).where(state_table.c.id == STATE_ID))
        ).one()
        await conn.execute(
            update(state_table).where(state_table.c.id == STATE_ID).values(
                mode=mode, salt=state.pending_salt, kdf=state.pending_kdf or "",
                verifier=state.pending_verifier, key_version=version, pending_version=None,
                pending_mode=None, pending_salt=None, pending_kdf=None, pending_verifier=None,
                updated_at=utcnow(),
            )
        )
    # After the commit: the start-up check finishes this step too if we die right here.
    if mode == "keyfile":
        os.replace(
            crypto.key_path(data_dir, crypto.NEXT_KEY_FILE), crypto.key_path(data_dir)
        )
    elif old_mode == "keyfile":
        crypto.key_path(data_dir).unlink(missing_ok=True)
