"""The audit log: redaction, filters and paging, the hash chain and its verifier, retention."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import pytest
from jarvis.db import Database
from jarvis.keys import CONFIG
from jarvis.services.audit import AuditEvent, AuditLog, retention_job
from jarvis.services.audit_chain import log_table
from sqlalchemy import delete, update

from .conftest import audit_rows
from .processes import run_jarvis

T0 = datetime(2030, 1, 1, 12, 0, 0)


class Clock:
    """A settable clock for entries written 'in the past'."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def people(admin_client, client_as):
    """Clients of an admin and of two users, alice and bob."""
    alice = await client_as("user", username="alice")
    bob = await client_as("user", username="bob")
    return admin_client, alice, bob


async def seed(audit: AuditLog, alice=None, bob=None) -> None:
    """30 tool calls an hour apart: alice and bob alternate, every third confirmed."""
    clock = Clock(T0)
    audit.clock = clock
    for i in range(30):
        clock.now = T0 + timedelta(hours=i)
        user = alice if i % 2 == 0 else bob
        await audit.record(AuditEvent(
            "tool_call", "tool_call", user_id=user.id if user else f"u{i % 2}",
            username=user.username if user else None,
            session_id="s1" if i < 15 else "s2", run_id=f"r{i}",
            task_id="t1" if i % 5 == 0 else None,
            tool_name="email_send" if i % 3 == 0 else "web_fetch", arguments={"n": i},
            decision="allow", confirmed=True if i % 3 == 0 else None, success=True,
            summary=f"call {i}",
        ))


async def page(client, **params):
    r = await client.get("/api/audit", params={k: str(v) for k, v in params.items()})
    assert r.status == 200, await r.text()
    return await r.json()


async def test_arguments_are_redacted_by_name_and_by_stored_value(services):
    vault, audit, db = services
    await vault.put("user:u-alice:imap_password", "hunter2-imap-secret")
    await audit.record(AuditEvent(
        "tool_call", "tool_call", user_id="u-alice", tool_name="email_send",
        arguments={"to": "bob@example.com", "password": "plain", "max_tokens": 100,
                   "headers": {"Authorization": "Bearer abc", "X-Api-Key": "k"},
                   "body": "hunter2-imap-secret", "list": ["ok", "hunter2-imap-secret"]},
        summary="hunter2-imap-secret", detail={"token": "t0k3n"},
    ))
    row = (await audit_rows(db))[-1]
    assert json.loads(row["arguments"]) == {
        "to": "bob@example.com", "password": "[redacted]", "max_tokens": 100,
        "headers": {"Authorization": "[redacted]", "X-Api-Key": "[redacted]"},
        "body": "[redacted]", "list": ["ok", "[redacted]"],
    }
    assert row["summary"] == "[redacted]"
    assert json.loads(row["detail"]) == {"token": "[redacted]"}


async def test_filters_and_paging(admin_client, services):
    client = admin_client
    _vault, audit, _db = services
    await seed(audit)
    everything = await page(client, start="2030-01-01T00:00:00Z")  # the seeded entries
    assert everything["total"] == 30 and everything["page"] == 1 and everything["per_page"] == 50
    assert [e["summary"] for e in everything["entries"][:2]] == ["call 29", "call 28"]
    first = everything["entries"][-1]
    assert first["arguments"] == {"n": 0} and first["created_at"] == "2030-01-01T12:00:00Z"

    since = "2030-01-01T00:00:00Z"
    second = await page(client, start=since, page=2, per_page=7)
    assert [e["summary"] for e in second["entries"]] == [f"call {i}" for i in range(22, 15, -1)]
    assert second["total"] == 30 and second["page"] == 2 and second["per_page"] == 7
    assert (await page(client, start=since, page=5, per_page=7))["entries"][-1]["summary"] == (
        "call 0")
    assert (await page(client, start=since, page=6, per_page=7))["entries"] == []

    def calls(result):
        return sorted(int(e["summary"].split()[1]) for e in result["entries"])

    assert calls(await page(client, tool_name="email_send")) == list(range(0, 30, 3))
    assert calls(await page(client, session_id="s2")) == list(range(15, 30))
    assert calls(await page(client, task_id="t1")) == list(range(0, 30, 5))
    assert calls(await page(client, confirmed_only="true")) == list(range(0, 30, 3))
    window = await page(client, start="2030-01-01T14:00:00Z", end="2030-01-01T17:00:00Z")
    assert calls(window) == [2, 3, 4, 5]
    shifted = await page(client, start="2030-01-01T16:00:00+02:00", end="2030-01-01T14:30:00")
    assert calls(shifted) == [2]
    both = await page(client, session_id="s1", tool_name="web_fetch", confirmed_only="false")
    assert calls(both) == [1, 2, 4, 5, 7, 8, 10, 11, 13, 14]
    assert (await page(client, per_page=1000))["per_page"] == 200


async def test_users_see_their_own_entries_only(people, services):
    admin, alice, bob = people
    _vault, audit, _db = services
    await seed(audit, alice.user, bob.user)
    mine = await page(alice, user_id=bob.user.id)
    assert mine["total"] == 15 and {e["username"] for e in mine["entries"]} == {"alice"}
    assert (await page(bob, tool_name="email_send"))["total"] == 5
    assert (await page(admin, user_id=bob.user.id, tool_name="email_send"))["total"] == 5
    assert (await page(admin, tool_name="email_send"))["total"] == 10


async def test_bad_filters_are_a_400_naming_the_field(admin_client):
    for params, field in [({"start": "yesterday"}, "start"), ({"page": "0"}, "page"),
                          ({"per_page": "x"}, "per_page"), ({"confirmed_only": "maybe"},
                                                            "confirmed_only")]:
        r = await admin_client.get("/api/audit", params=params)
        assert r.status == 400 and field in (await r.json())["error"], params


async def test_verify_finds_the_first_edited_row(admin_client, user_client, services, tmp_path,
                                                 database):
    client = admin_client
    _vault, audit, db = services
    await seed(audit)
    assert await (await client.get("/api/audit/verify")).json() == {"ok": True, "checked": 30}
    assert (await user_client.get("/api/audit/verify")).status == 403
    async with db.write() as conn:
        await conn.execute(update(log_table).where(log_table.c.id == 12).values(summary="nothing"))
    result = await (await client.get("/api/audit/verify")).json()
    assert result["ok"] is False and result["checked"] == 11
    assert result["broken_at"]["id"] == 12 and "altered" in result["reason"]

    cli = run_jarvis(tmp_path / "data", database, "audit", "verify")
    assert cli.returncode == 1
    assert cli.stdout.startswith("audit log broken at entry 12: the entry was altered")


async def test_verify_finds_removed_rows(services):
    _vault, audit, db = services
    await seed(audit)
    async with db.write() as conn:
        await conn.execute(delete(log_table).where(log_table.c.id == 7))
    result = (await audit.verify()).as_dict()
    assert result["broken_at"]["id"] == 8 and "removed or altered" in result["reason"]

    async with db.write() as conn:
        await conn.execute(delete(log_table).where(log_table.c.id >= 7))
    result = (await audit.verify()).as_dict()
    assert (result["ok"], result["checked"], result["broken_at"]["id"]) == (False, 6, 7)
    assert "at the end were removed" in result["reason"]


async def test_no_route_changes_single_entries(admin_client, services):
    _vault, audit, _db = services
    await seed(audit)
    for method in ("DELETE", "PUT", "PATCH"):
        r = await admin_client.request(method, "/api/audit/3")
        assert r.status in (404, 405)
    assert (await audit.verify()).ok


async def test_retention_removes_exactly_the_expired_entries(admin_client, services):
    client = admin_client
    _vault, audit, db = services
    await seed(audit)  # entries at T0 + 0..29 hours (after any written today)
    app = client.app
    r = await client.post("/api/settings/audit-retention", json={"days": 1})
    assert r.status == 200  # itself an audit entry, written "at" T0 + 29 h
    assert app[CONFIG].get("audit_retention").days == 1
    before = await audit_rows(db)
    cutoff = T0 + timedelta(hours=10)
    expired = [r["id"] for r in before if r["created_at"] < cutoff]
    kept = [r["id"] for r in before if r["created_at"] >= cutoff]
    assert len(kept) == 21 and max(expired) < min(kept)

    audit.clock = Clock(cutoff + timedelta(days=1))
    assert await retention_job(audit, app[CONFIG]) == len(expired)
    rows = await audit_rows(db)
    assert [r["id"] for r in rows] == [*kept, kept[-1] + 1]
    pruned = json.loads(rows[-1]["detail"])
    assert rows[-1]["action"] == "audit_pruned" and pruned["deleted"] == len(expired)
    assert await (await client.get("/api/audit/verify")).json() == {"ok": True, "checked": 22}
    assert await retention_job(audit, app[CONFIG]) == 0
    assert len(await audit_rows(db)) == 22  # an empty pass writes nothing

    # an edit to the oldest kept entry is still caught after the prune
    async with db.write() as conn:
        await conn.execute(update(log_table).where(log_table.c.id == kept[0]).values(success=False))
    assert (await audit.verify()).broken_at["id"] == kept[0]


async def test_delete_older_than_days(admin_client, user_client, services):
    client = admin_client
    _vault, audit, db = services
    earlier = len(await audit_rows(db))  # written today, before the seeded entries of 2030
    await seed(audit)
    audit.clock = Clock(T0 + timedelta(days=2, hours=5))  # cut-off: T0 + 5 h
    r = await client.delete("/api/audit", params={"older_than_days": "2"})
    assert await r.json() == {"deleted": earlier + 5}
    last = (await audit_rows(db))[-1]
    assert (last["action"], last["user_id"]) == ("audit_pruned", client.user.id)
    r = await client.delete("/api/audit", params={"older_than_days": "2"})
    assert await r.json() == {"deleted": 0}
    assert (await audit_rows(db))[-1]["action"] == "audit_pruned"  # asked for: recorded
    assert (await audit.verify()).ok
    r = await user_client.delete("/api/audit", params={"older_than_days": "2"})
    assert r.status == 403
    r = await client.delete("/api/audit")
    assert r.status == 400 and "older_than_days" in (await r.json())["error"]
    r = await client.delete("/api/audit", params={"older_than_days": "0"})
    assert r.status == 400
    audit.clock = Clock(T0 + timedelta(days=9))
    r = await client.delete("/api/audit", params={"older_than_days": "2"})
    assert (await r.json())["deleted"] == 27  # the rest, the two earlier prune entries too
    assert (await audit.verify()).as_dict() == {"ok": True, "checked": 1}


async def test_concurrent_appends_from_two_processes_keep_one_chain(services, database):
    _vault, audit, _db = services
    other_db = Database(database["url"], schema=database["schema"])  # a second server process
    other = AuditLog(other_db)
    try:
        events = [AuditEvent("tool_call", "tool_call", summary=f"e{i}") for i in range(60)]
        await asyncio.gather(*(
            (audit if i % 2 else other).record(e) for i, e in enumerate(events)
        ))
    finally:
        await other_db.dispose()
    result = await audit.verify()
    assert (result.ok, result.checked) == (True, 60)


async def test_entries_written_with_other_rows_vanish_with_them_and_the_chain_goes_on(
    services, database
):
    _vault, audit, db = services
    await audit.record(AuditEvent("tool_call", "tool_call", summary="kept 1"))
    with pytest.raises(RuntimeError):
        async with db.write() as conn:
            await audit.append(conn, [AuditEvent("tool_call", "tool_call", summary="undone")])
            raise RuntimeError("the rest of the transaction failed")
    other_db = Database(database["url"], schema=database["schema"])  # a second server process
    try:
        await AuditLog(other_db).record(AuditEvent("tool_call", "tool_call", summary="other"))
    finally:
        await other_db.dispose()
    async with db.write() as conn:
        ids = await audit.append(conn, [AuditEvent("tool_call", "tool_call", summary=f"k{i}")
                                        for i in range(2)])
    assert ids == [3, 4]
    assert [r["summary"] for r in await audit_rows(db)] == ["kept 1", "other", "k0", "k1"]
    assert (await audit.verify()).as_dict() == {"ok": True, "checked": 4}
