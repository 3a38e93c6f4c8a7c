"""The session cookie: its flags, what a bad one gets, and everything that ends a session."""

from __future__ import annotations

import pytest
from jarvis.auth.http import COOKIE_NAME, HOST_COOKIE_NAME
from jarvis.keys import DATABASE
from jarvis.testing.clients import PASSWORD, create_user, login, start_client
from sqlalchemy import text

from .conftest import expire_sessions


def session_cookie(resp):
    return resp.cookies[COOKIE_NAME]


async def test_login_sets_a_hardened_cookie(anon_client):
    await create_user(anon_client, "alice")
    resp = await anon_client.post(
        "/api/auth/login", json={"username": "alice", "password": PASSWORD}
    )
    assert resp.status == 200
    body = await resp.json()
    assert body["ok"] is True and body["user"]["username"] == "alice"
    morsel = session_cookie(resp)
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert int(morsel["max-age"]) == 30 * 24 * 3600
    assert not morsel["secure"]  # plain HTTP, no trusted proxy
    assert (await anon_client.get("/api/auth/me")).status == 200


@pytest.mark.parametrize(("trusted", "secure"), [(["127.0.0.1"], True), ([], False)])
async def test_cookie_is_secure_behind_a_trusted_https_proxy(make_app, trusted, secure):
    client = await start_client(make_app(trusted_proxies=trusted))
    try:
        await create_user(client, "alice")
        resp = await client.post(
            "/api/auth/login",
            json={"username": "alice", "password": PASSWORD},
            headers={
                "X-Forwarded-Proto": "https",
                "Origin": client.origin.replace("http:", "https:" if secure else "http:"),
            },
        )
        assert resp.status == 200
        # over HTTPS the name is __Host- prefixed: only this host may set it, Secure, Path=/
        name = HOST_COOKIE_NAME if secure else COOKIE_NAME
        morsel = resp.cookies[name]
        assert bool(morsel["secure"]) is secure
        assert morsel["path"] == "/" and not morsel["domain"]
        assert (COOKIE_NAME in resp.cookies) is not secure
    finally:
        await client.close()


async def test_each_login_gets_a_new_session(anon_client):
    await create_user(anon_client, "alice")
    first = await anon_client.post(
        "/api/auth/login", json={"username": "alice", "password": PASSWORD}
    )
    second = await anon_client.post(
        "/api/auth/login", json={"username": "alice", "password": PASSWORD}
    )
    assert session_cookie(first).value != session_cookie(second).value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "garbage",
        "a.b",
        ".",
        "x" * 500,
        "\u00e9t\u00e9.\u00e9t\u00e9",
        "%00%ff.%00",
        "abc.def.ghi",
    ],
)
async def test_bad_cookies_get_401_not_500(anon_client, value):
    resp = await anon_client.get("/api/auth/me", headers={"Cookie": f"{COOKIE_NAME}={value}"})
    assert resp.status == 401
    assert (await resp.json())["error"] == "not authenticated"


async def test_tampered_cookie_is_refused(user_client):
    jar = user_client.session.cookie_jar
    good = next(c for c in jar if c.key == COOKIE_NAME).value
    token, mac = good.rsplit(".", 1)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    stranger = await user_client.spawn()  # an empty cookie jar
    for forged in (f"{flipped}.{mac}", f"{token}.{mac[:-1]}x", token, f"{token}.", f".{mac}"):
        resp = await stranger.get("/api/auth/me", headers={"Cookie": f"{COOKIE_NAME}={forged}"})
        assert resp.status == 401
    resp = await stranger.get("/api/auth/me", headers={"Cookie": f"{COOKIE_NAME}={good}"})
    assert resp.status == 200


async def test_expired_session_is_refused(user_client):
    assert (await user_client.get("/api/auth/me")).status == 200
    await expire_sessions(user_client.app)
    assert (await user_client.get("/api/auth/me")).status == 401


async def test_logout_ends_the_session_at_once(user_client):
    cookie = next(c for c in user_client.session.cookie_jar if c.key == COOKIE_NAME).value
    assert (await user_client.get("/api/auth/me")).status == 200  # now cached
    resp = await user_client.post("/api/auth/logout")
    assert resp.status == 200 and await resp.json() == {"ok": True}
    assert session_cookie(resp).value == ""
    # Replaying the old cookie does not work either.
    stranger = await user_client.spawn()
    resp = await stranger.get("/api/auth/me", headers={"Cookie": f"{COOKIE_NAME}={cookie}"})
    assert resp.status == 401


async def test_password_change_ends_the_other_sessions(anon_client):
    user = await create_user(anon_client, "alice")
    laptop = await anon_client.as_user(user)
    phone = await anon_client.as_user(user)
    assert (await phone.get("/api/auth/me")).status == 200
    resp = await laptop.post(
        "/api/my/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
    )
    assert resp.status == 200
    assert (await laptop.get("/api/auth/me")).status == 200
    assert (await phone.get("/api/auth/me")).status == 401
    fresh = await anon_client.spawn()
    resp = await fresh.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    assert resp.status == 401
    await login(fresh, "alice", "a brand new passphrase")


async def test_password_change_needs_the_current_password(user_client):
    resp = await user_client.post(
        "/api/my/password",
        json={"current_password": "not my password", "new_password": "a brand new passphrase"},
    )
    assert resp.status == 400
    assert "current_password" in (await resp.json())["error"]
    resp = await user_client.post(
        "/api/my/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert resp.status == 400
    assert "new_password" in (await resp.json())["error"]


async def test_disabling_a_user_ends_their_sessions_at_once(admin_client, user_client):
    assert (await user_client.get("/api/auth/me")).status == 200
    resp = await admin_client.put(
        f"/api/admin/users/{user_client.user.id}", json={"is_active": False}
    )
    assert resp.status == 200
    assert (await user_client.get("/api/auth/me")).status == 401
    resp = await user_client.post(
        "/api/auth/login", json={"username": "user", "password": PASSWORD}
    )
    assert resp.status == 401


async def test_role_change_applies_at_once(admin_client, user_client):
    assert (await user_client.get("/api/admin/users")).status == 403
    resp = await admin_client.put(f"/api/admin/users/{user_client.user.id}", json={"role": "admin"})
    assert resp.status == 200
    assert (await user_client.get("/api/admin/users")).status == 200


async def test_an_existing_database_gains_the_session_columns(make_app):
    """A database from before the idle timeout and re-authentication: the migration adds their
    columns, and sessions work."""
    first = await start_client(make_app())
    try:
        await create_user(first, "alice")
        async with first.app[DATABASE].write() as conn:
            for column in ("last_seen_at", "reauth_until"):
                await conn.execute(text(f"ALTER TABLE auth_sessions DROP COLUMN {column}"))
            await conn.execute(
                text("UPDATE jarvis_schema SET version = 0 WHERE component = 'core'")
            )
    finally:
        await first.close()
    client = await start_client(make_app())
    try:
        await login(client, "alice")
        resp = await client.post("/api/auth/reauth", json={"password": PASSWORD})
        assert resp.status == 200
        assert (await client.get("/api/auth/me")).status == 200
    finally:
        await client.close()
