"""User management [admin], as the reference prints it, and the last-admin rule."""

from __future__ import annotations

import asyncio

import pytest
from jarvis.testing.clients import PASSWORD, login


async def test_create_list_get_update_delete(admin_client):
    resp = await admin_client.post(
        "/api/admin/users",
        json={"username": "Alice", "password": "alice's passphrase", "role": "user"},
    )
    assert resp.status == 200
    alice_id = (await resp.json())["id"]
    listed = await (await admin_client.get("/api/admin/users")).json()
    assert {
        "id": alice_id,
        "username": "alice",
        "role": "user",
        "is_active": True,
        "mfa_enabled": False,
    } in listed
    assert [u["username"] for u in listed] == ["admin", "alice"]
    one = await (await admin_client.get(f"/api/admin/users/{alice_id}")).json()
    assert one == {
        "id": alice_id,
        "username": "alice",
        "role": "user",
        "is_active": True,
        "mfa_enabled": False,
    }
    resp = await admin_client.put(f"/api/admin/users/{alice_id}", json={"role": "admin"})
    assert resp.status == 200 and await resp.json() == {"ok": True}
    one = await (await admin_client.get(f"/api/admin/users/{alice_id}")).json()
    assert one["role"] == "admin" and one["is_active"] is True  # the rest unchanged
    resp = await admin_client.delete(f"/api/admin/users/{alice_id}")
    assert resp.status == 200 and await resp.json() == {"ok": True}
    assert (await admin_client.get(f"/api/admin/users/{alice_id}")).status == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "", "password": "long enough"}, "username"),
        ({"username": "../etc", "password": "long enough"}, "username"),
        ({"username": "a b", "password": "long enough"}, "username"),
        ({"username": "alice", "password": "short"}, "password"),
        ({"username": "alice", "password": "x" * 1025}, "password"),
        ({"username": "alice", "password": "long enough", "role": "root"}, "role"),
        ({"username": "alice", "password": "long enough", "admin": True}, "admin"),
        ({"password": "long enough"}, "username"),
    ],
)
async def test_bad_user_bodies_name_the_field(admin_client, body, field):
    resp = await admin_client.post("/api/admin/users", json=body)
    assert resp.status == 400
    assert field in (await resp.json())["error"]


async def test_user_names_are_unique_ignoring_case(admin_client):
    body = {"username": "alice", "password": "long enough"}
    assert (await admin_client.post("/api/admin/users", json=body)).status == 200
    resp = await admin_client.post("/api/admin/users", json={**body, "username": "ALICE"})
    assert resp.status == 409


async def test_unknown_users_are_404(admin_client):
    for method in ("get", "put", "delete"):
        kwargs = {"json": {"role": "user"}} if method == "put" else {}
        resp = await getattr(admin_client, method)("/api/admin/users/nobody", **kwargs)
        assert resp.status == 404
    await admin_client.reauth()
    assert (await admin_client.post("/api/admin/users/nobody/mfa-disable")).status == 404


async def test_bad_updates_name_the_field(admin_client, user_client):
    url = f"/api/admin/users/{user_client.user.id}"
    for body, field in (
        ({"role": "boss"}, "role"),
        ({"is_active": "maybe"}, "is_active"),
        ({"password": "short"}, "password"),
        ({"name": "x"}, "name"),
    ):
        resp = await admin_client.put(url, json=body)
        assert resp.status == 400
        assert field in (await resp.json())["error"]


async def test_password_reset_by_an_admin(admin_client, user_client):
    url = f"/api/admin/users/{user_client.user.id}"
    resp = await admin_client.put(url, json={"password": "set by the admin"})
    assert resp.status == 200
    assert (await user_client.get("/api/auth/me")).status == 401  # sessions ended
    fresh = await admin_client.spawn()
    resp = await fresh.post("/api/auth/login", json={"username": "user", "password": PASSWORD})
    assert resp.status == 401
    await login(fresh, "user", "set by the admin")


async def test_deleting_a_user_ends_their_session(admin_client, user_client):
    assert (await admin_client.delete(f"/api/admin/users/{user_client.user.id}")).status == 200
    assert (await user_client.get("/api/auth/me")).status == 401


async def test_the_last_active_admin_stays(admin_client):
    url = f"/api/admin/users/{admin_client.user.id}"
    for method, body in (
        ("put", {"role": "user"}),
        ("put", {"is_active": False}),
        ("delete", None),
    ):
        resp = await getattr(admin_client, method)(url, json=body)
        assert resp.status == 409
        assert "last active admin" in (await resp.json())["error"]
    me = await (await admin_client.get("/api/auth/me")).json()
    assert me["role"] == "admin"


async def test_a_disabled_admin_does_not_count(admin_client, client_as):
    other = await client_as("admin")
    assert (
        await admin_client.put(f"/api/admin/users/{other.user.id}", json={"is_active": False})
    ).status == 200
    resp = await admin_client.put(f"/api/admin/users/{admin_client.user.id}", json={"role": "user"})
    assert resp.status == 409


async def test_two_admins_demoting_each_other_at_once_leave_one(admin_client, client_as):
    other = await client_as("admin")
    results = await asyncio.gather(
        admin_client.put(f"/api/admin/users/{other.user.id}", json={"role": "user"}),
        other.put(f"/api/admin/users/{admin_client.user.id}", json={"role": "user"}),
    )
    statuses = sorted(r.status for r in results)
    assert statuses[0] == 200 and statuses[1] in (403, 409)  # 403: demoted before it ran
    survivor = admin_client if results[0].status == 200 else other
    listed = await (await survivor.get("/api/admin/users")).json()
    assert [u["username"] for u in listed if u["role"] == "admin" and u["is_active"]] == [
        survivor.user.username
    ]


async def test_user_changes_are_audited(admin_client):
    resp = await admin_client.post(
        "/api/admin/users", json={"username": "alice", "password": "alice's passphrase"}
    )
    alice_id = (await resp.json())["id"]
    await admin_client.put(f"/api/admin/users/{alice_id}", json={"is_active": False})
    await admin_client.delete(f"/api/admin/users/{alice_id}")
    page = await (await admin_client.get("/api/audit?per_page=100")).json()
    actions = [(e["action"], e["username"]) for e in page["entries"]]
    for action in ("user_created", "user_updated", "user_deleted"):
        assert (action, "admin") in actions
    assert "alice's passphrase" not in str(page)
