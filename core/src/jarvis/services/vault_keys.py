"""Obtaining the vault's master key at start-up: from the master password or the key file,
checked against the stored verifier, never silently replaced by a fresh one."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from ..db import Database
from ..models.tables import table_of
from ..models.vault import Credential, VaultState
from ..settings import SettingsError
from ..timeutil import utcnow
from . import crypto

STATE_ID = "main"
state_table = table_of(VaultState)
cred_table = table_of(Credential)


class VaultError(SettingsError):
    """The credential store cannot be opened; the message says why and what to do, in one line."""


@dataclass(frozen=True, slots=True)
class MasterKey:
    key: bytes
    version: int
    mode: str  # "password" | "keyfile"


async def read_state(db: Database) -> Any:
    async with db.read() as conn:
        return (await conn.execute(select(state_table).where(state_table.c.id == STATE_ID))).first()


async def open_master_key(
    db: Database, master_password: str | None, data_dir: Path, *, for_rotation: bool = False
) -> MasterKey:
    """The current master key, creating the store on first start (server start-up)."""
    state = await read_state(db)
    if state is None:
        if for_rotation:
            raise VaultError("there is no credential store yet: nothing to rotate")
        created = await _initialise(db, master_password, data_dir)
        if created is not None:
            return created
        state = await read_state(db)  # another process created it at the same moment
    if state.pending_version is not None and not for_rotation:
        raise VaultError(
            "a credential rotation was interrupted: run `jarvis credentials rotate` again "
            "with the same new password (or --to-key-file) to finish it"
        )
    if state.mode == "password":
        if not master_password:
            raise VaultError(
                "the credential store is encrypted with a master password: "
                "set JARVIS_MASTER_PASSWORD"
            )
        key = await asyncio.to_thread(crypto.derive_key, master_password, state.salt, state.kdf)
        if not crypto.verifies(key, state.verifier):
            raise VaultError(
                "wrong master password: JARVIS_MASTER_PASSWORD does not open the credential store"
            )
        return MasterKey(key, state.key_version, "password")
    if master_password and not for_rotation:
        raise VaultError(
            "JARVIS_MASTER_PASSWORD is set but the credential store is encrypted with the key "
            f"file {crypto.key_path(data_dir)}: run `jarvis credentials rotate` to move it to "
            "the master password, or unset JARVIS_MASTER_PASSWORD"
        )
    return MasterKey(_open_key_file(data_dir, state.verifier), state.key_version, "keyfile")


def _open_key_file(data_dir: Path, verifier: bytes) -> bytes:
    path = crypto.key_path(data_dir)
    nxt = crypto.key_path(data_dir, crypto.NEXT_KEY_FILE)
    key = _read_key(path) if path.exists() else None
    if key is not None and crypto.verifies(key, verifier):
        return key
    # A rotation to a new key file finished in the database but not on disk: finish it here.
    if nxt.exists() and crypto.verifies(_read_key(nxt), verifier):
        os.replace(nxt, path)
        return _read_key(path)
    if key is None:
        raise VaultError(
            f"the key file {path} is missing but the database holds credentials encrypted "
            "with it: restore the file from a backup (a new key would not open them)"
        )
    raise VaultError(
        f"the key file {path} does not open the credential store "
        "(is it from another installation?)"
    )


def _read_key(path: Path) -> bytes:
    try:
        return crypto.read_key_file(path)
    except ValueError as err:
        raise VaultError(str(err)) from None


async def _initialise(
    db: Database, master_password: str | None, data_dir: Path
) -> MasterKey | None:
    """Create the store's key state; None when another process won the race."""
    async with db.read() as conn:
        orphans = (await conn.execute(select(func.count()).select_from(cred_table))).scalar_one()
    if orphans:
        raise VaultError(
            "the database holds encrypted credentials but no vault key state: "
            "restore the vault_state table from a backup"
        )
    row: dict[str, Any] = {"id": STATE_ID, "key_version": 1, "updated_at": utcnow()}
    if master_password:
        salt, kdf = crypto.new_salt(), crypto.kdf_json()
        key = await asyncio.to_thread(crypto.derive_key, master_password, salt, kdf)
        row.update(mode="password", salt=salt, kdf=kdf)
    else:
        key = crypto.create_or_read_key_file(crypto.key_path(data_dir))
        row.update(mode="keyfile", salt=None, kdf="")
    row["verifier"] = crypto.make_verifier(key)
    try:
        async with db.write() as conn:
            if (await conn.execute(select(state_table.c.id))).first() is not None:
                return None
            await conn.execute(insert(state_table).values(**row))
    except IntegrityError:
        return None
    return MasterKey(key, 1, row["mode"])
