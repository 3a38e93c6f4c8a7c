"""TOTP: set-up with a QR code, the challenge step, single-use codes, expiry, self-service."""

from __future__ import annotations

import asyncio
import base64
import io

import pytest
import zxingcpp
from jarvis.auth.sql import challenges, users
from jarvis.keys import DATABASE, VAULT
from jarvis.services.vault_keys import cred_table
from jarvis.testing.clients import PASSWORD, create_user, start_client
from jarvis.timeutil import utcnow
from PIL import Image
from sqlalchemy import select, update

from .conftest import code, totp_from


@pytest.fixture
async def admin_client(client_as):
    """The admin, re-authenticated: setting up or turning off MFA is a protected action."""
    client = await client_as("admin")
    await client.reauth()
    return client


async def mfa_user(admin_client, name="alice"):
    """A user with MFA set up by the admin; returns (user, their authenticator)."""
    user = await create_user(admin_client, name)
    resp = await admin_client.post(f"/api/admin/users/{user.id}/mfa-setup")
    assert resp.status == 200
    return user, totp_from(await resp.json())


async def password_step(client, name="alice"):
    resp = await client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
    assert resp.status == 200
    return resp


async def challenge_for(client, name="alice") -> str:
    return (await (await password_step(client, name)).json())["challenge"]


async def test_setup_answer_has_a_scannable_qr_code(admin_client):
    user = await create_user(admin_client, "alice")
    resp = await admin_client.post(f"/api/admin/users/{user.id}/mfa-setup")
    enrolment = await resp.json()
    uri = enrolment["provisioning_uri"]
    assert uri.startswith("otpauth://totp/") and "alice" in uri and "issuer=Jarvis" in uri
    prefix = "data:image/png;base64,"
    assert enrolment["qr_code"].startswith(prefix)
    png = base64.b64decode(enrolment["qr_code"][len(prefix) :])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [d.text for d in decoded] == [uri]


async def test_mfa_login_needs_the_code_and_sets_no_cookie_before(admin_client):
    _user, totp = await mfa_user(admin_client)
    client = await admin_client.spawn()
    resp = await password_step(client)
    body = await resp.json()
    assert body["mfa_required"] is True and body["challenge"]
    assert "Set-Cookie" not in resp.headers
    assert (await client.get("/api/auth/me")).status == 401
    resp = await client.post(
        "/api/auth/mfa", json={"challenge": body["challenge"], "code": code(totp)}
    )
    assert resp.status == 200
    assert (await resp.json())["user"]["mfa_enabled"] is True
    assert "Set-Cookie" in resp.headers
    me = await (await client.get("/api/auth/me")).json()
    assert me["username"] == "alice" and me["mfa_enabled"] is True


async def test_a_code_works_once(admin_client):
    _user, totp = await mfa_user(admin_client)
    client = await admin_client.spawn()
    first = await challenge_for(client)
    the_code = code(totp)
    assert (
        await client.post("/api/auth/mfa", json={"challenge": first, "code": the_code})
    ).status == 200
    second = await challenge_for(client)
    resp = await client.post("/api/auth/mfa", json={"challenge": second, "code": the_code})
    assert resp.status == 401
    # The challenge survives a refused code: the next time step's code still completes it.
    resp = await client.post("/api/auth/mfa", json={"challenge": second, "code": code(totp, 1)})
    assert resp.status == 200
    entries = await (await admin_client.get("/api/audit?per_page=100")).json()
    assert any(e.get("action") == "mfa_reuse" for e in entries["entries"])


async def test_two_parallel_submissions_of_one_code_let_one_in(admin_client):
    _user, totp = await mfa_user(admin_client)
    clients = [await admin_client.spawn() for _ in range(2)]
    chals = [await challenge_for(c) for c in clients]
    the_code = code(totp)
    results = await asyncio.gather(
        *(
            c.post("/api/auth/mfa", json={"challenge": ch, "code": the_code})
            for c, ch in zip(clients, chals, strict=True)
        )
    )
    assert sorted(r.status for r in results) == [200, 401]
    # And one challenge submitted twice at once: one session, not two.
    chal = await challenge_for(clients[0])
    next_code = code(totp, 1)
    results = await asyncio.gather(
        *(
            clients[0].post("/api/auth/mfa", json={"challenge": chal, "code": next_code})
            for _ in range(2)
        )
    )
    assert sorted(r.status for r in results) == [200, 401]


async def test_the_challenge_expires(admin_client):
    _user, totp = await mfa_user(admin_client)
    client = await admin_client.spawn()
    chal = await challenge_for(client)
    async with admin_client.app[DATABASE].write() as conn:
        await conn.execute(update(challenges).values(expires_at=utcnow().replace(year=2000)))
    resp = await client.post("/api/auth/mfa", json={"challenge": chal, "code": code(totp)})
    assert resp.status == 401
    assert "expired" in (await resp.json())["error"]


async def test_wrong_and_malformed_codes(admin_client):
    _user, totp = await mfa_user(admin_client)
    client = await admin_client.spawn()
    chal = await challenge_for(client)
    wrong = f"{(int(code(totp)) + 1) % 1_000_000:06d}"
    for bad in (wrong, "abcdef", "12345 6x"):
        resp = await client.post("/api/auth/mfa", json={"challenge": chal, "code": bad})
        assert resp.status == 401
    resp = await client.post("/api/auth/mfa", json={"challenge": chal, "code": "1"})
    assert resp.status == 400 and "code" in (await resp.json())["error"]
    resp = await client.post("/api/auth/mfa", json={"challenge": "made-up", "code": code(totp)})
    assert resp.status == 401


async def test_the_secret_is_kept_encrypted_in_the_vault(admin_client):
    user, totp = await mfa_user(admin_client)
    app = admin_client.app
    assert await app[VAULT].get(f"internal:totp:{user.id}") == totp.secret
    async with app[DATABASE].read() as conn:
        rows = (await conn.execute(select(cred_table))).all()
        user_row = (await conn.execute(select(users).where(users.c.id == user.id))).one()
    assert totp.secret.encode() not in b"".join(bytes(str(r), "utf-8") for r in rows)
    assert totp.secret not in str(user_row)
    listed = await (await admin_client.get("/api/credentials")).json()
    assert "internal:" not in str(listed)


async def test_self_service_setup_confirm_and_disable(user_client):
    await user_client.reauth()
    resp = await user_client.post("/api/my/mfa-setup")
    assert resp.status == 200
    totp = totp_from(await resp.json())
    me = await (await user_client.get("/api/auth/me")).json()
    assert me["mfa_enabled"] is False  # not before a code confirms it
    resp = await user_client.post("/api/my/mfa-confirm", json={"code": "000000"})
    assert resp.status == 400
    resp = await user_client.post("/api/my/mfa-confirm", json={"code": code(totp)})
    assert resp.status == 200
    assert (await (await user_client.get("/api/auth/me")).json())["mfa_enabled"] is True
    assert (await user_client.post("/api/my/mfa-setup")).status == 409  # turn it off first

    other = await user_client.spawn()
    body = await (await password_step(other, "user")).json()
    assert body["mfa_required"] is True

    resp = await user_client.post("/api/my/mfa-disable", json={"code": code(totp)})
    assert resp.status == 400  # that code was used for confirming
    resp = await user_client.post("/api/my/mfa-disable", json={"code": code(totp, 1)})
    assert resp.status == 200
    body = await (await password_step(other, "user")).json()
    assert body["ok"] is True


async def test_admin_can_turn_mfa_off(admin_client):
    user, _totp = await mfa_user(admin_client)
    resp = await admin_client.post(f"/api/admin/users/{user.id}/mfa-disable")
    assert resp.status == 200
    client = await admin_client.spawn()
    assert (await (await password_step(client)).json())["ok"] is True
    listed = await (await admin_client.get(f"/api/admin/users/{user.id}")).json()
    assert listed["mfa_enabled"] is False
    assert await admin_client.app[VAULT].get(f"internal:totp:{user.id}") is None


async def test_mfa_setup_for_an_unknown_user_is_404(admin_client):
    resp = await admin_client.post("/api/admin/users/nobody/mfa-setup")
    assert resp.status == 404


async def test_mfa_works_across_two_processes(make_app, admin_client):
    """A code used through one server process is refused by another on the same database."""
    _user, totp = await mfa_user(admin_client)
    second = await start_client(make_app())
    try:
        a, b = await admin_client.spawn(), second
        chal_a, chal_b = await challenge_for(a), await challenge_for(b)
        the_code = code(totp)
        assert (
            await a.post("/api/auth/mfa", json={"challenge": chal_a, "code": the_code})
        ).status == 200
        assert (
            await b.post("/api/auth/mfa", json={"challenge": chal_b, "code": the_code})
        ).status == 401
    finally:
        await second.close()
