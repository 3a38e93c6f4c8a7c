"""Email accounts: each user's own; passwords go to the vault and never come back."""


from jarvis.testing.plugins import plugin_context

from .helpers import account_body, make_account, make_agent, ok


async def test_create_shows_the_account_without_its_passwords(user_client):
    created = await make_account(user_client, **account_body(
        imap_password="imap-pass-1", smtp_host="smtp.example.com",
        smtp_password="smtp-pass-1"))
    text = str(created)
    assert "imap-pass-1" not in text and "smtp-pass-1" not in text
    assert created["imap_password_set"] is True and created["smtp_password_set"] is True
    assert (created["imap_port"], created["imap_tls"]) == (993, "ssl")
    assert (created["smtp_port"], created["smtp_tls"]) == (465, "ssl")  # defaults by TLS mode
    assert created["folders"] == ["INBOX"]
    assert created["enabled"] is True and created["reply"] is False

    again = await ok(await user_client.get(f"/api/email-accounts/{created['id']}"))
    listed = await ok(await user_client.get("/api/email-accounts"))
    assert again == created and listed == [created]
    assert "imap-pass-1" not in str(listed)

    # stored in the vault, in the user's own space
    vault = plugin_context(user_client, "email").vault
    key = f"user:{user_client.user.id}:email:{created['id']}:imap_password"
    assert await vault.get(key) == "imap-pass-1"


async def test_other_users_accounts_do_not_exist_for_them(user_client, client_as):
    created = await make_account(user_client, **account_body())
    other = await client_as("user", username="mallory")
    admin = await client_as("admin")
    path = f"/api/email-accounts/{created['id']}"
    for client in (other, admin):
        assert await ok(await client.get("/api/email-accounts")) == []
        assert (await client.get(path)).status == 404
        assert (await client.put(path, json={"label": "mine"})).status == 404
        assert (await client.delete(path)).status == 404
    assert (await ok(await user_client.get(path)))["label"] == "Work"


async def test_update_changes_only_the_fields_given(user_client):
    created = await make_account(user_client, **account_body())
    path = f"/api/email-accounts/{created['id']}"
    updated = await ok(await user_client.put(path, json={
        "label": "Home", "imap_tls": "starttls", "folders": ["INBOX", "Team News"],
        "imap_password": "new-password"}))
    assert updated["label"] == "Home"
    assert (updated["imap_tls"], updated["imap_port"]) == ("starttls", 143)
    assert updated["folders"] == ["INBOX", "Team News"]
    assert updated["imap_username"] == created["imap_username"]
    assert "new-password" not in str(updated)
    key = f"user:{user_client.user.id}:email:{created['id']}:imap_password"
    assert await plugin_context(user_client, "email").vault.get(key) == "new-password"


async def test_delete_removes_the_account_and_its_passwords(user_client):
    created = await make_account(user_client, **account_body(smtp_host="smtp.example.com",
                                                             smtp_password="p2-secret"))
    path = f"/api/email-accounts/{created['id']}"
    assert await ok(await user_client.delete(path)) == {"ok": True}
    assert (await user_client.get(path)).status == 404
    assert (await user_client.delete(path)).status == 404
    prefix = f"user:{user_client.user.id}:email:"
    assert await plugin_context(user_client, "email").vault.list(prefix=prefix) == []


async def test_a_trigger_accounts_agent_is_one_of_its_own_users(user_client, client_as):
    other = await client_as("user", username="mallory")
    foreign = await make_agent(other)
    resp = await user_client.post("/api/email-accounts", json=account_body(
        account_type="trigger", agent_id=foreign))
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("agent_id")

    mine = await make_agent(user_client)
    created = await make_account(user_client, **account_body(
        account_type="trigger", agent_id=mine, trigger_phrase="weekly report", enabled=False))
    assert (created["agent_id"], created["trigger_phrase"]) == (mine, "weekly report")
    path = f"/api/email-accounts/{created['id']}"
    assert (await user_client.put(path, json={"agent_id": foreign})).status == 400
    # without an agent of its own, the account's trigger rules pick the agent
    changed = await ok(await user_client.put(path, json={"agent_id": None}))
    assert changed["agent_id"] is None


async def test_bad_fields_are_refused_naming_them(user_client):
    cases = {
        "imap_host": {"imap_host": "mail example.com"},
        "imap_port": {"imap_port": 70000},
        "imap_tls": {"imap_tls": "tls"},
        "account_type": {"account_type": "both"},
        "imap_username": {"imap_username": 'a" b'},
        "imap_password": {"imap_password": "x\r\nA001 LOGOUT"},
        "from_address": {"from_address": "Jarvis <jarvis@example.com>"},
        "folders": {"folders": ['INBOX" (\\Deleted)']},
        "label": {"label": ""},
        "smtp_host": {"reply": True},  # replies need an SMTP server
        "surprise": {"surprise": 1},
    }
    for field, change in cases.items():
        resp = await user_client.post("/api/email-accounts", json=account_body(**change))
        body = await resp.json()
        assert resp.status == 400, (field, body)
        assert field in body["error"], (field, body)
    assert await ok(await user_client.get("/api/email-accounts")) == []
    vault = plugin_context(user_client, "email").vault
    assert await vault.list(prefix=f"user:{user_client.user.id}:") == []
