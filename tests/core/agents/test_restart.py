"""Several processes and restarts: each fire runs once, stale runs end interrupted, and fires
missed while down run once within the grace period (older ones are recorded as missed)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from jarvis.cron import next_fire
from jarvis.keys import DATABASE, RUNTIME, SCHEDULER
from jarvis.models.agents import Agent
from jarvis.services.fires import fires_of
from jarvis.testing.clients import start_client
from jarvis.timeutil import utcnow
from sqlalchemy import update

from .conftest import count_runs, finished, make_agent, run_rows
from .test_scheduler import quiet_schedule

agents_table = Agent.__table__


async def second_app(make_app, jarvis_plugins, jarvis_settings):
    """Another server process on the same database."""
    return await start_client(make_app(*jarvis_plugins, **jarvis_settings))


async def test_two_apps_on_one_database_run_a_fire_once(app, user_client, make_app,
                                                        jarvis_plugins, jarvis_settings):
    other = await second_app(make_app, jarvis_plugins, jarvis_settings)
    try:
        a, b = app[SCHEDULER], other.app[SCHEDULER]
        cron, due = quiet_schedule()
        agent = await make_agent(user_client, schedule=cron)
        key = f"agent:{agent['id']}"
        assert b.next_run_time(agent["id"]) is None
        assert await b.sync()  # the other process sees the change on its next sync
        assert b.next_run_time(agent["id"]) is not None

        results = await asyncio.gather(*(s.fire(key, due, now=due) for s in (a, b, a, b)))
        assert sorted(r.status for r in results) == ["started", "taken", "taken", "taken"]
        assert await count_runs(app, agent_id=agent["id"]) == 1

        # both real jobs come due at the same moment: still one run
        target = next_fire(cron, "UTC", due)
        for s in (a, b):
            s.set_shift(target - timedelta(seconds=0.3) - utcnow())
        for _ in range(200):
            if all(s.next_run_time(agent["id"]) > target for s in (a, b)):
                break
            await asyncio.sleep(0.02)
        for s in (a, b):
            await s.drain()
        fired = await fires_of(app[DATABASE], key)
        assert [(f["scheduled_for"], f["status"]) for f in fired] == [
            (due, "started"), (target, "started")]
        assert await count_runs(app, agent_id=agent["id"]) == 2
        for f in fired:  # each run ends in whichever process started it
            runner = other.app[RUNTIME] if f["run_id"] in other.app[RUNTIME].active \
                else app[RUNTIME]
            assert (await runner.wait(f["run_id"])).status == "done"
    finally:
        await other.close()


async def test_restart_marks_interrupted_and_catches_up_within_grace(
        anon_client, user_client, make_app, jarvis_plugins, jarvis_settings):
    app = anon_client.app
    now = utcnow().replace(second=0, microsecond=0)
    recent, old = now - timedelta(minutes=2), now - timedelta(minutes=30)
    # created disabled, so this process holds no jobs for them; enabled as of long ago
    soon = await make_agent(user_client, schedule=f"{recent.minute} {recent.hour} * * *",
                            enabled=False)
    late = await make_agent(user_client, schedule=f"{old.minute} {old.hour} * * *",
                            enabled=False)
    every = await make_agent(user_client, schedule="* * * * *", enabled=False)
    async with app[DATABASE].write() as conn:
        await conn.execute(update(agents_table).values(
            enabled=True, scheduled_since=now - timedelta(days=3)))
    every_since = now - timedelta(minutes=10, seconds=30)
    async with app[DATABASE].write() as conn:
        await conn.execute(update(agents_table).where(agents_table.c.id == every["id"])
                           .values(scheduled_since=every_since))
    # a run that was going when the process died
    store = app[RUNTIME].store
    await store.create({"id": "r" * 32, "kind": "agent", "user_id": user_client.user.id,
                        "agent_id": soon["id"], "model": "fake:echo", "prompt": "x"})
    await store.started("r" * 32, "fake:echo")
    await anon_client.close()

    restarted = await second_app(make_app, jarvis_plugins, jarvis_settings)
    try:
        app2 = restarted.app
        assert (await run_rows(app2, id="r" * 32))[0]["status"] == "interrupted"

        soon_fires = await fires_of(app2[DATABASE], f"agent:{soon['id']}")
        assert [(f["scheduled_for"], f["status"]) for f in soon_fires] == [(recent, "started")]
        assert (await finished(app2, soon_fires[0]["run_id"])).status == "done"

        late_fires = await fires_of(app2[DATABASE], f"agent:{late['id']}")
        assert [(f["scheduled_for"], f["status"]) for f in late_fires] == [(old, "missed")]
        assert await count_runs(app2, agent_id=late["id"]) == 0

        # a minutely agent down for ten minutes runs once; the older fires are recorded missed
        every_fires = await fires_of(app2[DATABASE], f"agent:{every['id']}")
        started = [f for f in every_fires if f["status"] == "started"]
        assert len(started) == 1 and started[0]["scheduled_for"] >= now - timedelta(minutes=1)
        assert len(every_fires) >= 10
        assert {f["status"] for f in every_fires} == {"started", "missed"}
        assert await count_runs(app2, agent_id=every["id"]) == 1

        # a further restart owes nothing more
        assert await app2[SCHEDULER].catch_up() == []
    finally:
        await restarted.close()
