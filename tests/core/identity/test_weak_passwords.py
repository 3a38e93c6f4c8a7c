"""New passwords are checked as NIST SP 800-63B asks: a minimum length and not one of the
passwords everyone tries first, wherever a password is set."""

from __future__ import annotations

import io
import sys

import pytest
from jarvis.auth import passwords
from jarvis.auth.setup import issue_setup_token
from jarvis.cli import main
from jarvis.keys import DATABASE
from jarvis.testing.clients import PASSWORD, create_user, login

WEAK = {
    "common": "password",
    "common, capitalised": "Password",
    "common with digits": "password123",
    "common with a symbol": "Iloveyou!",
    "keyboard walk": "qwertyuiop",
    "digits": "123456789",
    "one character": "aaaaaaaaaaaa",
}


def test_the_list_is_real_and_loaded_once():
    common = passwords.common_passwords()
    assert len(common) > 10_000 and "letmein" in common and "dragon" in common
    assert passwords.common_passwords() is common
    assert passwords.weakness("correct horse battery staple") is None
    assert passwords.weakness("bob-the-builder", "bob-the-builder") is not None
    assert passwords.weakness("short") == "at least 8 characters"


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
async def test_first_run_setup_refuses_a_common_password(anon_client, password):
    token = await issue_setup_token(anon_client.app[DATABASE])
    resp = await anon_client.post(
        "/api/setup", json={"username": "root", "password": password, "token": token}
    )
    assert resp.status == 400
    assert (await resp.json())["error"] == "password: " + passwords.weakness(password)
    assert await (await anon_client.get("/api/setup")).json() == {"needed": True}


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
async def test_an_admin_cannot_give_a_user_a_common_password(admin_client, password):
    resp = await admin_client.post(
        "/api/admin/users", json={"username": "alice", "password": password}
    )
    assert resp.status == 400 and (await resp.json())["error"].startswith("password: ")
    names = [u["username"] for u in await (await admin_client.get("/api/admin/users")).json()]
    assert "alice" not in names  # nothing half-made


async def test_an_admin_reset_and_the_user_name_are_checked(admin_client, user_client):
    url = f"/api/admin/users/{user_client.user.id}"
    for weak in ("monkey123", "user1234"):  # a common password; the user's own name
        resp = await admin_client.put(url, json={"password": weak})
        assert resp.status == 400, weak
        assert (await resp.json())["error"].startswith("password: ")
    resp = await admin_client.post("/api/admin/users", json={"username": "carol",
                                                             "password": "Carol2024!"})
    assert resp.status == 400 and "user name" in (await resp.json())["error"]
    assert (await user_client.get("/api/auth/me")).status == 200  # the password did not change


async def test_a_user_cannot_change_to_a_common_password(anon_client):
    user = await create_user(anon_client, "alice")
    client = await anon_client.as_user(user)
    resp = await client.post(
        "/api/my/password", json={"current_password": PASSWORD, "new_password": "sunshine1"}
    )
    assert resp.status == 400
    assert (await resp.json())["error"] == (
        "new_password: this is one of the most common passwords; choose another"
    )
    await login(await anon_client.spawn(), "alice", PASSWORD)  # still the old password


def test_the_cli_refuses_a_common_password(make_settings, monkeypatch, capsys):
    settings = make_settings()
    monkeypatch.setenv("JARVIS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("JARVIS_DATABASE_URL", settings.database_url)
    for command in (["create", "bob"], ["passwd", "bob"]):
        monkeypatch.setattr(sys, "stdin", io.StringIO("football\n"))
        code = main(["user", *command, "--password-stdin"])
        assert code == 2
        assert "password: this is one of the most common passwords" in capsys.readouterr().err
