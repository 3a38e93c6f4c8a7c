"""`jarvis user ...`, `jarvis apikey ...` and `jarvis setup-token`: the account services the
API uses, from the server's command line, audited as done there."""

from __future__ import annotations

from jarvis.auth.tokens import api_key_prefix
from jarvis.keys import DATABASE
from jarvis.testing.clients import create_user, login, running
from sqlalchemy import text

PASSWORD = "a piped passphrase"


async def audit_rows(app, action: str) -> list[tuple]:
    async with app[DATABASE].read() as conn:
        query = text("SELECT user_id, username, summary FROM audit_log WHERE action = :a")
        return [tuple(r) for r in (await conn.execute(query, {"a": action})).all()]


async def test_user_create_reads_a_piped_password(jarvis_cli, make_app):
    out = await jarvis_cli.ok("user", "create", "--admin", "Root", stdin=PASSWORD + "\n")
    assert out.startswith("created admin root (")
    line = await jarvis_cli.refused("user", "create", "bob", stdin="")
    assert line == ("jarvis: error: no password on standard input: pipe one in or run in a "
                    "terminal")
    assert await jarvis_cli.refused("user", "create", "bob", stdin="short\n") == (
        "jarvis: error: password: at least 8 characters"
    )
    async with running(make_app()) as client:
        assert (await login(client, "root", PASSWORD))["user"]["username"] == "root"
        assert [u["username"] for u in await (await client.get("/api/admin/users")).json()] == [
            "root"
        ]
        assert await audit_rows(client.app, "user_created") == [
            (None, "(command line)", "(command line) created admin root")
        ]


async def test_roles_and_deletion_keep_an_active_admin(jarvis_cli, make_app):
    async with running(make_app()) as client:
        await create_user(client, "root", role="admin")
        await create_user(client, "bob")
    assert await jarvis_cli.refused("user", "role", "root", "user") == (
        "jarvis: error: the last active admin cannot be demoted"
    )
    assert await jarvis_cli.refused("user", "delete", "root") == (
        "jarvis: error: the last active admin cannot be deleted"
    )
    assert await jarvis_cli.refused("user", "delete", "nobody") == (
        "jarvis: error: no user named 'nobody'"
    )
    assert await jarvis_cli.ok("user", "role", "bob", "admin") == "bob is now an admin\n"
    assert await jarvis_cli.ok("user", "delete", "root") == "deleted root\n"
    listed = await jarvis_cli.ok("user", "list")
    assert [line.split("\t")[0::2] for line in listed.splitlines()] == [["bob", "admin"]]
    async with running(make_app()) as client:
        assert await audit_rows(client.app, "user_deleted") == [
            (None, "(command line)", "(command line) deleted root")
        ]
        changed = await audit_rows(client.app, "user_updated")
        assert changed == [(None, "(command line)", "(command line) changed bob: role")]


async def test_api_keys_made_and_revoked_on_the_command_line(jarvis_cli, make_app):
    async with running(make_app()) as client:
        alice = await create_user(client, "alice")
        await create_user(client, "bob")
    out = await jarvis_cli.ok("apikey", "create", "alice", "--name", "backup script")
    header, key = out.splitlines()
    key_id = header.split()[2]
    assert header == f"API key {key_id} for alice (shown this once):"

    mine = (await jarvis_cli.ok("apikey", "list", "alice")).splitlines()
    assert mine[0] == "id\tuser\tname\tprefix\tcreated\tlast used"
    assert [row.split("\t")[:3] for row in mine[1:]] == [[key_id, "alice", "backup script"]]
    assert key not in "".join(mine)
    assert key_id not in await jarvis_cli.ok("apikey", "list", "bob")
    assert key_id in await jarvis_cli.ok("apikey", "list")

    async with running(make_app()) as client:
        resp = await client.get("/api/my/api-keys", headers={"Authorization": f"Bearer {key}"})
        assert resp.status == 200
        assert [k["id"] for k in await resp.json()] == [key_id]
        assert await audit_rows(client.app, "api_key_created") == [
            (None, "(command line)", f"(command line) created API key {api_key_prefix(key)} "
             "of alice")
        ]

    assert await jarvis_cli.ok("apikey", "revoke", key_id) == (
        f"revoked API key {key_id} of alice\n"
    )
    assert await jarvis_cli.refused("apikey", "revoke", key_id) == (
        f"jarvis: error: no API key with id {key_id!r}"
    )
    assert await jarvis_cli.refused("apikey", "create", "nobody", "--name", "x") == (
        "jarvis: error: no user named 'nobody'"
    )
    async with running(make_app()) as client:
        resp = await client.get("/api/my/api-keys", headers={"Authorization": f"Bearer {key}"})
        assert resp.status == 401
    assert alice.username == "alice"


async def test_setup_token_only_while_no_user_exists(jarvis_cli, make_app):
    out = await jarvis_cli.ok("setup-token")
    token = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    async with running(make_app()) as client:
        resp = await client.post("/api/setup", json={
            "username": "first", "password": PASSWORD, "token": token})
        assert resp.status in (200, 201), await resp.text()
    assert await jarvis_cli.refused("setup-token") == (
        "jarvis: error: setup is done: a user exists already (add users with "
        "`jarvis user create`)"
    )
