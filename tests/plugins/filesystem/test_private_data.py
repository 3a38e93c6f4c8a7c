"""The server's own files (the data folder with the vault key and the SQLite database, the
users' folders) stay out of every tool's reach whatever the whitelist says: an entry holding
them is refused, and entries saved before that rule are fenced when a path is resolved."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp
import pytest
from jarvis import BadRequest, Settings
from jarvis.testing.plugins import plugin_context
from jarvis_filesystem import store
from jarvis_filesystem.places import fence_of

from .conftest import attempt


@pytest.fixture
def data(anon_client) -> Path:
    return Path(os.path.realpath(plugin_context(anon_client, "filesystem").settings.data_dir))


async def whitelist(admin_client, path: Path | str):
    return await admin_client.post("/api/filesystem-whitelist", json={"path": str(path)})


async def test_an_entry_holding_the_servers_data_is_refused(admin_client, data, tmp_path):
    users = plugin_context(admin_client, "filesystem").settings.resolved_users_folder
    users.mkdir(parents=True, exist_ok=True)
    for entry in ("/", data.parent, data, data / "users", users, f"{data}/../data/"):
        resp = await whitelist(admin_client, entry)
        body = await resp.json()
        assert resp.status == 400, entry
        assert body["error"].startswith("path: ") and "server's own data" in body["error"]
    assert await (await admin_client.get("/api/filesystem-whitelist")).json() == []
    (tmp_path / "docs").mkdir()
    assert (await whitelist(admin_client, tmp_path / "docs")).status == 201  # beside it: fine


def test_a_sqlite_database_kept_elsewhere_is_fenced_too(tmp_path):
    (tmp_path / "db").mkdir()
    settings = Settings(data_dir=tmp_path / "data",
                        database_url=f"sqlite+aiosqlite:///{tmp_path}/db/jarvis.db")
    fence = fence_of(settings)
    with pytest.raises(BadRequest, match="server's own data"):
        store.canonical_folder(str(tmp_path / "db"), fence)
    for name in ("jarvis.db", "jarvis.db-wal"):
        assert fence.refusal(tmp_path / "db" / name, tmp_path / "own", holding=False)
    assert fence.refusal(tmp_path / "db" / "other.txt", tmp_path / "own", holding=False) is None


@pytest.fixture
async def root_whitelisted(admin_client, data):
    """``/`` on the whitelist, as an older version let an admin save it."""
    await store.ROOTS.add(plugin_context(admin_client, "filesystem").db, "/", note="everything")
    assert (data / "vault.key").is_file()


async def test_an_old_root_entry_does_not_open_the_vault_key(root_whitelisted, alice, bob,
                                                             data):
    key = (data / "vault.key").read_bytes()
    for path in (data / "vault.key", f"{data}//vault.key", f"{data}/./vault.key"):
        decision, result = await attempt(alice, "fs_read", path=str(path))
        assert decision.verdict == "deny" and "server's own data" in decision.reason
        assert not result.ok and key.hex() not in (result.content or "")
    decision, result = await attempt(alice, "fs_list", path=str(data))
    assert decision.verdict == "deny" and not result.ok


async def test_an_old_root_entry_does_not_write_into_the_data_folder(root_whitelisted, alice,
                                                                     data):
    before = sorted(os.listdir(data))
    for path in (data / "planted.txt", data / "new" / "x.txt", data / "vault.key"):
        decision, result = await attempt(alice, "fs_write", path=str(path), content="owned")
        assert decision.verdict == "deny", path
        assert not result.ok, path
    assert sorted(os.listdir(data)) == before


async def test_an_old_root_entry_reaches_no_other_users_folder(root_whitelisted, alice, bob):
    form = aiohttp.FormData()
    form.add_field("file", b"bob's secret", filename="secret.txt")
    resp = await bob.post("/api/my/files", data=form)
    assert resp.status == 201
    users = Path(plugin_context(bob, "filesystem").settings.resolved_users_folder)
    [bobs] = await asyncio.to_thread(lambda: list(users.rglob("secret.txt")))
    decision, result = await attempt(alice, "fs_read", path=str(bobs))
    assert decision.verdict == "deny" and "another user's folder" in decision.reason
    assert not result.ok and "bob's secret" not in (result.content or "")


async def test_deleting_a_folder_that_holds_the_data_is_refused(admin_client, alice, data):
    db = plugin_context(admin_client, "filesystem").db
    await store.ROOTS.add(db, str(data.parent), note="old entry")
    decision, result = await attempt(alice, "fs_delete", path=str(data), recursive=True)
    assert decision.verdict == "deny" and not result.ok
    decision, result = await attempt(alice, "fs_delete", path=str(data.parent / "data"),
                                     recursive=True)
    assert decision.verdict == "deny" and not result.ok
    assert (data / "vault.key").is_file()


async def test_a_link_into_the_data_folder_is_refused(admin_client, alice, data, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    assert (await whitelist(admin_client, docs)).status == 201
    os.symlink(data / "vault.key", docs / "key")
    os.symlink(data, docs / "data")
    # links stay inside "/"
    await store.ROOTS.add(plugin_context(admin_client, "filesystem").db, "/", note="old entry")
    for path in (docs / "key", docs / "data" / "vault.key"):
        decision, result = await attempt(alice, "fs_read", path=str(path))
        assert decision.verdict == "deny", path
        assert not result.ok, path
    decision, result = await attempt(alice, "fs_write", path=str(docs / "data" / "x"),
                                     content="x")
    assert decision.verdict == "deny" and not (data / "x").exists()
