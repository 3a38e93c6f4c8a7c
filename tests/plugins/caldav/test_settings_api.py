"""/api/my/caldav: each user's own server, login and calendar; the password stays secret."""

from __future__ import annotations

import asyncio

import pytest
from jarvis.testing.plugins import plugin_context
from jarvis.testing.servers import free_port

from .conftest import save_settings, settings_body

UNSET = {"server_url": None, "username": None, "calendar": None, "password_set": False}


async def test_unset_settings_are_nulls(user_client):
    resp = await user_client.get("/api/my/caldav")
    assert resp.status == 200
    assert await resp.json() == UNSET


async def test_settings_round_trip_never_returns_the_password(user_client, radicale, dav_user):
    user, password = dav_user
    saved = await save_settings(user_client, settings_body(radicale, dav_user))
    expected = {"server_url": radicale.url, "username": user, "calendar": "Work",
                "password_set": True}
    assert saved == expected
    resp = await user_client.get("/api/my/caldav")
    text = await resp.text()
    assert await resp.json() == expected
    assert password not in text
    vault = plugin_context(user_client, "caldav").vault
    assert await vault.get(f"user:{user_client.user.id}:caldav_password") == password


async def test_a_password_left_out_keeps_the_stored_one(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    body = settings_body(radicale, dav_user, calendar=None)
    del body["password"]
    saved = await save_settings(user_client, body)
    assert saved["calendar"] is None and saved["password_set"] is True
    vault = plugin_context(user_client, "caldav").vault
    assert await vault.get(f"user:{user_client.user.id}:caldav_password") == dav_user[1]


async def test_a_new_server_needs_the_password_again(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    body = settings_body(radicale, dav_user, server_url="https://cal.example.com/dav/")
    del body["password"]
    resp = await user_client.post("/api/my/caldav", json=body)
    assert resp.status == 400
    assert "password" in (await resp.json())["error"]
    assert (await (await user_client.get("/api/my/caldav")).json())["server_url"] == radicale.url


async def test_the_first_save_needs_a_password(user_client, radicale, dav_user):
    body = settings_body(radicale, dav_user)
    del body["password"]
    resp = await user_client.post("/api/my/caldav", json=body)
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("password")
    assert await (await user_client.get("/api/my/caldav")).json() == UNSET


@pytest.mark.parametrize(("field", "value"), [
    ("server_url", "ftp://cal.example.com/"),
    ("server_url", "https://alice:pw@cal.example.com/"),
    ("server_url", "cal.example.com"),
    ("server_url", "https://cal.example.com/dav?x=1"),
    ("server_url", "https://cal.example.com/ dav"),
    ("server_url", " https://cal.example.com/"),
    ("server_url", "https://cal.example.com:70000/"),
    ("username", ""),
    ("password", ""),
])
async def test_bad_fields_are_named(user_client, radicale, dav_user, field, value):
    resp = await user_client.post("/api/my/caldav",
                                  json=settings_body(radicale, dav_user, **{field: value}))
    assert resp.status == 400
    assert (await resp.json())["error"].startswith(field)


async def test_delete_forgets_settings_and_password(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    resp = await user_client.delete("/api/my/caldav")
    assert resp.status == 200 and await resp.json() == {"ok": True}
    assert await (await user_client.get("/api/my/caldav")).json() == UNSET
    vault = plugin_context(user_client, "caldav").vault
    assert await vault.get(f"user:{user_client.user.id}:caldav_password") is None


async def test_users_see_only_their_own_settings(user_client, client_as, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    bob = await client_as("user", username="bob")
    assert await (await bob.get("/api/my/caldav")).json() == UNSET


async def test_settings_need_a_login(anon_client):
    assert (await anon_client.get("/api/my/caldav")).status == 401


async def test_changes_are_audited_without_the_password(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    resp = await user_client.get("/api/audit")
    text = await resp.text()
    assert resp.status == 200
    assert "CalDAV settings changed" in text
    assert dav_user[1] not in text


async def test_the_test_endpoint_lists_the_calendars(user_client, radicale, dav_user):
    await asyncio.to_thread(radicale.make_calendar, dav_user[0], "Family")
    await save_settings(user_client, settings_body(radicale, dav_user))
    resp = await user_client.post("/api/my/caldav/test")
    assert resp.status == 200
    answer = await resp.json()
    assert answer["ok"] is True and answer["error"] is None
    assert sorted(answer["calendars"]) == ["Family", "Work"]


async def test_the_test_endpoint_reports_a_wrong_password(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user, password="wrong"))
    answer = await (await user_client.post("/api/my/caldav/test")).json()
    assert answer["ok"] is False and answer["calendars"] == []
    assert "refused the login" in answer["error"] and dav_user[0] in answer["error"]


async def test_the_test_endpoint_reports_a_server_that_is_down(user_client, dav_user):
    await save_settings(user_client, {"server_url": f"http://127.0.0.1:{free_port()}/",
                                       "username": dav_user[0], "password": dav_user[1]})
    answer = await (await user_client.post("/api/my/caldav/test")).json()
    assert answer["ok"] is False and answer["calendars"] == []
    assert "could not connect" in answer["error"] and "connection refused" in answer["error"]


async def test_the_test_endpoint_reports_an_unknown_calendar(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user, calendar="Holidays"))
    answer = await (await user_client.post("/api/my/caldav/test")).json()
    assert answer["ok"] is False and answer["calendars"] == ["Work"]
    assert answer["error"] == "there is no calendar named 'Holidays'; the server has: Work"


async def test_the_test_endpoint_without_settings_says_what_is_missing(user_client):
    answer = await (await user_client.post("/api/my/caldav/test")).json()
    assert answer == {"ok": False, "calendars": [], "error":
                      "CalDAV is not set up: save your server, user name and password first"}


async def test_a_user_with_settings_can_still_be_deleted(admin_client, user_client, radicale,
                                                         dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user))
    resp = await admin_client.delete(f"/api/admin/users/{user_client.user.id}")
    assert resp.status == 200, await resp.text()
