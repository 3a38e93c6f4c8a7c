"""A deleted user's agents, tasks, runs and conversations go with them."""

from __future__ import annotations

from jarvis.keys import DATABASE
from sqlalchemy import text

from .conftest import finished, make_agent, make_task


async def _count(app, table: str, user_id: str) -> int:
    async with app[DATABASE].read() as conn:
        query = text(f"SELECT count(*) FROM {table} WHERE user_id = :u")
        return (await conn.execute(query, {"u": user_id})).scalar()


async def test_deleting_a_user_deletes_what_they_own(admin_client, client_as, model):
    alice = await client_as("user", username="alice")
    agent = await make_agent(alice, name="Digest", schedule="0 8 * * *")
    await make_task(alice, name="Check", schedule="0 9 * * *")
    run_id = (await (await alice.post(f"/api/agents/{agent['id']}/run", json={})).json())["run_id"]
    await finished(alice.app, run_id)
    app, uid = alice.app, alice.user.id
    assert await _count(app, "agents", uid) == 2 and await _count(app, "runs", uid) == 1

    resp = await admin_client.delete(f"/api/admin/users/{uid}")
    assert resp.status == 200
    for table in ("agents", "runs", "conversations"):
        assert await _count(app, table, uid) == 0, table
    resp = await admin_client.get(f"/api/agents/{agent['id']}")
    assert resp.status == 404


async def test_deleting_a_user_deletes_their_secrets(admin_client, client_as):
    from jarvis.keys import VAULT

    alice = await client_as("user", username="alice")
    vault = alice.app[VAULT]
    await vault.put(f"user:{alice.user.id}:caldav_password", "s3cret-pass")
    await vault.put(f"user:{admin_client.user.id}:caldav_password", "admin-pass")
    resp = await admin_client.delete(f"/api/admin/users/{alice.user.id}")
    assert resp.status == 200
    assert await vault.list(f"user:{alice.user.id}:") == []
    assert await vault.get(f"user:{admin_client.user.id}:caldav_password") == "admin-pass"
