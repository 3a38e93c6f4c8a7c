"""Password and code guessing is limited per account and per client address."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from jarvis.auth.throttle import Limit
from jarvis.keys import IDENTITY
from jarvis.testing.clients import PASSWORD, create_user, start_client

from .conftest import code, totp_from

WRONG = "not the password"


async def attempt(client, username, password=WRONG, headers=None):
    return await client.post(
        "/api/auth/login", json={"username": username, "password": password}, headers=headers or {}
    )


async def test_an_account_is_locked_after_five_failures(anon_client):
    await create_user(anon_client, "alice")
    for _ in range(5):
        assert (await attempt(anon_client, "alice")).status == 401
    resp = await attempt(anon_client, "alice", PASSWORD)  # even the right password now
    assert resp.status == 429
    assert 1 <= int(resp.headers["Retry-After"]) <= 15 * 60
    assert (await resp.json())["error"] == "too many attempts; try again later"
    # Another account from the same address is not locked.
    await create_user(anon_client, "bob")
    assert (await attempt(anon_client, "bob", PASSWORD)).status == 200


async def test_unknown_users_look_like_wrong_passwords(anon_client, identity):
    identity.throttle.account = Limit(3, timedelta(minutes=15))
    await create_user(anon_client, "alice")
    known = await attempt(anon_client, "alice")
    unknown = await attempt(anon_client, "nobody")
    assert known.status == unknown.status == 401
    assert await known.json() == await unknown.json()
    assert set(known.headers) - {"Date"} == set(unknown.headers) - {"Date"}
    for _ in range(2):
        await attempt(anon_client, "nobody")
    assert (await attempt(anon_client, "nobody")).status == 429  # throttled alike too


async def test_a_success_clears_the_account_counter(anon_client, identity):
    identity.throttle.account = Limit(3, timedelta(minutes=15))
    await create_user(anon_client, "alice")
    for _ in range(2):
        await attempt(anon_client, "alice")
    assert (await attempt(anon_client, "alice", PASSWORD)).status == 200
    for _ in range(3):
        assert (await attempt(anon_client, "alice")).status == 401
    assert (await attempt(anon_client, "alice", PASSWORD)).status == 429


async def test_parallel_guesses_cannot_slip_past_the_limit(anon_client, identity):
    await create_user(anon_client, "alice")
    results = await asyncio.gather(*(attempt(anon_client, "alice") for _ in range(12)))
    statuses = sorted(r.status for r in results)
    assert statuses == [401] * 5 + [429] * 7


async def test_the_address_limit_ignores_forwarded_for_from_untrusted_peers(anon_client, identity):
    identity.throttle.address = Limit(3, timedelta(minutes=15))
    for i in range(3):
        await create_user(anon_client, f"user{i}")
        spoof = {"X-Forwarded-For": f"203.0.113.{i}"}
        assert (await attempt(anon_client, f"user{i}", headers=spoof)).status == 401
    await create_user(anon_client, "fresh")
    resp = await attempt(
        anon_client, "fresh", PASSWORD, headers={"X-Forwarded-For": "198.51.100.9"}
    )
    assert resp.status == 429


async def test_behind_a_trusted_proxy_each_client_address_counts_alone(make_app):
    client = await start_client(make_app(trusted_proxies=["127.0.0.1"]))
    try:
        client.app[IDENTITY].throttle.address = Limit(2, timedelta(minutes=15))
        for name in ("a1", "a2", "b1"):
            await create_user(client, name)
        proxy = lambda ip: {"X-Forwarded-For": f"{ip}, 127.0.0.1"}  # noqa: E731
        assert (await attempt(client, "a1", headers=proxy("203.0.113.1"))).status == 401
        assert (await attempt(client, "a2", headers=proxy("203.0.113.1"))).status == 401
        assert (await attempt(client, "a2", PASSWORD, headers=proxy("203.0.113.1"))).status == 429
        assert (await attempt(client, "b1", PASSWORD, headers=proxy("203.0.113.2"))).status == 200
    finally:
        await client.close()


async def test_mfa_codes_are_throttled_per_account(admin_client):
    await admin_client.reauth()
    user = await create_user(admin_client, "alice")
    totp = totp_from(
        await (await admin_client.post(f"/api/admin/users/{user.id}/mfa-setup")).json()
    )
    client = await admin_client.spawn()
    chal = (await (await attempt(client, "alice", PASSWORD)).json())["challenge"]
    wrong = f"{(int(code(totp)) + 500_000) % 1_000_000:06d}"
    for _ in range(5):
        resp = await client.post("/api/auth/mfa", json={"challenge": chal, "code": wrong})
        assert resp.status == 401
    resp = await client.post("/api/auth/mfa", json={"challenge": chal, "code": code(totp)})
    assert resp.status == 429
    assert "Retry-After" in resp.headers


async def test_current_password_checks_are_throttled(user_client):
    for _ in range(5):
        resp = await user_client.post(
            "/api/my/password",
            json={"current_password": WRONG, "new_password": "another long password"},
        )
        assert resp.status == 400
    resp = await user_client.post(
        "/api/my/password",
        json={"current_password": PASSWORD, "new_password": "another long password"},
    )
    assert resp.status == 429
