"""A stolen session cookie alone can neither reveal a credential, mint an API key nor change
MFA: those need the password (and code) confirmed within five minutes, in that very session.
An API key cannot mint another without the password. A password change revokes API keys unless
asked not to; sessions end when idle; over HTTPS the cookie is __Host- prefixed."""

from __future__ import annotations

from datetime import datetime, timedelta

from jarvis.auth.http import COOKIE_NAME, HOST_COOKIE_NAME
from jarvis.auth.sql import sessions
from jarvis.keys import DATABASE, IDENTITY, VAULT
from jarvis.testing.clients import PASSWORD, api_key_for, create_user, start_client
from jarvis.timeutil import utcnow
from sqlalchemy import update

from .conftest import code, totp_from

REAUTH = {"error": "reauthentication required", "detail": {"reauth": True}}
SECRET = "sk-live-0123456789"


async def refused(resp):
    assert resp.status == 403, await resp.text()
    assert await resp.json() == REAUTH


async def set_session_times(app, **values):
    async with app[DATABASE].write() as conn:
        await conn.execute(update(sessions).values(**values))
    app[IDENTITY].authenticator.cache.clear()


async def test_revealing_a_credential_needs_a_fresh_reauth(admin_client):
    await admin_client.app[VAULT].put("system:smtp", SECRET, "SMTP")
    await refused(await admin_client.get("/api/credentials/system:smtp"))
    answer = await admin_client.reauth()
    until = datetime.fromisoformat(answer["expires_at"].replace("Z", "+00:00"))
    assert answer["ok"] is True
    assert timedelta(minutes=4) < until.replace(tzinfo=None) - utcnow() <= timedelta(minutes=5)
    resp = await admin_client.get("/api/credentials/system:smtp")
    assert resp.status == 200 and (await resp.json())["value"] == SECRET
    # five minutes later it is needed again
    await set_session_times(admin_client.app, reauth_until=utcnow() - timedelta(seconds=1))
    await refused(await admin_client.get("/api/credentials/system:smtp"))


async def test_a_reauth_holds_only_in_its_own_session(client_as):
    laptop = await client_as("admin")
    stolen = await laptop.as_user(laptop.user)  # another session of the same admin
    await laptop.app[VAULT].put("system:smtp", SECRET, "SMTP")
    await laptop.reauth()
    assert (await laptop.get("/api/credentials/system:smtp")).status == 200
    await refused(await stolen.get("/api/credentials/system:smtp"))


async def test_scripts_with_an_api_key_reveal_credentials(admin_client):
    await admin_client.app[VAULT].put("system:smtp", SECRET, "SMTP")
    key = await api_key_for(admin_client, admin_client.user)
    script = await admin_client.spawn()
    resp = await script.get("/api/credentials/system:smtp", headers={"X-API-Key": key})
    assert resp.status == 200 and (await resp.json())["value"] == SECRET


async def test_a_wrong_password_is_refused_and_throttled(user_client):
    for _ in range(5):
        resp = await user_client.post("/api/auth/reauth", json={"password": "not it at all"})
        assert resp.status == 401
        assert (await resp.json())["error"] == "invalid password"
    resp = await user_client.post("/api/auth/reauth", json={"password": PASSWORD})
    assert resp.status == 429
    await refused(await user_client.post("/api/my/api-keys", json={"name": "k"}))


async def test_with_mfa_the_code_is_needed_too(admin_client, client_as):
    await admin_client.reauth()
    alice = await client_as("user", username="alice")
    resp = await admin_client.post(f"/api/admin/users/{alice.user.id}/mfa-setup")
    totp = totp_from(await resp.json())
    resp = await alice.post("/api/auth/reauth", json={"password": PASSWORD})
    assert resp.status == 400 and "code" in (await resp.json())["error"]
    wrong = f"{(int(code(totp)) + 500_000) % 1_000_000:06d}"
    resp = await alice.post("/api/auth/reauth", json={"password": PASSWORD, "code": wrong})
    assert resp.status == 401 and (await resp.json())["error"] == "invalid code"
    await refused(await alice.post("/api/my/api-keys", json={"name": "k"}))
    await alice.reauth(code(totp))
    assert (await alice.post("/api/my/api-keys", json={"name": "k"})).status == 201


async def test_a_stolen_session_cannot_mint_an_api_key(user_client):
    await refused(await user_client.post("/api/my/api-keys", json={"name": "backdoor"}))
    assert await (await user_client.get("/api/my/api-keys")).json() == []
    await user_client.reauth()
    assert (await user_client.post("/api/my/api-keys", json={"name": "mine"})).status == 201


async def test_an_api_key_cannot_mint_another_without_the_password(user_client):
    key = await api_key_for(user_client, user_client.user)
    script = await user_client.spawn()
    headers = {"X-API-Key": key}
    await refused(await script.post("/api/my/api-keys", json={"name": "more"}, headers=headers))
    resp = await script.post(
        "/api/my/api-keys", json={"name": "more", "password": "a wrong guess"}, headers=headers
    )
    assert resp.status == 401
    listed = await (await script.get("/api/my/api-keys", headers=headers)).json()
    assert [k["name"] for k in listed] == ["test"]
    resp = await script.post(
        "/api/my/api-keys", json={"name": "more", "password": PASSWORD}, headers=headers
    )
    assert resp.status == 201


async def test_a_stolen_session_cannot_change_mfa(admin_client, client_as):
    victim = await client_as("user", username="victim")
    await refused(await victim.post("/api/my/mfa-setup"))
    await refused(await victim.post("/api/my/mfa-confirm", json={"code": "123456"}))
    await refused(await victim.post("/api/my/mfa-disable", json={"code": "123456"}))
    # an admin's session acting on another user's real account
    await refused(await admin_client.post(f"/api/admin/users/{victim.user.id}/mfa-setup"))
    await refused(await admin_client.post(f"/api/admin/users/{victim.user.id}/mfa-disable"))
    listed = await (await admin_client.get(f"/api/admin/users/{victim.user.id}")).json()
    assert listed["mfa_enabled"] is False
    assert await admin_client.app[VAULT].get(f"internal:totp:{victim.user.id}") is None


async def test_a_password_change_revokes_api_keys_unless_kept(user_client):
    script = await user_client.spawn()
    stolen = await api_key_for(user_client, user_client.user, name="stolen")
    resp = await user_client.post("/api/my/password", json={
        "current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert resp.status == 200
    assert (await script.get("/api/auth/me", headers={"X-API-Key": stolen})).status == 401
    assert await (await user_client.get("/api/my/api-keys")).json() == []
    kept = await api_key_for(user_client, user_client.user, name="ci")
    resp = await user_client.post("/api/my/password", json={
        "current_password": "a brand new passphrase", "new_password": "another new passphrase",
        "keep_api_keys": True})
    assert resp.status == 200
    assert (await script.get("/api/auth/me", headers={"X-API-Key": kept})).status == 200


async def test_an_idle_session_ends(admin_client, user_client):
    assert (await user_client.get("/api/auth/me")).status == 200
    await set_session_times(user_client.app, last_seen_at=utcnow() - timedelta(days=6))
    assert (await user_client.get("/api/auth/me")).status == 200  # and that counts as use
    resp = await admin_client.post("/api/settings/security", json={"session_idle_hours": 2})
    assert resp.status == 200
    assert (await user_client.get("/api/auth/me")).status == 200
    await set_session_times(user_client.app, last_seen_at=utcnow() - timedelta(hours=3))
    assert (await user_client.get("/api/auth/me")).status == 401
    assert (await admin_client.get("/api/auth/me")).status == 401


async def test_the_default_idle_timeout_is_a_week(user_client):
    await set_session_times(user_client.app, last_seen_at=utcnow() - timedelta(days=7, hours=1))
    assert (await user_client.get("/api/auth/me")).status == 401


async def test_over_https_only_the_host_prefixed_cookie_counts(make_app):
    client = await start_client(make_app(trusted_proxies=["127.0.0.1"]))
    try:
        await create_user(client, "alice")
        https = {"X-Forwarded-Proto": "https"}
        resp = await client.post(
            "/api/auth/login", json={"username": "alice", "password": PASSWORD},
            headers={**https, "Origin": client.origin.replace("http:", "https:")},
        )
        value = resp.cookies[HOST_COOKIE_NAME].value
        good = await client.spawn()
        resp = await good.get(
            "/api/auth/me", headers={**https, "Cookie": f"{HOST_COOKIE_NAME}={value}"})
        assert resp.status == 200
        # the same value under the plain name (as a sibling subdomain could plant it): refused
        resp = await good.get("/api/auth/me", headers={**https, "Cookie": f"{COOKIE_NAME}={value}"})
        assert resp.status == 401
    finally:
        await client.close()


async def test_an_api_key_has_no_session_to_reauthenticate(user_client):
    key = await api_key_for(user_client, user_client.user)
    script = await user_client.spawn()
    resp = await script.post(
        "/api/auth/reauth", json={"password": PASSWORD}, headers={"X-API-Key": key}
    )
    assert resp.status == 403 and "browser sessions" in (await resp.json())["error"]
