"""The data folder, the SQLite database (with its -wal and -shm) and the vault's key file are
readable by the server's own account only, whatever the umask it was started with."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from jarvis.app import create_app
from jarvis.settings import Settings
from jarvis.testing.clients import create_user


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The umask of a careless service manager: everything created is world-readable."""
    old = os.umask(0)
    yield
    os.umask(old)


def sqlite_app(data: Path):
    settings = Settings(data_dir=data, database_url=f"sqlite+aiosqlite:///{data / 'jarvis.db'}")
    return create_app(settings, [])


async def test_a_fresh_data_folder_is_private(tmp_path, aiohttp_client, open_umask):
    data = tmp_path / "data"
    client = await aiohttp_client(sqlite_app(data))
    await create_user(client, "alice")  # a write: the WAL files exist now
    db = data / "jarvis.db"
    files = [db, data / "jarvis.db-wal", data / "jarvis.db-shm", data / "vault.key"]
    assert all(f.exists() for f in files)
    assert {str(f.name): mode(f) for f in files} == {str(f.name): 0o600 for f in files}
    assert mode(data) == 0o700
    # another local account cannot even list the folder, let alone open the files
    assert not mode(data) & (stat.S_IRWXG | stat.S_IRWXO)


async def test_loose_files_from_an_older_install_are_tightened(tmp_path, aiohttp_client,
                                                               open_umask):
    data = tmp_path / "data"
    client = await aiohttp_client(sqlite_app(data))
    await create_user(client, "alice")
    await client.close()
    for path in data.iterdir():
        path.chmod(0o644)
    data.chmod(0o755)

    client = await aiohttp_client(sqlite_app(data))
    await create_user(client, "bob")
    assert mode(data) == 0o700
    loose = {p.name: oct(mode(p)) for p in data.iterdir() if p.is_file() and mode(p) != 0o600}
    assert loose == {}
    assert {p.name for p in data.iterdir()} >= {"jarvis.db", "jarvis.db-wal", "vault.key"}
