"""Every way out of a user's folder, in plain and URL-encoded forms, is refused by every route."""

from __future__ import annotations

import aiohttp
import pytest
from jarvis.keys import SETTINGS
from yarl import URL

from .conftest import SECRET, plant

# raw query values (exactly as sent on the wire) -> expected status
ENCODED = [
    ("..%2Fbob%2Fsecret.txt", 400),
    ("%2e%2e%2fbob%2fsecret.txt", 400),
    ("%2E%2E/bob/secret.txt", 400),
    ("/docs/%2e%2e/%2e%2e/bob/secret.txt", 400),
    ("../../outside/secret.txt", 400),
    ("%2fout_file", 400),
    ("out_dir%2Fsecret.txt", 400),
    ("to_bob%2Fsecret.txt", 400),
    ("to_bob_abs/secret.txt", 400),
    ("sibling", 400),
    ("climb/secret.txt", 400),
    ("hard", 400),
    ("loop", 400),
    ("notes.txt%00.png", 400),
    ("%252e%252e%252fbob%252fsecret.txt", 404),  # decoded once: an odd but harmless name
    ("..%5cbob%5csecret.txt", 404),  # a backslash is part of a name here, not a separator
    ("/etc/passwd", 404),  # absolute paths are read below the user's own folder
    ("%2Fetc%2Fpasswd", 404),
]
FOLDERS = [
    ("..", 400), ("%2e%2e", 400), ("out_dir", 400), ("to_bob", 400), ("to_bob_abs", 400),
    ("climb", 400), ("docs%2F..%2F..", 400), ("%00", 400),
]


@pytest.fixture
async def alice(client_as, tmp_path):
    client = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    client.tree = plant(client.app[SETTINGS].resolved_users_folder, tmp_path / "outside",
                        client.user.id, bob.user.id)
    return client


async def send(client, method: str, route: str, raw_path: str):
    url = URL(f"{client.make_url(route)}?path={raw_path}", encoded=True)
    resp = await client.session.request(method, url, headers={"Origin": client.origin})
    return resp.status, await resp.read()


def untouched(tree) -> bool:
    return (tree.secret.read_bytes() == SECRET and (tree.bob / "secret.txt").read_bytes() == SECRET
            and (tree.users / f"{tree.alice.name}2" / "x.txt").read_bytes() == SECRET)


FINAL_LINKS = ("%2fout_file", "sibling", "hard", "loop", "out_dir", "to_bob", "to_bob_abs",
               "climb")  # deleting these removes the link itself, which is fine


def _download_ok(got, status, body):
    return got == status and SECRET not in body


def _listing_ok(got, status, body):
    return got in (status, 400) and SECRET not in body and b'"entries"' not in body


def _zip_ok(got, status, body):
    return got in (400, 404) and SECRET not in body


@pytest.mark.parametrize(("path", "folders", "refused"), [
    ("/api/my/files/download", False, _download_ok),
    ("/api/my/files", True, _listing_ok),
    ("/api/my/files/download-zip", True, _zip_ok),
], ids=["download", "listing", "zip"])
async def test_reading_refuses_every_way_out(alice, path, folders, refused):
    wrong = []
    for raw, status in ENCODED + (FOLDERS if folders else []):
        got, body = await send(alice, "GET", path, raw)
        if not refused(got, status, body):
            wrong.append((raw, got))
    assert wrong == []


async def test_delete_refuses_every_way_out(alice):
    wrong = []
    for raw, status in ENCODED + FOLDERS:
        if raw in FINAL_LINKS:
            continue
        got, _ = await send(alice, "DELETE", "/api/my/files", raw)
        if got != status:
            wrong.append((raw, got))
    assert wrong == []
    assert untouched(alice.tree)
    assert (alice.tree.alice / "docs" / "a.txt").exists()


async def test_deleting_a_link_removes_only_the_link(alice):
    for name in FINAL_LINKS:
        got, _ = await send(alice, "DELETE", "/api/my/files", name)
        assert got == 200, name
        assert not (alice.tree.alice / name.replace("%2f", "")).is_symlink()
    assert untouched(alice.tree)


async def test_upload_refuses_folders_outside(alice):
    for raw in ("..", "%2e%2e%2fbob", "to_bob", "out_dir", "climb", "docs%2F..%2F.."):
        url = URL(f"{alice.make_url('/api/my/files')}?path={raw}", encoded=True)
        data = aiohttp.FormData()
        data.add_field("file", b"planted", filename="secret.txt")
        resp = await alice.session.post(url, data=data, headers={"Origin": alice.origin})
        assert resp.status == 400, raw
    assert untouched(alice.tree)
