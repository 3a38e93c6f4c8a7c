"""API keys: shown once, both header forms, the owner's role, revoked at once."""

from __future__ import annotations

import pytest
from jarvis.keys import IDENTITY
from jarvis.testing.clients import PASSWORD


async def new_key(client, name="laptop") -> dict:
    await client.reauth()
    resp = await client.post("/api/my/api-keys", json={"name": name})
    assert resp.status == 201
    return await resp.json()


def plain(client):
    """Requests with no cookie and no Origin: what a script sends."""
    return client.spawn()


@pytest.mark.parametrize("header", ["x-api-key", "bearer"])
async def test_a_key_works_in_both_headers(user_client, header):
    created = await new_key(user_client)
    script = await plain(user_client)
    headers = (
        {"X-API-Key": created["key"]}
        if header == "x-api-key"
        else {"Authorization": f"Bearer {created['key']}"}
    )
    resp = await script.get("/api/auth/me", headers=headers)
    assert resp.status == 200
    assert (await resp.json())["username"] == "user"
    # Unsafe methods need no Origin with a key: browsers cannot send the header cross-site.
    resp = await script.session.post(
        script.make_url("/api/my/api-keys"), json={"name": "x", "password": PASSWORD},
        headers=headers,
    )
    assert resp.status == 201


async def test_the_key_is_shown_once_and_stored_as_a_hash(user_client):
    created = await new_key(user_client, "ci")
    assert created["key"].startswith("jv_") and len(created["key"]) > 40
    listed = await (await user_client.get("/api/my/api-keys")).json()
    assert listed == [
        {
            "id": created["id"],
            "name": "ci",
            "prefix": created["key"][:11],
            "created_at": listed[0]["created_at"],
            "last_used_at": None,
        }
    ]
    assert created["key"] not in str(listed)
    from jarvis.auth.sql import api_keys
    from jarvis.keys import DATABASE
    from sqlalchemy import select

    async with user_client.app[DATABASE].read() as conn:
        stored = (await conn.execute(select(api_keys))).mappings().all()
    assert created["key"] not in str([dict(r) for r in stored])


async def test_last_use_is_recorded_in_batches(user_client):
    created = await new_key(user_client)
    script = await plain(user_client)
    for _ in range(3):
        assert (
            await script.get("/api/auth/me", headers={"X-API-Key": created["key"]})
        ).status == 200
    listed = await (await user_client.get("/api/my/api-keys")).json()
    assert listed[0]["last_used_at"] is not None


async def test_a_key_acts_with_its_owners_role(admin_client, user_client):
    script = await plain(user_client)
    user_key = (await new_key(user_client))["key"]
    admin_key = (await new_key(admin_client))["key"]
    assert (await script.get("/api/admin/users", headers={"X-API-Key": user_key})).status == 403
    assert (await script.get("/api/admin/users", headers={"X-API-Key": admin_key})).status == 200


async def test_deleting_a_key_revokes_it_at_once(user_client):
    created = await new_key(user_client)
    script = await plain(user_client)
    headers = {"X-API-Key": created["key"]}
    assert (await script.get("/api/auth/me", headers=headers)).status == 200  # cached now
    resp = await user_client.delete(f"/api/my/api-keys/{created['id']}")
    assert resp.status == 200 and await resp.json() == {"ok": True}
    assert (await script.get("/api/auth/me", headers=headers)).status == 401
    assert await (await user_client.get("/api/my/api-keys")).json() == []


async def test_nobody_sees_or_deletes_anothers_key(client_as, user_client):
    created = await new_key(user_client)
    other = await client_as("user")
    assert await (await other.get("/api/my/api-keys")).json() == []
    resp = await other.delete(f"/api/my/api-keys/{created['id']}")
    assert resp.status == 404
    script = await plain(user_client)
    assert (await script.get("/api/auth/me", headers={"X-API-Key": created["key"]})).status == 200


async def test_a_disabled_users_keys_stop_working(admin_client, user_client):
    key = (await new_key(user_client))["key"]
    script = await plain(user_client)
    assert (await script.get("/api/auth/me", headers={"X-API-Key": key})).status == 200
    await admin_client.put(f"/api/admin/users/{user_client.user.id}", json={"is_active": False})
    assert (await script.get("/api/auth/me", headers={"X-API-Key": key})).status == 401
    await admin_client.put(f"/api/admin/users/{user_client.user.id}", json={"is_active": True})
    assert (await script.get("/api/auth/me", headers={"X-API-Key": key})).status == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-API-Key": "jv_not-a-real-key-but-long-enough-to-look-up"},
        {"X-API-Key": ""},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer jv_" + "x" * 400},
    ],
)
async def test_wrong_keys_get_401(anon_client, headers):
    resp = await anon_client.get("/api/auth/me", headers=headers)
    assert resp.status == 401


async def test_a_bad_key_header_is_not_rescued_by_the_cookie(user_client):
    resp = await user_client.get(
        "/api/auth/me", headers={"X-API-Key": "jv_wrong-wrong-wrong-wrong"}
    )
    assert resp.status == 401


async def test_key_name_is_required(user_client):
    resp = await user_client.post("/api/my/api-keys", json={})
    assert resp.status == 400
    assert "name" in (await resp.json())["error"]


async def test_keys_of_a_deleted_user_are_gone(admin_client, user_client):
    key = (await new_key(user_client))["key"]
    assert (await admin_client.delete(f"/api/admin/users/{user_client.user.id}")).status == 200
    script = await plain(admin_client)
    assert (await script.get("/api/auth/me", headers={"X-API-Key": key})).status == 401
    assert await admin_client.app[IDENTITY].keys.count(user_client.user.id) == 0


async def test_a_proxys_basic_auth_header_does_not_hide_the_cookie(user_client):
    resp = await user_client.get("/api/auth/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert resp.status == 200
