"""A backup taken while writes go on restores, with its key file, to a server with the same data:
a consistent snapshot (no write half there), credentials readable, the audit chain intact."""

from __future__ import annotations

import asyncio
import tarfile

import jarvis
import pytest
from jarvis.services.backup import BackupError, backup, restore
from jarvis.testing.clients import PASSWORD, running


async def _writer(client, prefix: str, done: list[str], stop: asyncio.Event) -> None:
    i = 0
    while not stop.is_set():
        resp = await client.post("/api/agents", json={"name": f"{prefix}{i}", "prompt": "p"})
        assert resp.status == 201, await resp.text()
        done.append(f"{prefix}{i}")
        i += 1


def _contiguous(names: set[str], prefix: str) -> int:
    numbers = sorted(int(n[len(prefix):]) for n in names if n.startswith(prefix))
    assert numbers == list(range(len(numbers))), f"{prefix}: a gap in {numbers}"
    return len(numbers)


async def test_a_backup_during_writes_restores_the_same_data(make_app, make_settings, database,
                                                             tmp_path):
    settings = make_settings()
    archive = tmp_path / "backups" / "jarvis.tar.gz"
    async with running(make_app(settings=settings)) as anon:
        admin = await anon.as_user("admin")
        resp = await admin.post("/api/credentials", json={"key": "system:mail", "value": "pw-1"})
        assert resp.status in (200, 201)
        alice, bob = await anon.as_user("user"), await anon.as_user("user")
        stop = asyncio.Event()
        done_a, done_b = [], []
        writers = [asyncio.create_task(_writer(alice, "a", done_a, stop)),
                   asyncio.create_task(_writer(bob, "b", done_b, stop))]
        while len(done_a) < 5 or len(done_b) < 5:  # noqa: ASYNC110 - the writers' progress
            await asyncio.sleep(0.01)
        before = set(done_a) | set(done_b)
        manifest = await asyncio.to_thread(backup, settings.resolved_database_url,
                                           settings.data_dir, archive, version=jarvis.__version__,
                                           schema=database["schema"])
        during = len(done_a) + len(done_b) - len(before)
        stop.set()
        await asyncio.gather(*writers)
        written = set(done_a) | set(done_b)
        user_names = alice.user.username, bob.user.username
    assert during > 0  # writes went on while the backup ran
    assert manifest["database"] == ("sqlite" if database["schema"] is None else "postgresql")
    assert manifest["jarvis"] == jarvis.__version__
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        assert "vault.key" in tar.getnames()

    # Disaster: the data folder and the database are gone; a new server gets the backup.
    # (SQLite: a new data folder; PostgreSQL: the schema dropped, then restored.)
    if database["schema"] is None:
        target = make_settings(data_dir=tmp_path / "new-data",
                               database_url=f"sqlite+aiosqlite:///{tmp_path}/new-data/jarvis.db")
    else:
        target = make_settings(data_dir=tmp_path / "new-data")
        await _drop_schema(database)
    await asyncio.to_thread(restore, archive, target.resolved_database_url, target.data_dir,
                            schema=database["schema"])
    async with running(make_app(settings=target)) as anon:
        admin = await anon.spawn()
        resp = await admin.post("/api/auth/login", json={
            "username": "admin", "password": PASSWORD})
        assert resp.status == 200, await resp.text()
        reauth = await admin.post("/api/auth/reauth", json={"password": PASSWORD})
        assert reauth.status == 200, await reauth.text()
        cred = await (await admin.get("/api/credentials/system:mail")).json()
        assert cred["value"] == "pw-1"
        assert (await (await admin.get("/api/audit/verify")).json())["ok"] is True
        restored = set()
        for name in user_names:
            client = await anon.spawn()
            assert (await client.post("/api/auth/login", json={
                "username": name, "password": PASSWORD})).status == 200
            restored |= {a["name"] for a in await (await client.get("/api/agents")).json()}
    assert before <= restored <= written
    _contiguous(restored, "a"), _contiguous(restored, "b")


async def _drop_schema(database):
    from jarvis.testing.pytest_plugin import _pg_execute

    await _pg_execute(f'DROP SCHEMA "{database["schema"]}" CASCADE')


async def test_restore_refuses_while_a_server_runs(make_app, make_settings, database, tmp_path):
    settings = make_settings()
    archive = tmp_path / "b.tar.gz"
    async with running(make_app(settings=settings)):
        await asyncio.to_thread(backup, settings.resolved_database_url, settings.data_dir,
                                archive, version=jarvis.__version__, schema=database["schema"])
        with pytest.raises(BackupError, match="a Jarvis server is running on this database"):
            await asyncio.to_thread(restore, archive, settings.resolved_database_url,
                                    settings.data_dir, schema=database["schema"])


async def test_cli_backup_prints_the_key_warning_and_refuses_garbage(
        tmp_path, database, make_app, monkeypatch, capsys):
    if database["schema"] is not None:
        pytest.skip("the CLI reads JARVIS_DATABASE_URL; the service is tested on PostgreSQL above")
    from jarvis.cli import main

    async with running(make_app()):  # the first start writes the database and the key file
        pass
    monkeypatch.setenv("JARVIS_DATA_DIR", str(tmp_path / "data"))
    assert await asyncio.to_thread(main, ["backup", str(tmp_path / "b.tar.gz")]) == 0
    assert "warning: the archive holds the vault key" in capsys.readouterr().out
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    assert await asyncio.to_thread(main, ["restore", str(tmp_path / "junk.tar.gz")]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("jarvis: error: ") and "is not a Jarvis backup" in line
