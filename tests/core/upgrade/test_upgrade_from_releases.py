"""Upgrading a real database of an earlier release (rows in every table) keeps every row,
readable through the API, on SQLite and PostgreSQL: scheduled tasks become agents of kind
``task`` with their ids, schedules, fire records, runs and audit rows; a plugin's first schema
step runs on a database that had the plugin."""

from __future__ import annotations

import jarvis_caldav
import jarvis_email
import jarvis_filesystem
import jarvis_pushover
import jarvis_telegram
import jarvis_web
import pytest
from jarvis import Migration
from jarvis.db import Database, SchemaError
from jarvis.keys import DATABASE, RUNTIME, SCHEDULER
from jarvis.migrations import CORE_MIGRATIONS
from jarvis.models import CORE_MODELS
from jarvis.services.fires import claim, fires_of
from jarvis.testing.clients import PASSWORD, login, running
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.scripted import ScriptedProvider, reply
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from .conftest import all_rows

PLUGINS = [jarvis_web, jarvis_email, jarvis_filesystem, jarvis_pushover, jarvis_caldav,
           jarvis_telegram]
# The server's own heartbeat row and trigger leases: written while it runs, deleted at shut-down.
LIVE_TABLES = {"server_instances", "leases"}


def upgraded_app(make_app, settings, *extra, model=None):
    model = model or ScriptedProvider(id="fake", models=("echo",))
    return make_app(*PLUGINS, ModelPlugin(model), *extra, settings=settings.model_copy(
        update={"disable_plugins": BUILTIN_PROVIDERS}))


def _key(row: dict) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in row.items()))


def as_one_agent_model(before: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows as they are once scheduled tasks are agents of kind ``task`` (core step 2)."""
    rows = {table: [dict(r) for r in found] for table, found in before.items()}
    tasks = rows.pop("scheduled_tasks", [])
    rows["agents"] = [{"kind": "agent", **a} for a in rows["agents"]] + [
        {**t, "kind": "task", "model": None, "prompt_mode": "combined", "max_tool_calls": None}
        for t in tasks]
    for fire in rows["schedule_fires"]:
        fire["schedule_id"] = fire["schedule_id"].replace("task:", "agent:", 1)
    for run in rows["runs"]:
        run["agent_id"] = run["agent_id"] or run["task_id"]
    return rows


async def test_every_row_survives_the_upgrade(make_app, release_db, database):
    url = release_db.resolved_database_url
    before = await all_rows(database, url)
    assert [t for t in before if not before[t]] == sorted(LIVE_TABLES)  # gone at clean shut-down
    async with running(upgraded_app(make_app, release_db)) as anon:
        after = await all_rows(database, url)  # upgraded and started, before anyone logs in
        await check_readable_through_the_api(anon)
    assert "scheduled_tasks" not in after
    expected = as_one_agent_model(before)
    assert set(expected) <= set(after)
    changed = {}
    versions = {r["component"]: r["version"] for r in after["jarvis_schema"]}
    for row in before["jarvis_schema"]:  # the upgrade's own bookkeeping only moves forward
        assert versions[row["component"]] >= row["version"]
    assert versions["core"] == CORE_MIGRATIONS[-1].version  # every core step ran
    assert len(after["agents"]) == len(expected["agents"])
    for table, rows in expected.items():
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


async def test_tasks_keep_their_ids_schedules_runs_and_audit_rows(make_app, release_db,
                                                                   database):
    before = await all_rows(database, release_db.resolved_database_url)
    (old_task,) = before["scheduled_tasks"]
    task_id = old_task["id"]
    old_runs = [r["id"] for r in before["runs"] if r["task_id"] == task_id]
    old_fires = [f["scheduled_for"] for f in before["schedule_fires"]
                 if f["schedule_id"] == f"task:{task_id}"]
    model = ScriptedProvider(id="fake", models=("echo",))
    async with running(upgraded_app(make_app, release_db, model=model)) as anon:
        alice = await anon.spawn()
        await login(alice, "alice", PASSWORD)
        admin = await anon.spawn()
        await login(admin, "admin", PASSWORD)
        assert [t["id"] for t in await (await alice.get("/api/tasks")).json()] == [task_id]
        got = await (await alice.get(f"/api/tasks/{task_id}")).json()
        assert (got["name"], got["schedule"], got["next_run_at"] is not None) == (
            "daily", "0 8 * * *", True)
        assert task_id not in {a["id"] for a in await (await alice.get("/api/agents")).json()}
        assert (await alice.get(f"/api/agents/{task_id}")).status == 404

        listed = await (await alice.get("/api/runs", params={"task_id": task_id})).json()
        assert [r["id"] for r in listed["runs"]] == old_runs
        assert all(r["kind"] == "task" for r in listed["runs"])
        audit = await (await admin.get("/api/audit", params={"task_id": task_id})).json()
        assert [e["tool_name"] for e in audit["entries"]] == ["fs_list"] * len(old_runs)
        assert (await (await admin.get("/api/audit/verify")).json())["ok"] is True

        scheduler = anon.app[SCHEDULER]
        assert scheduler.next_run_time(task_id) is not None  # its job was built
        db = anon.app[DATABASE]
        recorded = [f["scheduled_for"] for f in await fires_of(db, f"agent:{task_id}")]
        assert len(recorded) >= len(old_fires) >= 1
        # after the release's fires, only the 08:00 fires missed since then (caught up at start)
        assert all((when.hour, when.minute) == (8, 0) for when in recorded[len(old_fires):])
        for when in recorded:  # a fire recorded before the upgrade cannot be claimed again
            assert await claim(db, f"agent:{task_id}", when, "started") is False

        model.script(reply("Summed up."))
        resp = await alice.post(f"/api/tasks/{task_id}/run")
        run_id = (await resp.json())["run_id"]
        assert (await anon.app[RUNTIME].wait(run_id)).text == "Summed up."
        run = (await (await alice.get(f"/api/runs/{run_id}")).json())["run"]
        assert (run["kind"], run["agent_id"], run["task_id"]) == ("task", task_id, task_id)
        assert (await (await alice.post(f"/api/tasks/{task_id}/toggle")).json()) == {
            "enabled": False}


async def test_a_task_with_the_id_of_an_agent_stops_the_upgrade_and_nothing_changes(
        release_db, database):
    url = release_db.resolved_database_url
    kwargs = {"connect_args": {"server_settings": {"search_path": database["schema"]}}} if (
        database["schema"]) else {}
    engine = create_async_engine(url, **kwargs)
    async with engine.begin() as conn:  # an agent made (by hand) with the task's id
        await conn.execute(text(
            "INSERT INTO agents (id, user_id, name, prompt, enabled, prompt_mode, created_at, "
            "updated_at, scheduled_since) SELECT id, user_id, 'twin', prompt, enabled, "
            "'combined', created_at, updated_at, scheduled_since FROM scheduled_tasks"))
    await engine.dispose()
    before = await all_rows(database, url)
    (task,) = before["scheduled_tasks"]
    db = Database(url, schema=database["schema"])
    try:
        with pytest.raises(SchemaError, match=f"scheduled task {task['id']} has the id of an"):
            await db.setup({"core": list(CORE_MODELS)}, CORE_MIGRATIONS)
    finally:
        await db.dispose()
    after = await all_rows(database, url)
    assert after["scheduled_tasks"] == before["scheduled_tasks"]
    assert after["agents"] == before["agents"] and "kind" not in after["agents"][0]
    assert after["jarvis_schema"] == before["jarvis_schema"]


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


async def test_the_listing_indexes_are_those_of_a_fresh_database(make_app, release_db, database):
    """Core step 4 gives an older database the listings' keyset indexes, column for column as
    the models declare them for a fresh one."""
    from jarvis.migrations import LISTING_INDEXES

    declared = {index.name: [c.name for c in index.columns]
                for model in CORE_MODELS for index in model.__table__.indexes
                if index.name in LISTING_INDEXES}
    assert set(declared) == set(LISTING_INDEXES)
    async with running(upgraded_app(make_app, release_db)):
        pass
    kwargs = {}
    if database["schema"]:
        kwargs["connect_args"] = {"server_settings": {"search_path": database["schema"]}}
    engine = create_async_engine(release_db.resolved_database_url, **kwargs)
    try:
        async with engine.connect() as conn:
            found = await conn.run_sync(lambda c: {
                index["name"]: index["column_names"]
                for table in ("agents", "conversations", "runs")
                for index in c.dialect.get_indexes(c, table, schema=database["schema"])})
    finally:
        await engine.dispose()
    assert {name: found.get(name) for name in declared} == declared
