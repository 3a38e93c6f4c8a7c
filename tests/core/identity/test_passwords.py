"""Passwords: a memory-hard hash with its parameters, long passphrases taken whole, hashing off
the event loop."""

from __future__ import annotations

import asyncio
import unicodedata

import pytest
from jarvis.auth import passwords
from jarvis.auth.sql import users
from jarvis.keys import DATABASE
from jarvis.testing.clients import create_user, login
from sqlalchemy import select


def test_the_hash_carries_its_parameters_and_verifies():
    stored = passwords.hash_password("a fine passphrase")
    assert stored.startswith("$scrypt$ln=14,r=8,p=5$")
    assert passwords.verify_password("a fine passphrase", stored)
    assert not passwords.verify_password("a fine passphrasE", stored)
    assert stored != passwords.hash_password("a fine passphrase")  # salted
    assert not passwords.needs_rehash(stored)


def test_the_dummy_hash_costs_what_a_real_one_does():
    assert not passwords.needs_rehash(passwords.DUMMY_HASH)


@pytest.mark.parametrize(
    "stored",
    ["", "plain", "$scrypt$ln=30,r=8,p=1$AAAA$AAAA", "$scrypt$ln=x$AAAA$AAAA", "$bcrypt$2b$..."],
)
def test_damaged_hashes_never_verify(stored):
    assert not passwords.verify_password("anything at all", stored)
    assert passwords.needs_rehash(stored)


async def create(admin_client, username, password):
    return await admin_client.post(
        "/api/admin/users", json={"username": username, "password": password}
    )


async def test_long_passphrases_are_taken_whole(admin_client):
    long = "correct horse " * 73  # 1022 characters
    assert (await create(admin_client, "alice", long)).status == 201
    client = await admin_client.spawn()
    await login(client, "alice", long)
    resp = await client.post(
        "/api/auth/login", json={"username": "alice", "password": long[:-1] + "X"}
    )
    assert resp.status == 401
    resp = await client.post("/api/auth/login", json={"username": "alice", "password": long[:72]})
    assert resp.status == 401  # no truncation


async def test_too_long_passwords_get_a_clear_400(admin_client):
    resp = await create(admin_client, "alice", "x" * 1025)
    assert resp.status == 400 and "password" in (await resp.json())["error"]
    resp = await admin_client.post(
        "/api/auth/login", json={"username": "admin", "password": "x" * 1025}
    )
    assert resp.status == 400 and "password" in (await resp.json())["error"]


async def test_unicode_passwords_match_in_either_normal_form(admin_client):
    password = unicodedata.normalize("NFC", "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e")
    assert (await create(admin_client, "alice", password)).status == 201
    client = await admin_client.spawn()
    await login(client, "alice", unicodedata.normalize("NFD", password))


async def test_passwords_are_stored_only_as_hashes(admin_client):
    await create(admin_client, "alice", "alice's own passphrase")
    async with admin_client.app[DATABASE].read() as conn:
        row = (await conn.execute(select(users).where(users.c.username == "alice"))).one()
    assert "alice's own passphrase" not in str(tuple(row))
    assert row.password_hash.startswith("$scrypt$")


async def test_logins_do_not_stall_other_requests(admin_client):
    for i in range(8):  # eight accounts: one account's parallel attempts are throttled together
        await create_user(admin_client, f"user{i}", "their own passphrase")
    clients = [await admin_client.spawn() for _ in range(8)]
    logins = [
        asyncio.create_task(
            c.post(
                "/api/auth/login", json={"username": f"user{i}", "password": "their own passphrase"}
            )
        )
        for i, c in enumerate(clients)
    ]
    await asyncio.sleep(0.05)  # let the logins reach the server and start hashing
    resp = await admin_client.get("/health")
    assert resp.status == 200
    still_hashing = sum(not t.done() for t in logins)
    results = await asyncio.gather(*logins)
    assert [r.status for r in results] == [200] * 8
    assert still_hashing > 0
