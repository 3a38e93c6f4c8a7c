"""/api/my/contacts: each user's own settings; the password is kept in the vault, never shown,
and never sent to another server."""

from __future__ import annotations

import pytest

from .conftest import save_settings

URL = "https://dav.example.com/"


async def test_settings_round_trip_without_the_password(alice, bob):
    shown = await save_settings(alice, URL, ("ada", "pw-1"), addressbook="Friends")
    assert shown == {"server_url": URL, "username": "ada", "addressbook": "Friends",
                     "password_set": True}
    assert (await (await alice.get("/api/my/contacts")).json()) == shown
    assert (await (await bob.get("/api/my/contacts")).json())["password_set"] is False
    resp = await alice.post("/api/my/contacts", json={"server_url": URL, "username": "ada2"})
    assert resp.status == 200 and (await resp.json())["username"] == "ada2"
    resp = await alice.delete("/api/my/contacts")
    assert resp.status == 200
    assert (await (await alice.get("/api/my/contacts")).json())["server_url"] is None


async def test_a_kept_password_never_goes_to_another_server(alice):
    await save_settings(alice, URL, ("ada", "pw-1"))
    resp = await alice.post("/api/my/contacts", json={"server_url": "https://evil.example/",
                                                      "username": "ada"})
    assert resp.status == 400
    assert (await resp.json())["error"] == "password: required when the server changes"
    assert (await (await alice.get("/api/my/contacts")).json())["server_url"] == URL


@pytest.mark.parametrize("url", ["ftp://dav.example.com/", "https://u:p@dav.example.com/",
                                 "https://dav.example.com/?x=1", "not a url"])
async def test_bad_server_urls_are_refused_by_name(alice, url):
    resp = await alice.post("/api/my/contacts", json={"server_url": url, "username": "a",
                                                      "password": "p"})
    body = await resp.json()
    assert resp.status == 400 and "server_url" in body["error"]
