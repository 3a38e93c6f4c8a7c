"""/api/my/files: list, upload, download, zip and delete, each user in their own folder."""

from __future__ import annotations

import io
import os
import zipfile
from urllib.parse import unquote

import aiohttp
import pytest
from jarvis.keys import SETTINGS, UPLOAD_LIMIT
from jarvis.testing.clients import start_client

from .conftest import SECRET, plant


def upload_form(*files: tuple[str, bytes]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("note", "a plain field is ignored")
    for name, data in files:
        form.add_field("file", data, filename=name, content_type="application/octet-stream")
    return form


def raw_upload(filename: str, data: bytes) -> dict:
    """A multipart body written by hand, so the file name arrives exactly as given."""
    boundary = "jarvis-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{filename}\"\r\nContent-Type: text/plain\r\n\r\n")
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return {"data": body,
            "headers": {"Content-Type": f"multipart/form-data; boundary={boundary}"}}


async def listing(client, path: str = "/") -> dict:
    resp = await client.get("/api/my/files", params={"path": path})
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_a_new_user_has_an_empty_folder(user_client):
    assert await listing(user_client) == {"path": "/", "entries": []}


async def test_upload_then_list_with_sizes(user_client):
    resp = await user_client.post("/api/my/files", params={"path": "/reports/2026"},
                                  data=upload_form(("q1.txt", b"12345"), ("q2.txt", b"1")))
    assert resp.status == 201, await resp.text()
    body = await resp.json()
    assert body["ok"] is True
    assert [(f["name"], f["path"], f["size"]) for f in body["files"]] == [
        ("q1.txt", "/reports/2026/q1.txt", 5), ("q2.txt", "/reports/2026/q2.txt", 1)]
    assert await listing(user_client, "/reports/2026") == {"path": "/reports/2026", "entries": [
        {"name": "q1.txt", "type": "file", "size": 5},
        {"name": "q2.txt", "type": "file", "size": 1}]}
    top = await listing(user_client)
    assert top["entries"] == [{"name": "reports", "type": "dir", "size": 0}]


async def test_an_upload_replaces_a_file_of_the_same_name(user_client):
    for content in (b"first", b"second!"):
        resp = await user_client.post("/api/my/files", data=upload_form(("same.txt", content)))
        assert resp.status == 201
    resp = await user_client.get("/api/my/files/download", params={"path": "/same.txt"})
    assert await resp.read() == b"second!"


async def test_an_uploaded_file_name_cannot_climb_out(user_client, folder_of):
    folder = folder_of(user_client)
    for name in ("../../escape.txt", "..\\..\\escape.txt", "/tmp/escape.txt",
                 "sub/../../escape.txt"):
        resp = await user_client.post("/api/my/files", params={"path": "/in"},
                                      **raw_upload(name, b"x"))
        assert resp.status == 201, name
        [saved] = (await resp.json())["files"]
        assert saved["path"] == "/in/" + saved["name"], name
        assert saved["name"].endswith("escape.txt") and "/" not in saved["name"], name
        assert (folder / "in" / saved["name"]).read_bytes() == b"x"
    assert [p.name for p in folder.iterdir()] == ["in"]
    assert not (folder.parent / "escape.txt").exists()


async def test_upload_names_that_name_no_file_are_400(user_client, folder_of):
    for name in ("..", ".", "", "a\x00b"):
        resp = await user_client.post("/api/my/files", **raw_upload(name, b"x"))
        assert resp.status == 400, name
    assert list(folder_of(user_client).iterdir()) == []


async def test_bad_uploads_are_400(user_client):
    resp = await user_client.post("/api/my/files", json={"file": "not multipart"})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("body")
    form = aiohttp.FormData(default_to_multipart=True)
    form.add_field("note", "no file here")
    resp = await user_client.post("/api/my/files", data=form)
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("file")
    resp = await user_client.post("/api/my/files", params={"path": "../x"},
                                  data=upload_form(("a.txt", b"x")))
    assert resp.status == 400


@pytest.fixture
async def small_uploads(make_app, jarvis_settings):
    """A client of an app that takes uploads of at most 1000 bytes."""
    app = make_app(**jarvis_settings)
    app[UPLOAD_LIMIT] = 1000
    client = await start_client(app)
    yield await client.as_user("user")
    await client.close()


async def test_an_upload_over_the_cap_is_413_and_leaves_nothing(small_uploads, folder_of):
    resp = await small_uploads.post("/api/my/files", data=upload_form(("ok.txt", b"x" * 1000)))
    assert resp.status == 201
    resp = await small_uploads.post("/api/my/files", data=upload_form(("ok.txt", b"y" * 1001)))
    assert resp.status == 413
    folder = folder_of(small_uploads)
    assert sorted(p.name for p in folder.iterdir()) == ["ok.txt"]
    assert (folder / "ok.txt").read_bytes() == b"x" * 1000
    resp = await small_uploads.post("/api/my/files",
                                    data=upload_form(("huge.txt", b"z" * 200_000)))
    assert resp.status == 413


async def test_download_sends_the_file_as_an_attachment(user_client, folder_of):
    (folder_of(user_client) / "data.bin").write_bytes(b"\x00\x01binary\xff")
    resp = await user_client.get("/api/my/files/download", params={"path": "/data.bin"})
    assert resp.status == 200
    assert await resp.read() == b"\x00\x01binary\xff"
    assert resp.headers["Content-Type"] == "application/octet-stream"
    assert resp.headers["Content-Disposition"] == (
        "attachment; filename=\"data.bin\"; filename*=UTF-8''data.bin")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_download_names_cannot_inject_headers(user_client, folder_of):
    for name in ('report "Q1"\r\nSet-Cookie: stolen=1.txt', "Grüße aus Köln 😀.txt",
                 "semi;colon,comma=equals.txt", "back\\slash.html"):
        (folder_of(user_client) / name).write_bytes(b"content")
        resp = await user_client.get("/api/my/files/download", params={"path": "/" + name})
        assert resp.status == 200, name
        assert "Set-Cookie" not in resp.headers
        disposition = resp.headers["Content-Disposition"]
        assert "\r" not in disposition and "\n" not in disposition
        assert disposition.startswith('attachment; filename="')
        fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
        assert fallback.isascii() and "\\" not in fallback and ";" not in fallback
        exact = disposition.split("filename*=UTF-8''", 1)[1]
        assert unquote(exact) == name


async def test_download_errors(user_client, folder_of):
    (folder_of(user_client) / "dir").mkdir()
    assert (await user_client.get("/api/my/files/download", params={"path": "/dir"})).status == 400
    resp = await user_client.get("/api/my/files/download", params={"path": "/nope.txt"})
    assert resp.status == 404
    assert (await resp.json())["error"].startswith("path")
    assert (await user_client.get("/api/my/files/download")).status == 400


async def test_delete_files_and_folders(user_client, folder_of):
    folder = folder_of(user_client)
    (folder / "sub").mkdir()
    (folder / "sub" / "a.txt").write_text("a")
    (folder / "b.txt").write_text("b")
    resp = await user_client.delete("/api/my/files", params={"path": "/b.txt"})
    assert resp.status == 200 and await resp.json() == {"ok": True}
    assert (await user_client.delete("/api/my/files", params={"path": "/sub"})).status == 200
    assert await listing(user_client) == {"path": "/", "entries": []}
    assert (await user_client.delete("/api/my/files", params={"path": "/sub"})).status == 404
    assert (await user_client.delete("/api/my/files", params={"path": "/"})).status == 400


async def test_files_need_a_login(anon_client):
    assert (await anon_client.get("/api/my/files")).status == 401
    assert (await anon_client.get("/api/my/files/download", params={"path": "/x"})).status == 401
    assert (await anon_client.get("/api/my/files/download-zip")).status == 401
    assert (await anon_client.delete("/api/my/files", params={"path": "/x"})).status == 401
    assert (await anon_client.post("/api/my/files", data=upload_form(("a", b"x")))).status == 401


async def test_each_user_sees_only_their_own_files(client_as):
    alice = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    resp = await alice.post("/api/my/files", data=upload_form(("mine.txt", b"alice's")))
    assert resp.status == 201
    assert await listing(bob) == {"path": "/", "entries": []}
    for path in ("/mine.txt", "/alice/mine.txt"):
        resp = await bob.get("/api/my/files/download", params={"path": path})
        assert resp.status == 404, path
    resp = await bob.get("/api/my/files/download", params={"path": "/../alice/mine.txt"})
    assert resp.status == 400
    assert (await bob.delete("/api/my/files", params={"path": "/../alice/mine.txt"})).status == 400
    assert (await listing(alice))["entries"][0]["name"] == "mine.txt"


async def test_zip_of_a_folder_holds_its_files_and_nothing_else(client_as, tmp_path):
    alice = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    users = alice.app[SETTINGS].resolved_users_folder
    tree = plant(users, tmp_path / "outside", alice.user.id, bob.user.id)
    os.mkfifo(tree.alice / "docs" / "pipe")
    resp = await alice.get("/api/my/files/download-zip", params={"path": "/"})
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/zip"
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="alice.zip"')
    archive = zipfile.ZipFile(io.BytesIO(await resp.read()))
    assert sorted(archive.namelist()) == [
        "docs/", "docs/a.txt", "docs/sub/", "docs/sub/b.txt", "notes.txt"]
    assert archive.read("docs/sub/b.txt") == b"beta"
    assert all(SECRET not in archive.read(n) for n in archive.namelist())
    resp = await alice.get("/api/my/files/download-zip", params={"path": "/docs"})
    archive = zipfile.ZipFile(io.BytesIO(await resp.read()))
    assert sorted(archive.namelist()) == ["a.txt", "sub/", "sub/b.txt"]
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="docs.zip"')


async def test_zip_errors(user_client, folder_of):
    (folder_of(user_client) / "f.txt").write_text("x")
    assert (await user_client.get("/api/my/files/download-zip",
                                  params={"path": "/nope"})).status == 404
    assert (await user_client.get("/api/my/files/download-zip",
                                  params={"path": "/f.txt"})).status == 400

