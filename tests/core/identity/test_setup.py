"""First run: no default password; a one-time token creates the first admin."""

from __future__ import annotations

import asyncio
import io
import os
import sys

import pytest
from jarvis.auth.setup import first_run_message, issue_setup_token
from jarvis.cli import main
from jarvis.keys import DATABASE
from jarvis.testing.clients import create_user, login


async def test_setup_with_the_printed_token(anon_client):
    assert await (await anon_client.get("/api/setup")).json() == {"needed": True}
    message = await first_run_message(anon_client.app[DATABASE], "http://127.0.0.1:8080")
    token = message.split("token:\n\n    ", 1)[1].split("\n", 1)[0]
    body = {"username": "root", "password": "the first passphrase", "token": token}

    resp = await anon_client.post("/api/setup", json={**body, "token": "guess"})
    assert resp.status == 403
    resp = await anon_client.post("/api/setup", json=body)
    assert resp.status == 201
    user_id = (await resp.json())["id"]
    assert await (await anon_client.get("/api/setup")).json() == {"needed": False}
    assert (await anon_client.post("/api/setup", json=body)).status == 409

    answer = await login(anon_client, "root", "the first passphrase")
    assert answer["user"] == {
        "id": user_id,
        "username": "root",
        "role": "admin",
        "mfa_enabled": False,
    }
    assert await first_run_message(anon_client.app[DATABASE], "http://x") is None


async def test_no_token_is_issued_once_a_user_exists(anon_client):
    await create_user(anon_client, "alice", role="admin")
    assert await issue_setup_token(anon_client.app[DATABASE]) is None
    resp = await anon_client.post(
        "/api/setup",
        json={"username": "mallory", "password": "long enough pass", "token": "anything"},
    )
    assert resp.status == 409


async def test_two_setups_at_once_make_one_admin(anon_client):
    db = anon_client.app[DATABASE]
    tokens = [await issue_setup_token(db), await issue_setup_token(db)]  # two processes
    results = await asyncio.gather(
        *(
            anon_client.post(
                "/api/setup",
                json={"username": f"admin{i}", "password": "long enough pass", "token": token},
            )
            for i, token in enumerate(tokens)
        )
    )
    assert sorted(r.status for r in results) == [201, 409]


async def test_setup_validates_the_body(anon_client):
    token = await issue_setup_token(anon_client.app[DATABASE])
    resp = await anon_client.post(
        "/api/setup", json={"username": "root", "password": "short", "token": token}
    )
    assert resp.status == 400 and "password" in (await resp.json())["error"]
    resp = await anon_client.post(
        "/api/setup", json={"username": "root", "password": "long enough"}
    )
    assert resp.status == 400 and "token" in (await resp.json())["error"]


@pytest.mark.skipif(
    os.environ.get("TEST_DATABASE") == "postgresql",
    reason="the command opens the configured database, not the test's schema",
)
def test_cli_creates_the_first_admin(make_settings, monkeypatch, capsys):
    settings = make_settings()
    monkeypatch.setenv("JARVIS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("JARVIS_DATABASE_URL", settings.database_url)

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["user", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, err = run(
        "create", "Root", "--admin", "--password-stdin", stdin="a command-line passphrase\n"
    )
    assert code == 0, err
    assert "created admin root" in out
    assert "a command-line passphrase" not in out + err
    code, out, _ = run("list")
    assert code == 0 and "root" in out and "admin" in out
    code, _, err = run("create", "bob", "--password-stdin", stdin="short\n")
    assert code == 2 and "at least 8 characters" in err
    code, _, err = run("create", "root", "--password-stdin", stdin="long enough pass\n")
    assert code == 2 and "taken" in err
