"""Rotating the master key: every value moves to the new key, none stays readable with the
old one, and a rotation killed half-way finishes on the next run."""

from __future__ import annotations

import asyncio

import pytest
from jarvis.db import Database
from jarvis.keys import VAULT
from jarvis.services import crypto
from jarvis.services.vault_keys import VaultError, cred_table, read_state
from jarvis.services.vault_rotate import rotate
from sqlalchemy import func, select

from .processes import jarvis_argv, jarvis_env, run_jarvis
from .test_vault_startup import running

VALUES = {f"system:secret_{i:02d}": f"value-number-{i:02d}-xyz" for i in range(40)}


@pytest.fixture
async def db(database):
    handle = Database(database["url"], schema=database["schema"])
    yield handle
    await handle.dispose()


async def fill(vault_app, **settings) -> None:
    async with running(vault_app(**settings)) as app:
        for key, value in VALUES.items():
            await app[VAULT].put(key, value)


async def assert_all_readable(vault_app, **settings) -> None:
    async with running(vault_app(**settings)) as app:
        assert {k: await app[VAULT].get(k) for k in VALUES} == VALUES


async def none_open_with(db: Database, key: bytes) -> bool:
    async with db.read() as conn:
        rows = (await conn.execute(select(cred_table.c.key, cred_table.c.ciphertext))).all()
    for name, blob in rows:
        try:
            crypto.unseal(key, blob, crypto.credential_aad(name))
            return False
        except crypto.DecryptError:
            continue
    return True


async def test_password_to_password(vault_app, db, tmp_path):
    await fill(vault_app, master_password="old-password")
    old = await read_state(db)
    old_key = crypto.derive_key("old-password", old.salt, old.kdf)
    result = await rotate(db, tmp_path / "data", current_password="old-password",
                          new_password="new-password", batch_size=7)
    assert (result.rotated, result.mode, result.resumed) == (40, "password", False)
    await assert_all_readable(vault_app, master_password="new-password")
    assert await none_open_with(db, old_key)
    with pytest.raises(VaultError, match="wrong master password"):
        async with running(vault_app(master_password="old-password")):
            pass


async def test_key_file_to_password_and_back(vault_app, db, tmp_path):
    data = tmp_path / "data"
    await fill(vault_app)
    first_file_key = crypto.read_key_file(data / "vault.key")
    await rotate(db, data, current_password=None, new_password="now-a-password")
    assert not (data / "vault.key").exists()
    await assert_all_readable(vault_app, master_password="now-a-password")
    assert await none_open_with(db, first_file_key)

    result = await rotate(db, data, current_password="now-a-password", new_password=None)
    assert result.mode == "keyfile"
    new_file_key = crypto.read_key_file(data / "vault.key")
    assert new_file_key != first_file_key and not (data / "vault.key.next").exists()
    await assert_all_readable(vault_app)


async def test_rotation_refuses_to_start_over_an_unreadable_row(vault_app, db, tmp_path):
    await fill(vault_app, master_password="pw")
    async with db.write() as conn:
        blob = (await conn.execute(select(cred_table.c.ciphertext)
                                   .where(cred_table.c.key == "system:secret_00"))).scalar_one()
        await conn.execute(cred_table.update().where(cred_table.c.key == "system:secret_01")
                           .values(ciphertext=blob))
    with pytest.raises(VaultError, match="system:secret_01"):
        await rotate(db, tmp_path / "data", current_password="pw", new_password="pw2")
    assert (await read_state(db)).pending_version is None


async def moved(db: Database) -> int:
    async with db.read() as conn:
        query = select(func.count()).select_from(cred_table).where(cred_table.c.key_version == 2)
        return (await conn.execute(query)).scalar_one()


async def test_a_rotation_killed_half_way_is_finished_by_a_rerun(vault_app, db, tmp_path,
                                                                   database):
    data = tmp_path / "data"
    await fill(vault_app, master_password="old-password")
    old = await read_state(db)
    old_key = crypto.derive_key("old-password", old.salt, old.kdf)

    child = await asyncio.create_subprocess_exec(
        *jarvis_argv(database, "credentials", "rotate", "--new-password-stdin",
                     "--batch-size", "1", "--batch-delay", "0.05"),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
        env=jarvis_env(data, database, JARVIS_MASTER_PASSWORD="old-password"),
    )
    child.stdin.write(b"new-password\n")
    child.stdin.close()
    try:
        for _ in range(6000):  # a minute at most
            if await moved(db) >= 3 or child.returncode is not None:
                break
            await asyncio.sleep(0.01)
    finally:
        if child.returncode is None:
            child.kill()
        await child.wait()
    half = await moved(db)
    assert 0 < half < len(VALUES), "the kill should land half-way"
    assert (await read_state(db)).pending_version == 2

    with pytest.raises(VaultError, match="rotation was interrupted"):
        async with running(vault_app(master_password="old-password")):
            pass
    with pytest.raises(VaultError, match="different new master password"):
        await rotate(db, data, current_password="old-password", new_password="another-one")
    with pytest.raises(VaultError, match="rerun with the same|give the same new password"):
        await rotate(db, data, current_password="old-password", new_password=None)
    assert await moved(db) == half

    done = run_jarvis(data, database, "credentials", "rotate", "--new-password-stdin",
                      stdin="new-password\n", JARVIS_MASTER_PASSWORD="old-password")
    assert done.returncode == 0, done.stderr
    assert "resumed and finished" in done.stdout
    assert f"{len(VALUES) - half} credentials re-encrypted" in done.stdout

    await assert_all_readable(vault_app, master_password="new-password")
    assert await none_open_with(db, old_key)
    with pytest.raises(VaultError, match="wrong master password"):
        async with running(vault_app(master_password="old-password")):
            pass
