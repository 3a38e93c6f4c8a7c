"""The recipient whitelist [admin]: add, list, remove; normalised, validated, audited."""

from jarvis.testing.plugins import audit_entries

from .helpers import ok, whitelist


async def test_admin_adds_lists_and_removes_addresses(admin_client):
    assert await ok(await admin_client.get("/api/email-whitelist")) == []
    await whitelist(admin_client, "  Alice@Example.COM ", 10)
    await whitelist(admin_client, "bob@example.com")
    listed = await ok(await admin_client.get("/api/email-whitelist"))
    assert [(e["email"], e["daily_limit"]) for e in listed] == [
        ("Alice@example.com", 10), ("bob@example.com", 0)]
    assert listed[0]["created_at"].endswith("Z")

    # the domain's case does not matter when removing either
    assert await ok(await admin_client.delete("/api/email-whitelist/Alice@EXAMPLE.com")) == {
        "ok": True}
    listed = await ok(await admin_client.get("/api/email-whitelist"))
    assert [e["email"] for e in listed] == ["bob@example.com"]


async def test_duplicate_is_a_conflict(admin_client):
    await whitelist(admin_client, "alice@example.com")
    resp = await admin_client.post("/api/email-whitelist",
                                   json={"email": "alice@EXAMPLE.com ", "daily_limit": 3})
    assert resp.status == 409
    assert "already" in (await resp.json())["error"]


async def test_invalid_addresses_and_limits_are_refused_naming_the_field(admin_client):
    for bad in ["Alice <alice@example.com>", "alice@example.com\r\nBcc: x@example.com",
                "alice", "alice@example.com, bob@example.com", "ａｌｉｃｅ@example.com", ""]:
        resp = await admin_client.post("/api/email-whitelist", json={"email": bad})
        body = await resp.json()
        assert resp.status == 400, bad
        assert body["error"].startswith("email"), body
    resp = await admin_client.post("/api/email-whitelist",
                                   json={"email": "a@example.com", "daily_limit": -1})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("daily_limit")
    assert await ok(await admin_client.get("/api/email-whitelist")) == []


async def test_removing_an_unknown_address_is_404(admin_client):
    assert (await admin_client.delete("/api/email-whitelist/nobody@example.com")).status == 404
    assert (await admin_client.delete("/api/email-whitelist/not-an-address")).status == 404


async def test_only_admins_see_or_change_the_whitelist(admin_client, user_client, anon_client):
    await whitelist(admin_client, "alice@example.com")
    assert (await user_client.get("/api/email-whitelist")).status == 403
    assert (await user_client.post("/api/email-whitelist",
                                   json={"email": "eve@example.com"})).status == 403
    assert (await user_client.delete("/api/email-whitelist/alice@example.com")).status == 403
    assert (await anon_client.get("/api/email-whitelist")).status == 401


async def test_changes_are_audited(admin_client):
    await whitelist(admin_client, "alice@example.com", 5)
    await ok(await admin_client.delete("/api/email-whitelist/alice@example.com"))
    rows = [e for e in await audit_entries(admin_client)
            if e["action"].startswith("email_whitelist")]
    assert [(r["action"], r["username"]) for r in rows] == [
        ("email_whitelist_added", "admin"), ("email_whitelist_removed", "admin")]
    assert "alice@example.com" in rows[0]["summary"]
