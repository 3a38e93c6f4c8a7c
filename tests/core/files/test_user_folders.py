"""User folders are keyed by the user's id (never given to anyone else): a new user with a
deleted user's name inherits nothing, folders named after users move to their ids at start-up
(once), and what was a deleted user's goes to the archive, out of every tool's reach."""

from __future__ import annotations

import asyncio
import os
import stat

import aiohttp
from jarvis.keys import SETTINGS
from jarvis.services import user_folders
from jarvis.testing.clients import start_client


async def upload(client, name: str, data: bytes, path: str = "/") -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field("file", data, filename=name, content_type="application/octet-stream")
    return await client.post("/api/my/files", params={"path": path}, data=form)


async def names(client, path: str = "/") -> list[str]:
    resp = await client.get("/api/my/files", params={"path": path})
    assert resp.status == 200, await resp.text()
    return [e["name"] for e in (await resp.json())["entries"]]


async def test_a_new_user_with_a_deleted_users_name_inherits_nothing(admin_client, client_as):
    alice = await client_as("user", username="alice")
    assert (await upload(alice, "diary.txt", b"alice's diary")).status == 201
    folder = user_folders.folder_path(alice.app[SETTINGS], alice.user.id)
    assert (folder / "diary.txt").read_bytes() == b"alice's diary"

    resp = await admin_client.delete(f"/api/admin/users/{alice.user.id}")
    assert resp.status == 200
    assert not folder.exists()  # removed with its owner

    newcomer = await client_as("user", username="alice")
    assert newcomer.user.id != alice.user.id
    assert await names(newcomer) == []
    resp = await newcomer.get("/api/my/files/download", params={"path": "/diary.txt"})
    assert resp.status == 404


async def test_folders_named_after_users_get_their_ids_once(admin_client, client_as, make_app,
                                                             jarvis_plugins, jarvis_settings):
    settings = admin_client.app[SETTINGS]
    base = settings.resolved_users_folder
    alice = await client_as("user", username="alice")
    carol = await client_as("user", username="carol")
    resp = await admin_client.delete(f"/api/admin/users/{carol.user.id}")
    assert resp.status == 200
    carol = await client_as("user", username="carol")  # a new user, the old one's name
    for name, file, data in (("alice", "notes.txt", b"alice's notes"),
                             ("carol", "old.txt", b"the deleted carol's"),
                             ("ghost", "left.txt", b"nobody's")):
        (base / name).mkdir(parents=True)
        (base / name / file).write_bytes(data)  # as an older version left them

    for _ in range(2):  # a second start finds nothing left to move
        other = await start_client(make_app(*jarvis_plugins, **jarvis_settings))
        await other.close()
        left = set(os.listdir(base))
        assert alice.user.id in left and not left & {"alice", "carol", "ghost"}
        assert await names(alice) == ["notes.txt"]
        assert await names(carol) == []
        archived = sorted(os.listdir(settings.data_dir / user_folders.ARCHIVE))
        assert [a.rsplit("-", 1)[0] for a in archived] == ["carol", "ghost"]


async def test_user_folders_and_files_are_the_owners_alone(client_as):
    alice = await client_as("user", username="alice")
    old = os.umask(0o002)  # a permissive umask changes nothing
    try:
        assert (await upload(alice, "a.txt", b"a", path="/x/y")).status == 201
    finally:
        os.umask(old)
    folder = user_folders.folder_path(alice.app[SETTINGS], alice.user.id)
    modes = {p: stat.S_IMODE(p.stat().st_mode)
             for p in (folder, folder / "x", folder / "x" / "y", folder / "x" / "y" / "a.txt")}
    assert list(modes.values()) == [0o700, 0o700, 0o700, 0o600], modes


async def test_upload_answers_carry_no_double_slash(client_as):
    alice = await client_as("user", username="alice")
    for path in ("/", "//", "/sub//", "sub/"):
        resp = await upload(alice, "n.txt", b"n", path=path)
        body = await resp.json()
        assert resp.status == 201, body
        assert "//" not in body["files"][0]["path"], (path, body)
    resp = await alice.get("/api/my/files", params={"path": "//sub/"})
    assert (await resp.json())["path"] == "/sub"


QUOTA = 100_000
PIECE = 10_000


async def set_quota(admin_client, value: int | None) -> None:
    resp = await admin_client.post("/api/settings/storage",
                                   json={"user_quota_bytes": value})
    assert resp.status == 200, await resp.text()


def stored(folder) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


async def test_parallel_uploads_never_exceed_the_quota(admin_client, client_as):
    await set_quota(admin_client, QUOTA)
    alice = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    assert (await upload(bob, "bob.bin", b"b" * PIECE)).status == 201  # his own quota

    results = await asyncio.gather(*(upload(alice, f"f{i}.bin", bytes([i]) * PIECE)
                                     for i in range(25)))
    statuses = [r.status for r in results]
    folder = user_folders.folder_path(alice.app[SETTINGS], alice.user.id)
    assert stored(folder) <= QUOTA
    assert statuses.count(201) * PIECE == stored(folder)
    assert set(statuses) == {201, 413} and statuses.count(201) >= 1
    refused = await next(r for r in results if r.status == 413).json()
    assert refused["error"].startswith("file: ") and "quota" in refused["error"]
    assert not [n for n in os.listdir(folder) if n.startswith(".jarvis-")]  # nothing half-written

    # full: a new file is refused, replacing one with the same size fits, deleting makes room
    kept = sorted(await names(alice))[0]
    if stored(folder) + PIECE > QUOTA:
        assert (await upload(alice, "more.bin", b"m" * PIECE)).status == 413
    assert (await upload(alice, kept, b"r" * PIECE)).status == 201
    assert (await alice.delete("/api/my/files", params={"path": f"/{kept}"})).status == 200
    assert (await upload(alice, "more.bin", b"m" * PIECE)).status == 201
    assert stored(folder) <= QUOTA


async def test_a_quota_is_an_admin_setting(admin_client, user_client):
    resp = await user_client.post("/api/settings/storage",
                                  json={"user_quota_bytes": 10**12})
    assert resp.status == 403
    resp = await admin_client.post("/api/settings/storage", json={"user_quota_bytes": -1})
    assert resp.status == 400 and (await resp.json())["error"].startswith(
        "user_quota_bytes")
    await set_quota(admin_client, 5)
    assert (await (await admin_client.get("/api/settings/storage")).json())[
        "user_quota_bytes"] == 5
    assert (await upload(user_client, "big.txt", b"123456")).status == 413
    await set_quota(admin_client, None)
    assert (await upload(user_client, "big.txt", b"123456")).status == 201
