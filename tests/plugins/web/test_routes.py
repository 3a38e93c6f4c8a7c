"""The Tier 1 whitelist routes [admin], browser-trusted domains per user, and the seed."""

from __future__ import annotations

from urllib.parse import quote

import jarvis_web
from jarvis.testing.clients import running
from jarvis.testing.plugins import BUILTIN_PROVIDERS, plugin_context


async def domains(client, path: str = "/api/web-whitelist") -> list[str]:
    resp = await client.get(path)
    assert resp.status == 200
    return [row["domain"] for row in await resp.json()]


async def test_a_fresh_install_is_seeded_with_harmless_domains(admin_client):
    resp = await admin_client.get("/api/web-whitelist")
    rows = await resp.json()
    assert {"wikipedia.org", "wttr.in", "open-meteo.com"} <= {r["domain"] for r in rows}
    assert all(r["created_at"].endswith("Z") and isinstance(r["note"], str) for r in rows)


async def test_admin_adds_lists_and_deletes_a_domain(admin_client):
    resp = await admin_client.post("/api/web-whitelist",
                            json={"domain": "https://WWW.Example.COM./about", "note": "Our site"})
    assert resp.status == 201
    assert await resp.json() == {"ok": True}
    rows = {r["domain"]: r for r in await (await admin_client.get("/api/web-whitelist")).json()}
    assert rows["www.example.com"]["note"] == "Our site"
    resp = await admin_client.delete("/api/web-whitelist/WWW.EXAMPLE.COM.")
    assert resp.status == 200
    assert "www.example.com" not in await domains(admin_client)


async def test_idn_domains_are_stored_as_punycode(admin_client):
    resp = await admin_client.post("/api/web-whitelist", json={"domain": "bücher.de"})
    assert resp.status == 201
    assert "xn--bcher-kva.de" in await domains(admin_client)
    resp = await admin_client.delete("/api/web-whitelist/" + quote("bücher.de"))
    assert resp.status == 200
    assert "xn--bcher-kva.de" not in await domains(admin_client)


async def test_duplicates_conflict_in_any_spelling(admin_client):
    resp = await admin_client.post("/api/web-whitelist", json={"domain": "example.com"})
    assert resp.status == 201
    for spelling in ("example.com", "EXAMPLE.COM.", "http://example.com/x"):
        resp = await admin_client.post("/api/web-whitelist", json={"domain": spelling})
        assert resp.status == 409, spelling
        assert "already" in (await resp.json())["error"]


async def test_invalid_domains_are_400_naming_the_field(admin_client):
    for bad in ("not a domain", "localhost", "10.0.0.1", "", "user@example.com"):
        resp = await admin_client.post("/api/web-whitelist", json={"domain": bad})
        assert resp.status == 400, bad
        assert (await resp.json())["error"].startswith("domain")
    resp = await admin_client.post("/api/web-whitelist", json={"note": "no domain"})
    assert resp.status == 400
    assert "domain" in (await resp.json())["error"]


async def test_deleting_an_unknown_domain_is_404(admin_client):
    assert (await admin_client.delete("/api/web-whitelist/never-added.example")).status == 404
    assert (await admin_client.delete("/api/web-whitelist/not a domain")).status == 404


async def test_the_whitelist_is_for_admins_only(alice, anon_client):
    assert (await alice.get("/api/web-whitelist")).status == 403
    assert (await alice.post("/api/web-whitelist", json={"domain": "example.com"})).status == 403
    assert (await alice.delete("/api/web-whitelist/wikipedia.org")).status == 403
    assert (await anon_client.get("/api/web-whitelist")).status == 401


async def test_whitelist_changes_are_audited(admin_client):
    await admin_client.post("/api/web-whitelist", json={"domain": "example.com"})
    await admin_client.delete("/api/web-whitelist/example.com")
    entries = (await (await admin_client.get("/api/audit?per_page=200")).json())["entries"]
    actions = [(e["action"], e["username"]) for e in entries]
    assert ("web_whitelist_added", "admin") in actions
    assert ("web_whitelist_removed", "admin") in actions


async def test_each_user_has_their_own_trusted_domains(alice, bob):
    resp = await alice.post("/api/my/browser-trusted",
                            json={"domain": "App.Example.NET.", "note": "Our app"})
    assert resp.status == 201
    rows = await (await alice.get("/api/my/browser-trusted")).json()
    assert [(r["domain"], r["note"]) for r in rows] == [("app.example.net", "Our app")]
    assert await domains(bob, "/api/my/browser-trusted") == []
    assert (await bob.delete("/api/my/browser-trusted/app.example.net")).status == 404
    resp = await bob.post("/api/my/browser-trusted", json={"domain": "app.example.net"})
    assert resp.status == 201
    assert (await alice.post("/api/my/browser-trusted",
                             json={"domain": "app.example.net"})).status == 409
    assert (await alice.delete("/api/my/browser-trusted/app.example.net")).status == 200
    assert await domains(alice, "/api/my/browser-trusted") == []
    assert await domains(bob, "/api/my/browser-trusted") == ["app.example.net"]


async def test_trusted_domains_are_validated(alice, anon_client):
    resp = await alice.post("/api/my/browser-trusted", json={"domain": "http://[::1]/"})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("domain")
    assert (await anon_client.get("/api/my/browser-trusted")).status == 401


async def test_the_seed_is_added_once_not_after_an_admin_deletes_it(admin_client, make_app):
    assert (await admin_client.delete("/api/web-whitelist/wikipedia.org")).status == 200
    async with running(make_app(jarvis_web, disable_plugins=BUILTIN_PROVIDERS)) as again:
        second_admin = await again.as_user(admin_client.user)
        listed = await domains(second_admin)
        assert "wikipedia.org" not in listed
        assert "wttr.in" in listed


PUBLIC_SUFFIXES = ["CO.UK.", "https://github.io/", "*.github.io", "blogspot.com",
                   "s3.amazonaws.com", "anything.ck"]  # the last: under the rule *.ck


async def test_public_suffixes_are_never_trusted(alice, admin_client):
    from jarvis_web import store

    for raw in PUBLIC_SUFFIXES:
        for client, path in ((alice, "/api/my/browser-trusted"), (admin_client,
                                                                  "/api/web-whitelist")):
            resp = await client.post(path, json={"domain": raw, "note": "all of them"})
            assert resp.status == 400, (raw, path)
            error = (await resp.json())["error"]
            assert error.startswith("domain: ") and "is a public suffix" in error, error
    resp = await alice.post("/api/my/browser-trusted", json={"domain": "com"})
    assert resp.status == 400  # one label: refused as no full domain name
    db = plugin_context(alice, "web").db
    # so a site anyone can make there is neither trusted nor whitelisted
    assert await store.trusted_match(db, alice.user.id, "attacker.github.io") is None
    assert await store.tier1_match(db, "attacker.github.io") is None
    assert await domains(alice, "/api/my/browser-trusted") == []
    # a site of one's own under such a suffix is fine
    for name in ("alice.github.io", "example.co.uk", "www.ck"):
        resp = await alice.post("/api/my/browser-trusted", json={"domain": name})
        assert resp.status == 201, name
    assert await store.trusted_match(db, alice.user.id, "bob.github.io") is None
