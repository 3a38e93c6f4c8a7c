"""No password, hash, TOTP secret, key, token or cookie in any answer that is not meant to carry
it, in any log line, or in the audit log."""

from __future__ import annotations

import logging

from jarvis.auth.http import COOKIE_NAME
from jarvis.auth.setup import issue_setup_token
from jarvis.auth.sql import api_keys, sessions, users
from jarvis.auth.tokens import token_hash
from jarvis.keys import DATABASE
from sqlalchemy import select

from .conftest import code, totp_from


async def test_secrets_stay_out_of_answers_logs_and_audit(anon_client, caplog):
    caplog.set_level(logging.INFO)  # the server's default level, for every library
    caplog.set_level(logging.DEBUG, logger="jarvis")
    app = anon_client.app
    seen: list[str] = []  # every answer body that is not supposed to hold a secret

    async def call(method, path, client=anon_client, keep=True, **kwargs):
        resp = await getattr(client, method)(path, **kwargs)
        text = await resp.text()
        if keep:
            seen.append(text)
        return resp, text

    setup_token = await issue_setup_token(app[DATABASE])
    admin_pw, alice_pw, new_pw = "admin's secret words", "alice's secret words", "alice's new words"
    await call(
        "post", "/api/setup", json={"username": "root", "password": admin_pw, "token": setup_token}
    )
    await call("post", "/api/auth/login", json={"username": "root", "password": "wrong words!"})
    resp, _ = await call("post", "/api/auth/login", json={"username": "root", "password": admin_pw})
    admin_cookie = resp.cookies[COOKIE_NAME].value
    resp, text = await call(
        "post", "/api/admin/users", json={"username": "alice", "password": alice_pw}
    )
    alice_id = (await resp.json())["id"]

    await call("post", "/api/auth/reauth", json={"password": "wrong words!"})
    await call("post", "/api/auth/reauth", json={"password": admin_pw})
    resp, enrolment = await call("post", f"/api/admin/users/{alice_id}/mfa-setup", keep=False)
    totp = totp_from(await resp.json())
    alice = await anon_client.spawn()
    resp, _ = await call(
        "post",
        "/api/auth/login",
        alice,
        keep=False,
        json={"username": "alice", "password": alice_pw},
    )
    challenge = (await resp.json())["challenge"]
    await call("post", "/api/auth/mfa", alice, json={"challenge": challenge, "code": code(totp)})
    await call("post", "/api/auth/mfa", alice, json={"challenge": challenge, "code": code(totp)})
    await call("post", "/api/auth/reauth", alice,
               json={"password": alice_pw, "code": code(totp, 1)})
    resp, _ = await call("post", "/api/my/api-keys", alice, keep=False, json={"name": "ci"})
    key = (await resp.json())["key"]
    await call("get", "/api/auth/me", alice, headers={"X-API-Key": key})
    await call("get", "/api/my/api-keys", alice)
    await call(
        "post",
        "/api/my/password",
        alice,
        json={"current_password": "wrong words!", "new_password": new_pw},
    )
    await call(
        "post",
        "/api/my/password",
        alice,
        json={"current_password": alice_pw, "new_password": new_pw},
    )
    await call("get", f"/api/auth/me?api_key={key}", alice, keep=False)
    for path in (
        "/api/admin/users",
        f"/api/admin/users/{alice_id}",
        "/api/auth/me",
        "/api/audit?per_page=200",
        "/api/credentials",
    ):
        await call("get", path)
    await call("post", "/api/auth/logout")

    async with app[DATABASE].read() as conn:
        hashes = [r.password_hash for r in (await conn.execute(select(users))).all()]
        hashes += [r.key_hash for r in (await conn.execute(select(api_keys))).all()]
        hashes += [r.token_hash for r in (await conn.execute(select(sessions))).all()]
    admin_token = admin_cookie.rsplit(".", 1)[0]
    secrets = {
        "setup token": setup_token,
        "admin password": admin_pw,
        "alice password": alice_pw,
        "new password": new_pw,
        "TOTP secret": totp.secret,
        "API key": key,
        "session token": admin_token,
        "session token hash": token_hash(admin_token),
        "challenge": challenge,
        **{f"stored hash {i}": h for i, h in enumerate(hashes)},
    }
    # ``jarvis serve`` runs without an access log; the test server's would show the URL that
    # carried a key in its query string (refused with 400 above, but the client sent it).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "aiohttp.access")
    assert caplog.records  # logging was captured at all
    answers = "\n".join(seen)
    assert "login_failed" in answers and "user_created" in answers  # the audit page was read
    for name, value in secrets.items():
        assert value not in answers, f"{name} in an answer"
        assert value not in logged, f"{name} in the log"
    assert totp.secret in enrolment  # where it belongs: the set-up answer only
