"""Wrong passwords from one place do not lock the owner out from another; a password reset and
an admin's unlock (API and command line) lift a lockout. Sources are client addresses as a
trusted proxy forwards them."""

from __future__ import annotations

import io
import os
import sys
from datetime import timedelta

import pytest
from jarvis.auth.throttle import Limit
from jarvis.cli import main
from jarvis.keys import IDENTITY
from jarvis.testing.clients import PASSWORD, create_user, start_client

WRONG = "not the password"
OWNER = "198.51.100.7"
ATTACKER = "203.0.113.66"


@pytest.fixture
async def proxied(make_app):
    """A server behind a trusted proxy on loopback, so each request names its client."""
    client = await start_client(make_app(trusted_proxies=["127.0.0.1"]))
    yield client
    await client.close()


async def attempt(client, username, password=WRONG, source=OWNER):
    return await client.post(
        "/api/auth/login", json={"username": username, "password": password},
        headers={"X-Forwarded-For": source},
    )


async def lock_out(client, username, source):
    for _ in range(5):
        assert (await attempt(client, username, source=source)).status == 401
    assert (await attempt(client, username, PASSWORD, source=source)).status == 429


async def test_an_attacker_elsewhere_cannot_lock_the_owner_out(proxied):
    await create_user(proxied, "alice")
    await lock_out(proxied, "alice", ATTACKER)
    for _ in range(10):  # and keeps trying
        assert (await attempt(proxied, "alice", source=ATTACKER)).status == 429
    resp = await attempt(proxied, "alice", PASSWORD, source=OWNER)
    assert resp.status == 200
    assert (await resp.json())["user"]["username"] == "alice"


async def test_guessing_spread_over_many_sources_is_capped_but_the_owner_gets_in(proxied):
    proxied.app[IDENTITY].throttle.account_total = Limit(8, timedelta(minutes=15))
    await create_user(proxied, "alice")
    assert (await attempt(proxied, "alice", PASSWORD, source=OWNER)).status == 200
    for i in range(8):
        assert (await attempt(proxied, "alice", source=f"203.0.113.{i}")).status == 401
    # a ninth source is refused even with the right password: the account's total is used up
    assert (await attempt(proxied, "alice", PASSWORD, source="203.0.113.200")).status == 429
    # the owner, from where they logged in before, is not
    assert (await attempt(proxied, "alice", PASSWORD, source=OWNER)).status == 200


async def test_a_password_reset_lifts_the_lockout(proxied):
    user = await create_user(proxied, "alice")
    admin = await proxied.as_user("admin")
    await lock_out(proxied, "alice", OWNER)
    resp = await admin.put(f"/api/admin/users/{user.id}", json={"password": "a fresh passphrase"})
    assert resp.status == 200
    assert (await attempt(proxied, "alice", "a fresh passphrase", source=OWNER)).status == 200


async def test_an_admin_unlocks_an_account(proxied):
    alice = await create_user(proxied, "alice")
    admin = await proxied.as_user("admin")
    bob = await proxied.as_user("user", username="bob")
    await lock_out(proxied, "alice", OWNER)
    # another user cannot unlock alice (a real account of someone else)
    assert (await bob.post(f"/api/users/{alice.id}/unlock")).status == 403
    assert (await attempt(proxied, "alice", PASSWORD, source=OWNER)).status == 429
    resp = await admin.post(f"/api/users/{alice.id}/unlock")
    assert resp.status == 200 and await resp.json() == {"ok": True}
    assert (await attempt(proxied, "alice", PASSWORD, source=OWNER)).status == 200
    entries = (await (await admin.get("/api/audit?per_page=100")).json())["entries"]
    unlocks = [e for e in entries if e["action"] == "user_unlocked"]
    assert [(e["username"], e["detail"]["target"]) for e in unlocks] == [("admin", "alice")]
    missing = await admin.post("/api/users/0123456789abcdef0123456789abcdef/unlock")
    assert missing.status == 404


@pytest.mark.skipif(
    os.environ.get("TEST_DATABASE") == "postgresql",
    reason="the command opens the configured database, not the test's schema",
)
async def test_the_command_line_unlocks_an_account(make_settings, make_app, monkeypatch, capsys):
    settings = make_settings(trusted_proxies=["127.0.0.1"])
    monkeypatch.setenv("JARVIS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("JARVIS_DATABASE_URL", settings.database_url)
    client = await start_client(make_app(settings=settings))
    try:
        await create_user(client, "alice")
        await lock_out(client, "alice", OWNER)
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        code = await _in_thread(main, ["user", "unlock", "Alice"])
        out = capsys.readouterr()
        assert code == 0, out.err
        assert "alice is unlocked" in out.out
        assert (await attempt(client, "alice", PASSWORD, source=OWNER)).status == 200
        assert await _in_thread(main, ["user", "unlock", "nobody"]) == 2
        assert "no user named 'nobody'" in capsys.readouterr().err
    finally:
        await client.close()


async def _in_thread(fn, *args):
    import asyncio

    return await asyncio.to_thread(fn, *args)
