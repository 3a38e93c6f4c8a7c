"""Make the upgrade fixture: a database of a previous release with rows in every table.

Run it with that release's code first on the path (a git worktree of the release's commit):

    PYTHONPATH=<worktree>/core/src:<worktree>/plugins/<name>/src:... \
        python tests/core/upgrade/make_release_db.py [--task-run] OUT_DIR [POSTGRES_URL SCHEMA]

It serves the release's app with every plugin on a loopback port, fills it through the HTTP
API (users, API keys, agents, tasks, runs with a tool call (``--task-run``: of the task too), a
chat, credentials, settings, plugin tables), adds directly the few rows only a background job or
an outside service writes, and leaves ``jarvis.db`` (SQLite) or the given PostgreSQL schema plus
``vault.key`` in OUT_DIR. The PostgreSQL schema is kept as ``pg_dump --no-owner --no-privileges
-n SCHEMA`` wrote it: plain SQL compressed (``dump.sql.gz``, 0.1.0: ``| gzip -9n``) or its
custom format (``-Fc``, ``dump.pgdump``).
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import jarvis_caldav
import jarvis_email
import jarvis_filesystem
import jarvis_pushover
import jarvis_telegram
import jarvis_web
from jarvis.app import create_app
from jarvis.keys import DATABASE
from jarvis.settings import Settings
from jarvis.testing.chat import open_chat
from jarvis.testing.clients import api_key_for, create_user, running, session_for
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.script import reply, tool_use
from jarvis.testing.scripted import ScriptedProvider
from sqlalchemy import func, insert, select, text
from sqlmodel import SQLModel

PLUGINS = [jarvis_web, jarvis_email, jarvis_filesystem, jarvis_pushover, jarvis_caldav,
           jarvis_telegram]


async def ok(resp, *statuses: int) -> dict:
    body = await resp.json()
    assert resp.status in (statuses or (200, 201)), (resp.method, resp.url, resp.status, body)
    return body


async def fill(out: Path, url: str | None, schema: str | None, with_task_run: bool) -> None:
    files = out.parent / f"{out.name}-files"  # later releases refuse a folder in the data one
    files.mkdir(parents=True, exist_ok=True)
    (files / "note.txt").write_text("hello from the previous release\n")
    model = ScriptedProvider(id="fake", models=("echo",))
    settings = Settings(data_dir=out, database_url=url, disable_plugins=BUILTIN_PROVIDERS)
    app = create_app(settings, [*PLUGINS, ModelPlugin(model)], database_schema=schema)
    async with running(app) as anon:
        admin_user = await create_user(app, "admin", role="admin")
        admin = await anon.spawn()
        await session_for(admin, admin_user)
        alice_user = await create_user(app, "alice")
        alice = await anon.spawn()
        await ok(await alice.post("/api/auth/login", json={
            "username": "alice", "password": "correct horse battery staple"}))
        await ok(await admin.post("/api/admin/users", json={
            "username": "bob", "password": "another long password", "role": "user"}))
        for client in (admin, alice):  # releases after 0.1.0 ask for the password again
            await ok(await client.post("/api/auth/reauth", json={
                "password": "correct horse battery staple"}), 200, 404)
        await ok(await alice.post("/api/my/api-keys", json={"name": "laptop"}))
        await api_key_for(app, admin_user, "ops")
        # a failed login fills the throttle table
        await ok(await anon.post("/api/auth/login", json={
            "username": "alice", "password": "wrong password"}), 401)
        await ok(await admin.post("/api/settings/general", json={"agent_name": "Friday"}))
        await ok(await admin.post("/api/credentials", json={
            "key": "system:weather", "value": "s3cret-weather-key", "description": "weather"}))
        await ok(await admin.post("/api/filesystem-whitelist", json={
            "path": str(files), "note": "notes"}))
        await ok(await admin.post("/api/web-whitelist", json={"domain": "example.org"}))
        await ok(await admin.post("/api/email-whitelist", json={
            "email": "friend@example.org", "daily_limit": 5}))
        await ok(await alice.post("/api/my/browser-trusted", json={
            "domain": "news.example.org", "note": "news"}))
        await ok(await alice.post("/api/my/pushover", json={
            "user_key": "u" * 30, "device": "phone"}))
        await ok(await alice.post("/api/my/caldav", json={
            "server_url": "https://dav.example.org/", "username": "alice",
            "password": "dav password", "calendar": "Home"}))
        await ok(await alice.post("/api/email-accounts", json={
            "label": "inbox", "account_type": "handling", "imap_host": "imap.example.org",
            "imap_port": 993, "imap_username": "alice", "imap_password": "imap password",
            "smtp_host": "smtp.example.org", "smtp_port": 465, "smtp_username": "alice",
            "from_address": "alice@example.org"}))
        agent = await ok(await alice.post("/api/agents", json={
            "name": "Reader", "prompt": "List my notes.", "model": "fake:echo",
            "allowed_tools": ["fs_list"]}))
        task = await ok(await alice.post("/api/tasks", json={
            "name": "daily", "prompt": "Summarise.", "schedule": "0 8 * * *"}))
        await ok(await alice.post("/api/telegram/triggers", json={
            "trigger_word": "jarvis", "agent_id": agent["id"]}))
        model.script(tool_use("fs_list", {"path": str(files)}), reply("One note."))
        await ok(await alice.post(f"/api/agents/{agent['id']}/run", json={"message": "go"}),
                 200, 201, 202)
        await settled(alice)
        if with_task_run:  # a run of the task, with a tool call its audit row names
            await ok(await alice.put(f"/api/tasks/{task['id']}", json={
                "allowed_tools": ["fs_list"]}))
            model.script(tool_use("fs_list", {"path": str(files)}), reply("Summarised."))
            await ok(await alice.post(f"/api/tasks/{task['id']}/run"), 200, 201, 202)
            await settled(alice)
        model.script(reply("Hello Alice."))
        chat = await open_chat(alice)
        await chat.say("Hello")
        await chat.close()
        await direct_rows(app, alice_user.id)
        counts = await table_counts(app)
    empty = [t for t, n in counts.items() if n == 0]
    print(json.dumps(counts, indent=1))
    assert not empty, f"empty tables: {empty}"


async def settled(client) -> None:
    """Wait until every run of the client's user has ended."""
    for _ in range(200):
        items = (await ok(await client.get("/api/runs")))["runs"]
        if items and all(r["status"] not in ("queued", "running") for r in items):
            return
        await asyncio.sleep(0.05)


async def direct_rows(app, user_id: str) -> None:
    """Rows that only a background job or an outside service writes."""
    tables = SQLModel.metadata.tables
    now = datetime.now(UTC).replace(tzinfo=None)
    async with app[DATABASE].write() as conn:
        async def empty(name: str) -> bool:
            return not (await conn.execute(select(func.count()).select_from(tables[name]))).scalar()

        if await empty("telegram_chats"):
            await conn.execute(insert(tables["telegram_chats"]).values(
                **_fill_required("telegram_chats", now, chat_id=4242)))
        if await empty("email_send_counts"):
            await conn.execute(insert(tables["email_send_counts"]).values(
                email="friend@example.org", day=now.date().isoformat(), count=2))
        if await empty("email_seen"):
            account = (await conn.execute(text("SELECT id FROM email_accounts"))).scalar()
            await conn.execute(insert(tables["email_seen"]).values(
                account_id=account, folder="INBOX", uidvalidity=3_000_000_000, last_uid=17))
        # tables of releases after 0.1.0
        if "telegram_chat_users" in tables and await empty("telegram_chat_users"):
            await conn.execute(insert(tables["telegram_chat_users"]).values(
                chat_id=4242, user_id=user_id))
        if "email_rules" in tables and await empty("email_rules"):
            account = (await conn.execute(text("SELECT id FROM email_accounts"))).scalar()
            agent = (await conn.execute(text("SELECT id FROM agents"))).scalar()
            await conn.execute(insert(tables["email_rules"]).values(**_fill_required(
                "email_rules", now, user_id=user_id, account_id=account, agent_id=agent)))
        if await empty("auth_challenges"):
            await conn.execute(insert(tables["auth_challenges"]).values(
                **_fill_required("auth_challenges", now, user_id=user_id)))
        if await empty("auth_secrets"):
            await conn.execute(insert(tables["auth_secrets"]).values(
                **_fill_required("auth_secrets", now)))
        if await empty("schedule_fires"):
            task = (await conn.execute(text("SELECT id FROM scheduled_tasks"))).scalar()
            await conn.execute(insert(tables["schedule_fires"]).values(
                **_fill_required("schedule_fires", now, schedule_id=f"task:{task}",
                                 status="missed", detail="the server was down")))
        if await empty("web_state"):
            await conn.execute(insert(tables["web_state"]).values(
                **_fill_required("web_state", now)))


def _fill_required(name: str, now: datetime, **given) -> dict:
    """Plausible values for every NOT NULL column without a default."""
    from sqlalchemy import BigInteger, Boolean, DateTime, Integer, LargeBinary

    values = dict(given)
    for col in SQLModel.metadata.tables[name].columns:
        if col.name in values or col.nullable or col.default is not None:
            continue
        if col.server_default is not None or (col.primary_key and col.autoincrement in (
                True, "auto") and isinstance(col.type, Integer | BigInteger)):
            continue
        t = col.type
        if isinstance(t, DateTime):
            values[col.name] = now
        elif isinstance(t, Boolean):
            values[col.name] = False
        elif isinstance(t, Integer | BigInteger):
            values[col.name] = 1
        elif isinstance(t, LargeBinary):
            values[col.name] = b"\x01\x02"
        else:
            length = getattr(t, "length", None) or 32
            values[col.name] = f"{col.name}-{name}"[:length]
    return values


async def table_counts(app) -> dict[str, int]:
    async with app[DATABASE].read() as conn:
        names = await conn.run_sync(lambda c: c.dialect.get_table_names(c))
        return {n: (await conn.execute(text(f'SELECT count(*) FROM "{n}"'))).scalar()
                for n in sorted(names)}


if __name__ == "__main__":
    args = sys.argv[1:]
    task_run = "--task-run" in args  # 0.1.0 was made without a run of the task
    args = [a for a in args if a != "--task-run"]
    out_dir = Path(args[0])
    pg_url = args[1] if len(args) > 1 else None
    pg_schema = args[2] if len(args) > 2 else None
    asyncio.run(fill(out_dir, pg_url, pg_schema, with_task_run=task_run))
