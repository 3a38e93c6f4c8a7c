"""The credentials API: round trips, secrecy of values, validation, tamper detection."""

from __future__ import annotations

import json
import logging

import pytest
from jarvis.models.vault import Credential
from sqlalchemy import select, update

from .conftest import audit_rows

SECRET = "sk-ant-very-secret-value-123"


@pytest.fixture
async def admin_client(client_as):
    """The admin, re-authenticated: revealing a credential in a session is a protected action."""
    client = await client_as("admin")
    await client.reauth()
    return client


async def credential_rows(db) -> list[dict]:
    return [r for r in await audit_rows(db) if r["action"].startswith("credential_")]


async def test_round_trip_of_every_endpoint(admin_client):
    client = admin_client
    body = {"key": "system:anthropic_api_key", "value": SECRET, "description": "Anthropic key"}
    r = await client.post("/api/credentials", json=body)
    assert r.status == 200 and await r.json() == {"ok": True}

    listed = await (await client.get("/api/credentials")).json()
    assert [(c["key"], c["description"]) for c in listed] == [
        ("system:anthropic_api_key", "Anthropic key")
    ]
    assert listed[0]["updated_at"].endswith("Z") and "value" not in listed[0]

    got = await (await client.get("/api/credentials/system:anthropic_api_key")).json()
    assert (got["key"], got["value"], got["description"]) == (
        "system:anthropic_api_key", SECRET, "Anthropic key"
    )

    replace = {"key": "system:anthropic_api_key", "value": "sk-ant-replaced-000000"}
    assert (await client.post("/api/credentials", json=replace)).status == 200
    got = await (await client.get("/api/credentials/system:anthropic_api_key")).json()
    assert (got["value"], got["description"]) == ("sk-ant-replaced-000000", "Anthropic key")
    replace["description"] = ""
    assert (await client.post("/api/credentials", json=replace)).status == 200
    listed = await (await client.get("/api/credentials")).json()
    assert listed[0]["description"] == ""

    r = await client.delete("/api/credentials/system:anthropic_api_key")
    assert await r.json() == {"ok": True}
    r = await client.get("/api/credentials/system:anthropic_api_key")
    assert r.status == 404 and (await r.json())["error"] == "credential not found"
    assert (await client.delete("/api/credentials/system:anthropic_api_key")).status == 404
    assert await (await client.get("/api/credentials")).json() == []


async def test_credentials_are_admin_only(anon_client, user_client):
    assert (await anon_client.get("/api/credentials")).status == 401
    assert (await user_client.get("/api/credentials")).status == 403
    assert (await user_client.get("/api/credentials/system:x")).status == 403
    body = {"key": "system:x", "value": "v"}
    assert (await user_client.post("/api/credentials", json=body)).status == 403
    assert (await user_client.delete("/api/credentials/system:x")).status == 403


async def test_values_never_in_lists_logs_or_audit_rows(admin_client, services, caplog):
    _vault, _audit, db = services
    caplog.set_level(logging.DEBUG)
    await admin_client.post("/api/credentials", json={"key": "system:smtp", "value": SECRET})
    listed = await (await admin_client.get("/api/credentials")).text()
    await admin_client.get("/api/credentials/system:smtp")
    await admin_client.delete("/api/credentials/system:smtp")
    assert "system:smtp" in listed and SECRET not in listed
    assert SECRET not in caplog.text
    rows = await credential_rows(db)
    assert [r["action"] for r in rows] == [
        "credential_set", "credential_read", "credential_deleted"
    ]
    assert {r["user_id"] for r in rows} == {admin_client.user.id}
    assert all(json.loads(r["detail"])["key"] == "system:smtp" for r in rows)
    every_row = json.dumps([{k: str(v) for k, v in r.items()} for r in await audit_rows(db)])
    assert SECRET not in every_row


async def test_user_and_internal_namespaces_are_not_exposed(admin_client, services):
    vault, _audit, _db = services
    await vault.put("user:u-alice:caldav_password", "alice-secret-1")
    await vault.put("internal:totp:u-alice", "JBSWY3DPEHPK3PXP")
    await vault.put("USER:u-bob:x", "bob-secret-22")
    await vault.put("system:bot_token", "123:abc-token")
    listed = await (await admin_client.get("/api/credentials")).json()
    assert [c["key"] for c in listed] == ["system:bot_token"]
    for key in ("user:u-alice:caldav_password", "internal:totp:u-alice", "USER:u-bob:x"):
        assert (await admin_client.get(f"/api/credentials/{key}")).status == 404
        assert (await admin_client.delete(f"/api/credentials/{key}")).status == 404
    r = await admin_client.post("/api/credentials", json={"key": "internal:x", "value": "v"})
    assert r.status == 400 and (await r.json())["error"].startswith("key:")
    assert await vault.get("internal:totp:u-alice") == "JBSWY3DPEHPK3PXP"


async def test_invalid_input_is_a_400_naming_the_field(admin_client):
    cases = [
        ({"key": "bad key", "value": "v"}, "key"),
        ({"key": "x" * 201, "value": "v"}, "key"),
        ({"key": "system:x", "value": ""}, "value"),
        ({"key": "system:x", "value": "v" * 70_000}, "value"),
        ({"key": "system:x"}, "value"),
        ({"value": "v"}, "key"),
        ({"key": "system:x", "value": 5}, "value"),
        ({"key": "system:x", "value": "v", "description": "d" * 501}, "description"),
    ]
    for body, field in cases:
        r = await admin_client.post("/api/credentials", json=body)
        assert r.status == 400, body
        assert (await r.json())["error"].startswith(f"{field}:"), body
    r = await admin_client.get("/api/credentials/bad%20key")
    assert r.status == 400 and (await r.json())["error"].startswith("key:")
    assert await (await admin_client.get("/api/credentials")).json() == []


async def test_a_ciphertext_copied_to_another_row_does_not_decrypt(admin_client, services):
    vault, _audit, db = services
    await vault.put("system:a", "value-of-a-123")
    await vault.put("system:b", "value-of-b-456")
    table = Credential.__table__
    async with db.write() as conn:
        blob = (await conn.execute(
            select(table.c.ciphertext).where(table.c.key == "system:a"))).scalar_one()
        await conn.execute(update(table).where(table.c.key == "system:b").values(ciphertext=blob))
    vault._cache.clear()  # the swap happened behind the vault's back (another process)

    r = await admin_client.get("/api/credentials/system:b")
    assert r.status == 409
    body = await r.json()
    assert body["error"] == "credential cannot be decrypted"
    assert "value-of-a" not in json.dumps(body)
    r = await admin_client.get("/api/credentials/system:a")
    assert (await r.json())["value"] == "value-of-a-123"
    # the row is still listed, and setting it again repairs it
    await admin_client.post("/api/credentials", json={"key": "system:b", "value": "fresh-b-789"})
    r = await admin_client.get("/api/credentials/system:b")
    assert (await r.json())["value"] == "fresh-b-789"
    assert "credential_unreadable" in [r["action"] for r in await credential_rows(db)]


async def test_a_write_invalidates_the_cached_value(services):
    vault, _audit, _db = services
    assert await vault.get("system:k") is None
    await vault.put("system:k", "first-value")
    assert await vault.get("system:k") == "first-value"
    await vault.put("system:k", "second-value")
    assert await vault.get("system:k") == "second-value"
    assert await vault.delete("system:k") is True
    assert await vault.get("system:k") is None
    assert await vault.delete("system:k") is False


async def test_user_view_reads_system_and_own_keys_only(services):
    vault, _audit, _db = services
    await vault.put("system:pushover_token", "sys-token-value")
    await vault.put("user:u-bob:caldav", "bob-caldav-secret")
    alice = vault.for_user("u-alice")
    await alice.set_user("caldav", "alice-caldav-secret")
    assert await alice.get_user("caldav") == "alice-caldav-secret"
    assert await alice.get("system:pushover_token") == "sys-token-value"
    assert await alice.get("user:u-bob:caldav") is None
    assert await vault.get("user:u-alice:caldav") == "alice-caldav-secret"
    assert [m.key for m in await vault.list("user:u-alice:")] == ["user:u-alice:caldav"]
