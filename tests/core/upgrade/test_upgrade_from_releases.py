"""Upgrading a real 0.1.0 database (rows in every table) keeps every row, readable through the
API, on SQLite and PostgreSQL; a plugin's first schema step runs on a database that had it."""

from __future__ import annotations

import jarvis_caldav
import jarvis_email
import jarvis_filesystem
import jarvis_pushover
import jarvis_telegram
import jarvis_web
from jarvis import Migration
from jarvis.keys import DATABASE
from jarvis.testing.clients import PASSWORD, login, running
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.scripted import ScriptedProvider
from sqlalchemy import text

from .conftest import all_rows

PLUGINS = [jarvis_web, jarvis_email, jarvis_filesystem, jarvis_pushover, jarvis_caldav,
           jarvis_telegram]
# The server's own heartbeat row and trigger leases: written while it runs, deleted at shut-down.
LIVE_TABLES = {"server_instances", "leases"}


def upgraded_app(make_app, settings, *extra):
    model = ScriptedProvider(id="fake", models=("echo",))
    return make_app(*PLUGINS, ModelPlugin(model), *extra, settings=settings.model_copy(
        update={"disable_plugins": BUILTIN_PROVIDERS}))


def _key(row: dict) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in row.items()))


async def test_every_row_of_0_1_survives_the_upgrade(make_app, release_db, database):
    url = release_db.resolved_database_url
    before = await all_rows(database, url)
    assert [t for t in before if not before[t]] == sorted(LIVE_TABLES)  # gone at clean shut-down
    async with running(upgraded_app(make_app, release_db)) as anon:
        after = await all_rows(database, url)  # upgraded and started, before anyone logs in
        await check_readable_through_the_api(anon)
    assert set(before) <= set(after)
    changed = {}
    versions = {r["component"]: r["version"] for r in after["jarvis_schema"]}
    for row in before["jarvis_schema"]:  # the upgrade's own bookkeeping only moves forward
        assert versions[row["component"]] >= row["version"]
    for table, rows in before.items():
        if table in LIVE_TABLES or table == "jarvis_schema":
            continue
        kept = {_key({k: r[k] for k in rows[0]}) for r in after[table]}
        differ = [r for r in rows if _key(r) not in kept]
        if differ:
            changed[table] = differ
    assert not changed, changed

async def check_readable_through_the_api(anon) -> None:
    admin = await anon.spawn()
    await login(admin, "admin", PASSWORD)
    alice = await anon.spawn()
    await login(alice, "alice", PASSWORD)

    async def get(client, path):
        resp = await client.get(path)
        body = await resp.json()
        assert resp.status == 200, (path, resp.status, body)
        return body

    users = {u["username"] for u in await get(admin, "/api/admin/users")}
    assert users == {"admin", "alice", "bob"}
    assert [k["name"] for k in await get(alice, "/api/my/api-keys")] == ["laptop"]
    assert (await get(admin, "/api/settings/general"))["agent_name"] == "Friday"
    assert (await admin.post("/api/auth/reauth", json={"password": PASSWORD})).status == 200
    cred = await get(admin, "/api/credentials/system:weather")
    assert cred["value"] == "s3cret-weather-key"  # the key file still opens the vault
    (agent,) = await get(alice, "/api/agents")
    assert agent["name"] == "Reader" and agent["allowed_tools"] == ["fs_list"]
    (task,) = await get(alice, "/api/tasks")
    assert task["name"] == "daily" and task["schedule"] == "0 8 * * *"
    runs = (await get(alice, "/api/runs"))["runs"]
    agent_run = next(r for r in runs if r.get("agent_id") == agent["id"])
    detail = await get(alice, f"/api/runs/{agent_run['id']}")
    assert [c["tool_name"] for c in detail["tool_calls"]] == ["fs_list"]
    (conv,) = (await get(alice, "/api/conversations"))["conversations"]
    messages = (await get(alice, f"/api/conversations/{conv['id']}"))["messages"]
    assert any("Hello Alice." in str(m.get("content")) for m in messages)
    assert (await get(admin, "/api/audit/verify"))["ok"] is True
    assert (await get(admin, "/api/audit"))["total"] >= 13
    assert [w["domain"] for w in await get(admin, "/api/web-whitelist")] >= ["example.org"]
    assert [d["domain"] for d in await get(alice, "/api/my/browser-trusted")] == [
        "news.example.org"]
    assert [w["email"] for w in await get(admin, "/api/email-whitelist")] == [
        "friend@example.org"]
    assert len(await get(admin, "/api/filesystem-whitelist")) == 1
    (account,) = await get(alice, "/api/email-accounts")
    assert account["imap_host"] == "imap.example.org"
    assert (await get(alice, "/api/my/pushover"))["device"] == "phone"
    assert (await get(alice, "/api/my/caldav"))["server_url"] == "https://dav.example.org/"
    (trigger,) = await get(alice, "/api/telegram/triggers")
    assert trigger["trigger_word"] == "jarvis" and trigger["agent_id"] == agent["id"]
    assert [c["chat_id"] for c in await get(admin, "/api/telegram/whitelist")] == ["4242"]


def add_web_column(conn):
    conn.execute(text("ALTER TABLE web_whitelist ADD COLUMN reason VARCHAR(200)"))
    conn.execute(text("UPDATE web_whitelist SET reason = 'from 0.1'"))


class WebStep:
    """The web plugin's first schema step, as a later release of it would ship it."""

    __name__ = "web_step"

    from jarvis import hookimpl

    @hookimpl
    def register_models(self):
        return [Migration("web", 1, "a reason per domain", add_web_column)]


async def test_a_plugins_first_step_runs_on_a_database_that_had_the_plugin(
        make_app, release_db):
    async with running(upgraded_app(make_app, release_db, WebStep())) as client:
        async with client.app[DATABASE].read() as conn:
            reasons = (await conn.execute(text("SELECT reason FROM web_whitelist"))).scalars()
            version = (await conn.execute(text(
                "SELECT version FROM jarvis_schema WHERE component = 'web'"))).scalar()
        assert set(reasons) == {"from 0.1"}
        assert version == 1
