"""The filesystem whitelist routes and the folder browser [admin]."""

from __future__ import annotations

import os
from urllib.parse import quote

from yarl import URL


async def roots(admin_client) -> list[str]:
    resp = await admin_client.get("/api/filesystem-whitelist")
    assert resp.status == 200
    return [row["path"] for row in await resp.json()]


async def test_admin_adds_lists_and_deletes_a_folder(admin_client, tmp_path):
    (tmp_path / "documents").mkdir()
    resp = await admin_client.post("/api/filesystem-whitelist",
                            json={"path": f"{tmp_path}/documents/", "note": "Documents folder"})
    assert resp.status == 200 and await resp.json() == {"ok": True}
    [row] = await (await admin_client.get("/api/filesystem-whitelist")).json()
    assert row["path"] == str(tmp_path / "documents")
    assert row["note"] == "Documents folder" and row["created_at"].endswith("Z")
    resp = await admin_client.delete("/api/filesystem-whitelist/" + quote(row["path"], safe=""))
    assert resp.status == 200
    assert await roots(admin_client) == []


async def test_the_delete_route_takes_plain_slashes_too(admin_client, tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    await admin_client.post("/api/filesystem-whitelist", json={"path": str(tmp_path / "a" / "b")})
    resp = await admin_client.delete(f"/api/filesystem-whitelist{tmp_path}/a/b")
    assert resp.status == 200
    assert await roots(admin_client) == []


async def test_folders_are_stored_canonical_and_duplicates_conflict(admin_client, tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "alias")
    assert (await admin_client.post("/api/filesystem-whitelist",
                             json={"path": str(tmp_path / "alias")})).status == 200
    assert await roots(admin_client) == [str(tmp_path / "real")]
    for spelling in (str(tmp_path / "real"), f"{tmp_path}/./real/", f"{tmp_path}//real"):
        resp = await admin_client.post("/api/filesystem-whitelist", json={"path": spelling})
        assert resp.status == 409, spelling
    resp = await admin_client.delete("/api/filesystem-whitelist/" + quote(str(tmp_path / "alias")))
    assert resp.status == 200


async def test_paths_that_are_not_folders_on_the_server_are_400(admin_client, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    for bad in (str(tmp_path / "missing"), str(tmp_path / "file.txt"), "relative/path", "",
                f"{tmp_path}\x00/etc"):
        resp = await admin_client.post("/api/filesystem-whitelist", json={"path": bad})
        assert resp.status == 400, bad
        assert (await resp.json())["error"].startswith("path"), bad
    assert await roots(admin_client) == []


async def test_deleting_an_unknown_folder_is_404(admin_client, tmp_path):
    assert (await admin_client.delete("/api/filesystem-whitelist/%2Fnever%2Fadded")).status == 404
    base = admin_client.make_url("/api/filesystem-whitelist/")
    raw = URL(f"{base}{tmp_path}%2F..%2F..", encoded=True)
    resp = await admin_client.session.delete(raw, headers={"Origin": admin_client.origin})
    assert resp.status == 404


async def test_whitelist_changes_are_audited(admin_client, tmp_path):
    (tmp_path / "docs").mkdir()
    await admin_client.post("/api/filesystem-whitelist", json={"path": str(tmp_path / "docs")})
    await admin_client.delete("/api/filesystem-whitelist/" + quote(str(tmp_path / "docs"),
                                                                   safe=""))
    entries = (await (await admin_client.get("/api/audit?per_page=200")).json())["entries"]
    actions = {e["action"] for e in entries if e["username"] == "admin"}
    assert {"filesystem_whitelist_added", "filesystem_whitelist_removed"} <= actions


async def test_the_browser_lists_folders_only(admin_client, tmp_path):
    tmp_path = tmp_path / "browse"
    for name in ("zeta", "alpha", ".hidden"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "file.txt").write_text("x")
    os.symlink(tmp_path / "alpha", tmp_path / "link-to-alpha")
    resp = await admin_client.get("/api/filesystem-browser", params={"path": str(tmp_path)})
    assert resp.status == 200
    body = await resp.json()
    assert body["path"] == str(tmp_path)
    assert body["entries"] == [{"name": n, "type": "dir"}
                               for n in (".hidden", "alpha", "link-to-alpha", "zeta")]
    root = await (await admin_client.get("/api/filesystem-browser")).json()
    assert root["path"] == "/" and {"name": "tmp", "type": "dir"} in root["entries"]


async def test_browser_errors(admin_client, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    browse = "/api/filesystem-browser"
    resp = await admin_client.get(browse, params={"path": str(tmp_path / "nope")})
    assert resp.status == 404
    resp = await admin_client.get(browse, params={"path": str(tmp_path / "file.txt")})
    assert resp.status == 400
    resp = await admin_client.get("/api/filesystem-browser", params={"path": "relative"})
    assert resp.status == 400


async def test_the_routes_are_for_admins_only(alice, anon_client, tmp_path):
    assert (await alice.get("/api/filesystem-whitelist")).status == 403
    resp = await alice.post("/api/filesystem-whitelist", json={"path": str(tmp_path)})
    assert resp.status == 403
    assert (await alice.delete("/api/filesystem-whitelist/%2Ftmp")).status == 403
    assert (await alice.get("/api/filesystem-browser")).status == 403
    assert (await anon_client.get("/api/filesystem-browser")).status == 401
