"""The scheduler: cron in the configured zone, jobs following edits, pause, the hourly limit."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from jarvis.cron import next_fire
from jarvis.keys import DATABASE, RUNTIME
from jarvis.runtime.agent_loader import load_agent
from jarvis.services.fires import fires_of
from jarvis.timeutil import iso, utcnow

from .conftest import finished, make_agent, make_task, run_rows


def next_minute(after: datetime | None = None) -> datetime:
    """The first whole minute after ``after`` (default: now), naive UTC."""
    moment = (after or utcnow()).replace(second=0, microsecond=0)
    return moment + timedelta(minutes=1)


def quiet_schedule() -> tuple[str, datetime]:
    """An hourly schedule whose real fires are half an hour away (so no real fire interferes),
    and a fire time of it a day ahead to drive by hand."""
    minute = (utcnow() + timedelta(minutes=30)).minute
    cron = f"{minute} * * * *"
    return cron, next_fire(cron, "UTC", utcnow() + timedelta(days=1))


async def wait_for_fires(app, key: str, n: int = 1) -> list[dict]:
    """The fire records of ``key`` once there are ``n`` of them (the job fires on its own)."""
    for _ in range(200):
        found = await fires_of(app[DATABASE], key)
        if len(found) >= n and all(f["status"] != "started" or f["run_id"] for f in found):
            return found
        await asyncio.sleep(0.02)
    raise AssertionError(f"{key} did not fire")


async def test_cron_fires_at_the_local_minute_in_berlin(app, admin_client, user_client,
                                                        scheduler):
    resp = await admin_client.post("/api/settings/general", json={"time_zone": "Europe/Berlin"})
    assert resp.status == 200
    agent = await make_agent(user_client, schedule="0 8 * * *")
    key = f"agent:{agent['id']}"
    year = utcnow().year + 1
    winter, summer = datetime(year, 1, 15, 7, 0), datetime(year, 7, 15, 6, 0)
    assert next_fire("0 8 * * *", "Europe/Berlin", winter - timedelta(hours=3)) == winter
    assert next_fire("0 8 * * *", "Europe/Berlin", summer - timedelta(hours=3)) == summer

    # stand 0.3 s before 08:00 Berlin on a winter day: the real job fires at 07:00 UTC
    scheduler.set_shift(winter - timedelta(seconds=0.3) - utcnow())
    assert scheduler.next_run_time(agent["id"]) == winter
    fired = await wait_for_fires(app, key)
    assert [(f["scheduled_for"], f["status"]) for f in fired] == [(winter, "started")]
    outcome = await finished(app, fired[0]["run_id"])
    assert outcome.status == "done"
    run = (await run_rows(app, id=fired[0]["run_id"]))[0]
    assert (run["kind"], run["agent_id"], run["trigger"]) == ("agent", agent["id"], "schedule")

    # 08:00 UTC is 09:00 in Berlin: not a fire of this schedule
    assert (await scheduler.fire(key, winter + timedelta(hours=1),
                                 now=winter + timedelta(hours=1))).status == "ignored"
    assert (await scheduler.fire(key, summer, now=summer)).status == "started"
    assert (await scheduler.fire(key, summer + timedelta(hours=1),
                                 now=summer + timedelta(hours=1))).status == "ignored"


async def test_editing_the_schedule_moves_the_job(user_client, scheduler):
    agent = await make_agent(user_client, schedule="0 8 * * *")
    agent_id, key = agent["id"], f"agent:{agent['id']}"
    now = utcnow()
    old = next_fire("0 8 * * *", "UTC", now)
    assert scheduler.next_run_time(agent_id) == old
    assert agent["next_run_at"] == iso(old)

    await user_client.put(f"/api/agents/{agent_id}", json={"schedule": "30 9 * * 1"})
    new = next_fire("30 9 * * 1", "UTC", now)
    assert scheduler.next_run_time(agent_id) == new
    detail = await (await user_client.get(f"/api/agents/{agent_id}")).json()
    assert detail["agent"]["next_run_at"] == iso(new)
    # a fire of the old schedule (another process may still hold the old job) does nothing
    assert (await scheduler.fire(key, old, now=old)).status == "ignored"
    assert (await scheduler.fire(key, new, now=new)).status == "started"

    await user_client.put(f"/api/agents/{agent_id}", json={"enabled": False})
    assert scheduler.next_run_time(agent_id) is None
    later = next_fire("30 9 * * 1", "UTC", new)
    assert (await scheduler.fire(key, later, now=later)).status == "ignored"
    await user_client.put(f"/api/agents/{agent_id}", json={"enabled": True})
    assert scheduler.next_run_time(agent_id) == new

    await user_client.put(f"/api/agents/{agent_id}", json={"schedule": None})
    assert scheduler.next_run_time(agent_id) is None
    await user_client.put(f"/api/agents/{agent_id}", json={"schedule": "0 8 * * *"})
    await user_client.delete(f"/api/agents/{agent_id}")
    assert scheduler.next_run_time(agent_id) is None
    assert scheduler.job_count == 0


async def test_changing_the_time_zone_rebuilds_the_jobs(admin_client, user_client, scheduler):
    task = await make_task(user_client, schedule="0 8 * * *")
    now = utcnow()
    assert scheduler.next_run_time(task["id"]) == next_fire("0 8 * * *", "UTC", now)
    await admin_client.post("/api/settings/general", json={"time_zone": "America/New_York"})
    assert scheduler.next_run_time(task["id"]) == next_fire(
        "0 8 * * *", "America/New_York", now)


async def test_task_toggle_and_delete_follow_the_job(user_client, scheduler):
    task = await make_task(user_client)
    assert scheduler.next_run_time(task["id"]) is not None
    resp = await user_client.post(f"/api/tasks/{task['id']}/toggle")
    assert await resp.json() == {"enabled": False}
    assert scheduler.next_run_time(task["id"]) is None
    resp = await user_client.post(f"/api/tasks/{task['id']}/toggle")
    assert await resp.json() == {"enabled": True}
    assert scheduler.next_run_time(task["id"]) is not None
    await user_client.delete(f"/api/tasks/{task['id']}")
    assert scheduler.next_run_time(task["id"]) is None


async def test_paused_fires_wait_in_the_queue_until_resume(app, admin_client, user_client,
                                                           scheduler, model):
    cron, due = quiet_schedule()
    agent = await make_agent(user_client, schedule=cron)
    await admin_client.post("/api/pause")
    result = await scheduler.fire(f"agent:{agent['id']}", due, now=due)
    assert result.status == "started"
    for _ in range(50):
        await asyncio.sleep(0)
    assert (await run_rows(app, id=result.run_id))[0]["status"] == "queued"
    assert model.requests == []
    await admin_client.post("/api/resume")
    assert (await finished(app, result.run_id)).status == "done"


async def test_hourly_limits_are_exact_under_50_parallel_fires(app, admin_client, user_client,
                                                              scheduler):
    """Two users fire 25 schedules each at once: each gets at most their own budget, and all
    together no more than the admin-wide one."""
    resp = await admin_client.post(
        "/api/settings/limits",
        json={"max_autonomous_runs_per_hour": 7, "max_autonomous_runs_per_hour_per_user": 4},
    )
    assert resp.status == 200
    cron, due = quiet_schedule()
    keys = []
    for owner in (user_client, admin_client):
        for i in range(13):
            keys.append("agent:" + (await make_agent(owner, name=f"a{i}", schedule=cron))["id"])
        for i in range(12):
            keys.append("agent:" + (await make_task(owner, name=f"t{i}", schedule=cron))["id"])
    results = await asyncio.gather(*(scheduler.fire(k, due, now=due) for k in keys))
    assert {r.status for r in results} == {"started"}
    rows = [r for kind in ("agent", "task") for r in await run_rows(app, kind=kind)]
    assert len(rows) == 50
    admitted = [r for r in rows if r["status"] != "limited"]
    assert len(admitted) == 7
    per_user = sorted(sum(r["user_id"] == c.user.id for r in admitted)
                      for c in (user_client, admin_client))
    assert per_user == [3, 4]
    for row in admitted:
        assert (await finished(app, row["id"])).status == "done"
    limited = [r for r in rows if r["status"] == "limited"]
    assert all(r["started_at"] is None and "limit" in r["error"] for r in limited)
    # the limit counts manual runs too
    resp = await user_client.post(f"/api/agents/{keys[0].split(':')[1]}/run", json={})
    run_id = (await resp.json())["run_id"]
    assert (await finished(app, run_id)).status == "limited"


async def test_one_users_runs_cannot_use_up_another_users_hour(app, admin_client, user_client,
                                                               client_as):
    """A user who fires all their agents is stopped at their own budget; another user's agent
    still runs within the same hour."""
    resp = await admin_client.post(
        "/api/settings/limits",
        json={"max_autonomous_runs_per_hour": 10, "max_autonomous_runs_per_hour_per_user": 3},
    )
    assert resp.status == 200
    greedy = [await make_agent(user_client, name=f"spam{i}") for i in range(5)]
    outcomes = []
    for agent in greedy:
        run_id = (await (await user_client.post(f"/api/agents/{agent['id']}/run", json={}))
                  .json())["run_id"]
        outcomes.append(await finished(app, run_id))
    assert [o.status for o in outcomes] == ["done"] * 3 + ["limited"] * 2
    assert "your limit of 3 autonomous runs per hour" in outcomes[3].error
    other = await client_as("user", username="bob")
    mine = await make_agent(other, name="digest")
    run_id = (await (await other.post(f"/api/agents/{mine['id']}/run", json={})).json())["run_id"]
    assert (await finished(app, run_id)).status == "done"


async def test_users_cannot_lift_the_limits(user_client):
    resp = await user_client.post(
        "/api/settings/limits", json={"max_autonomous_runs_per_hour_per_user": 1000}
    )
    assert resp.status == 403


async def test_fires_late_beyond_grace_are_recorded_as_missed(app, user_client, scheduler):
    cron, due = quiet_schedule()
    agent = await make_agent(user_client, schedule=cron)
    key = f"agent:{agent['id']}"
    result = await scheduler.fire(key, due, now=due + timedelta(seconds=301))
    assert result.status == "missed"
    assert [f["status"] for f in await fires_of(app[DATABASE], key)] == ["missed"]
    assert await run_rows(app, agent_id=agent["id"]) == []
    # the same fire never runs afterwards
    assert (await scheduler.fire(key, due, now=due)).status == "taken"


async def test_a_disabled_owner_gets_no_runs(app, admin_client, user_client, scheduler):
    cron, due = quiet_schedule()
    agent = await make_agent(user_client, schedule=cron)
    resp = await admin_client.put(f"/api/admin/users/{user_client.user.id}",
                                  json={"is_active": False})
    assert resp.status == 200
    assert (await scheduler.fire(f"agent:{agent['id']}", due, now=due)).status == "skipped"
    assert await run_rows(app, agent_id=agent["id"]) == []
    assert await fires_of(app[DATABASE], f"agent:{agent['id']}") == []


async def test_load_agent_is_for_the_owner_only(app, user_client, client_as):
    agent = await make_agent(user_client, prompt="Reply to the weather question.",
                             allowed_tools=["info"], max_tool_calls=3)
    other = await client_as("user", username="eve")
    config = await load_agent(app, agent["id"], user_client.user.id)
    assert (config.prompt, config.model, config.allowed_tools, config.max_tool_calls) == (
        "Reply to the weather question.", "fake:echo", ["info"], 3)
    assert await load_agent(app, agent["id"], other.user.id) is None
    assert await load_agent(app, "no-such-agent", user_client.user.id) is None
    loader = app[RUNTIME].agent_loader
    assert (await loader(agent["id"], user_client.user)).prompt == config.prompt
    assert await loader(agent["id"], other.user) is None


async def test_grace_period_is_an_admin_setting(app, admin_client, user_client, scheduler):
    assert await (await admin_client.get("/api/settings/scheduler")).json() == {
        "grace_seconds": 300}
    assert (await user_client.get("/api/settings/scheduler")).status == 403
    resp = await admin_client.post("/api/settings/scheduler", json={"grace_seconds": -5})
    assert resp.status == 400 and (await resp.json())["error"].startswith("grace_seconds:")
    resp = await admin_client.post("/api/settings/scheduler", json={"grace_seconds": 60})
    assert await resp.json() == {"ok": True}
    cron, due = quiet_schedule()
    agent = await make_agent(user_client, schedule=cron)
    late = await scheduler.fire(f"agent:{agent['id']}", due, now=due + timedelta(seconds=90))
    assert late.status == "missed"
