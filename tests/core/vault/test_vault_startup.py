"""Opening the vault at start-up: key file or master password, never a fresh key over old
data, and one clear line when something is wrong."""

from __future__ import annotations

import stat
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from jarvis.keys import VAULT
from jarvis.services.vault_keys import VaultError

from .processes import run_jarvis


@asynccontextmanager
async def running(app: web.Application):
    runner = web.AppRunner(app)
    try:
        await runner.setup()
        yield app
    finally:
        await runner.cleanup()


async def test_without_a_master_password_a_0600_key_file_is_created(vault_app, tmp_path):
    async with running(vault_app()) as app:
        assert app[VAULT].mode == "keyfile"
        await app[VAULT].put("system:token", "kept-across-restarts")
    key_file = tmp_path / "data" / "vault.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    async with running(vault_app()) as app:
        assert await app[VAULT].get("system:token") == "kept-across-restarts"


async def test_wrong_master_password_stops_start_up(vault_app):
    async with running(vault_app(master_password="correct horse")) as app:
        assert app[VAULT].mode == "password"
        await app[VAULT].put("system:token", "guarded-value")
    with pytest.raises(VaultError, match="^wrong master password"):
        async with running(vault_app(master_password="battery staple")):
            pass
    async with running(vault_app(master_password="correct horse")) as app:
        assert await app[VAULT].get("system:token") == "guarded-value"


async def test_a_password_store_needs_the_password(vault_app):
    async with running(vault_app(master_password="pw-one")):
        pass
    with pytest.raises(VaultError, match="set JARVIS_MASTER_PASSWORD"):
        async with running(vault_app()):
            pass


async def test_a_missing_key_file_is_an_error_not_a_new_key(vault_app, tmp_path):
    async with running(vault_app()) as app:
        await app[VAULT].put("system:token", "needs-the-file")
    key_file = tmp_path / "data" / "vault.key"
    key_file.unlink()
    with pytest.raises(VaultError, match="key file .* is missing"):
        async with running(vault_app()):
            pass
    assert not key_file.exists()


async def test_a_key_file_from_elsewhere_does_not_open_the_store(vault_app, tmp_path):
    from jarvis.services.crypto import write_key_file

    async with running(vault_app()):
        pass
    write_key_file(tmp_path / "data" / "vault.key", replace=True)
    with pytest.raises(VaultError, match="does not open the credential store"):
        async with running(vault_app()):
            pass


async def test_setting_a_password_on_a_key_file_store_asks_for_rotation(vault_app):
    async with running(vault_app()):
        pass
    with pytest.raises(VaultError, match="jarvis credentials rotate"):
        async with running(vault_app(master_password="new-pw")):
            pass


async def test_serve_prints_one_line_for_a_wrong_master_password(vault_app, tmp_path, database):
    async with running(vault_app(master_password="correct horse")):
        pass
    done = run_jarvis(tmp_path / "data", database, "serve", "--port", "0",
                      JARVIS_MASTER_PASSWORD="wrong")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line.lower()]
    assert errors == [
        "jarvis: error: wrong master password: JARVIS_MASTER_PASSWORD does not open the "
        "credential store"
    ]
