"""Several server processes on one database: each keeps its runs through the others' start-ups
and restarts, runs of a process that stopped beating end interrupted, and a stop asked in one
process reaches the run in another."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from jarvis import AgentConfig
from jarvis.db import new_id
from jarvis.keys import AUTHENTICATOR, CHAT_HUB, DATABASE, RUNTIME
from jarvis.models.instances import ServerInstance
from jarvis.models.runs import Run
from jarvis.run_requests import RunRequest
from jarvis.runtime.instances import Intervals
from jarvis.testing.chat import open_chat
from jarvis.testing.clients import JarvisClient, start_client
from jarvis.testing.polling import eventually
from jarvis.testing.scripted import hang
from jarvis.timeutil import utcnow
from sqlalchemy import update

instances = ServerInstance.__table__
runs = Run.__table__
# a process that beats, polls and sweeps many times a second (the others use the defaults:
# nothing periodic happens in them while a test runs)
QUICK = Intervals(beat=0.05, poll=0.02, sweep=0.05)
AGENT = {"name": "Watcher", "prompt": "Watch.", "model": "fake:echo", "schedule": "0 8 * * *",
         "allowed_tools": ["info"], "enabled": True}


@pytest.fixture
async def servers(make_app, jarvis_plugins, jarvis_settings):
    """``await servers(intervals=None)``: one more server process on the test's database."""
    made: list[JarvisClient] = []

    async def start(intervals: Intervals | None = None) -> JarvisClient:
        app = make_app(*jarvis_plugins, **jarvis_settings)
        if intervals is not None:
            app[RUNTIME].instance.intervals = intervals
        made.append(await start_client(app))
        return made[-1]

    yield start
    for client in made:
        await client.close()


def agent_run(user) -> RunRequest:
    return RunRequest(kind="agent", user=user, agent=AgentConfig(prompt="long"), agent_id="a-1")


async def run_of(client: JarvisClient, run_id: str) -> dict[str, Any]:
    """The run as ``GET /api/runs/{id}`` shows it through this client's process."""
    resp = await client.get(f"/api/runs/{run_id}")
    assert resp.status == 200
    return (await resp.json())["run"]


async def until_status(client: JarvisClient, run_id: str, wanted: str) -> dict[str, Any]:
    """Poll the run through the API until its status is ``wanted``."""
    async with asyncio.timeout(10):
        while (run := await run_of(client, run_id))["status"] != wanted:  # noqa: ASYNC110 - another process's row
            await asyncio.sleep(0.02)
    return run


async def ended(client: JarvisClient, run_id: str) -> str:
    """The status the run ends with in its own process."""
    async with asyncio.timeout(10):
        return (await client.app[RUNTIME].wait(run_id)).status


async def go_silent(client: JarvisClient) -> None:
    """Make a process look dead to the others: its last heartbeat five minutes ago."""
    app = client.app
    async with app[DATABASE].write() as conn:
        await conn.execute(update(instances)
                           .where(instances.c.id == app[RUNTIME].instance.id)
                           .values(heartbeat_at=utcnow() - timedelta(minutes=5)))


async def test_other_processes_starting_and_restarting_leave_a_live_run_alone(servers, model):
    a = await servers(QUICK)
    alice = await a.as_user("user")
    model.script(hang())
    run_id = await a.app[RUNTIME].start(agent_run(alice.user))
    await model.wait_for(1)

    b = await servers(QUICK)
    at_b = await b.as_user(alice.user)
    assert (await run_of(at_b, run_id))["status"] == "running"
    assert await b.app[RUNTIME].instance.sweep() == 0  # what B does every few seconds
    await b.close()
    restarted = await servers()
    at_c = await restarted.as_user(alice.user)
    assert (await run_of(at_c, run_id))["status"] == "running"

    # a stop asked in another process reaches the run where it lives
    resp = await at_c.post(f"/api/runs/{run_id}/stop")
    assert resp.status == 200 and await resp.json() == {"ok": True}
    assert await ended(a, run_id) == "stopped"
    assert (await run_of(at_c, run_id))["status"] == "stopped"
    again = await at_c.post(f"/api/runs/{run_id}/stop")
    assert again.status == 409
    assert "already ended (stopped)" in (await again.json())["error"]


async def test_a_run_whose_process_stopped_beating_is_interrupted(servers, model):
    a = await servers()
    alice = await a.as_user("user")
    model.script(hang())
    run_id = await a.app[RUNTIME].start(agent_run(alice.user))
    await model.wait_for(1)
    watcher = await (await servers(QUICK)).as_user(alice.user)
    assert (await run_of(watcher, run_id))["status"] == "running"

    await go_silent(a)  # as if the process had died: the watcher's next sweep notices
    run = await until_status(watcher, run_id, "interrupted")
    assert "server stopped" in run["error"]
    assert run["finished_at"] is not None


async def test_a_live_process_closes_run_rows_it_lost_track_of(servers, model):
    a = await servers(QUICK)
    alice = await a.as_user("user")
    runtime = a.app[RUNTIME]
    model.script(hang())
    going = await runtime.start(agent_run(alice.user))
    await model.wait_for(1)
    lost = new_id()  # e.g. a start cut short after its row was written
    await runtime.store.create({"id": lost, "kind": "agent", "user_id": alice.user.id,
                                "instance_id": runtime.instance.id})
    async with a.app[DATABASE].write() as conn:
        await conn.execute(update(runs).where(runs.c.id.in_([going, lost]))
                           .values(created_at=utcnow() - timedelta(minutes=5)))
    run = await until_status(alice, lost, "interrupted")
    assert "lost track" in run["error"]
    assert (await run_of(alice, going))["status"] == "running"


async def test_start_up_interrupts_the_runs_of_dead_processes_only(servers, model):
    a = await servers()
    b = await servers()
    alice = await a.as_user("user")
    model.script(hang(), hang(), hang())
    dead = await a.app[RUNTIME].start(agent_run(alice.user))
    live = await b.app[RUNTIME].start(agent_run(alice.user))
    await model.wait_for(2)
    await go_silent(a)

    at_c = await (await servers()).as_user(alice.user)  # its start-up sweeps
    assert (await run_of(at_c, dead))["status"] == "interrupted"
    assert (await run_of(at_c, live))["status"] == "running"

    # a stop for a run whose process is gone ends it at once, without waiting for a sweep
    lost = await a.app[RUNTIME].start(agent_run(alice.user))
    await model.wait_for(3)
    resp = await at_c.post(f"/api/runs/{lost}/stop")
    assert resp.status == 200
    assert (await run_of(at_c, lost))["status"] == "interrupted"
    assert (await run_of(at_c, live))["status"] == "running"


async def test_stopping_an_agent_reaches_its_run_in_another_process(servers, model):
    a = await servers(QUICK)
    alice = await a.as_user("user")
    resp = await alice.post("/api/agents", json=AGENT)
    assert resp.status == 201
    agent_id = (await resp.json())["id"]
    model.script(hang())
    run_id = (await (await alice.post(f"/api/agents/{agent_id}/run", json={})).json())["run_id"]
    await model.wait_for(1)

    at_b = await (await servers()).as_user(alice.user)
    resp = await at_b.post(f"/api/agents/{agent_id}/stop")
    assert resp.status == 200
    assert await ended(a, run_id) == "stopped"


async def test_disabling_a_user_in_one_process_ends_their_run_and_socket_in_another(
        servers, model):
    a = await servers(QUICK)
    a.app[AUTHENTICATOR].cache.ttl = 0  # no waiting out another process's cache entry
    a.app[CHAT_HUB].recheck_seconds = 0.02
    alice = await a.as_user("user")
    chat = await open_chat(alice)
    model.script(hang())
    await chat.send(type="message", content="take your time")
    await model.wait_for(1)
    run_id = await eventually(lambda: next(iter(a.app[RUNTIME].active), None))

    admin = await (await servers()).as_user("admin")
    resp = await admin.put(f"/api/admin/users/{alice.user.id}", json={"is_active": False})
    assert resp.status == 200
    assert await ended(a, run_id) == "stopped"
    frames, code = await chat.until_closed()
    assert code == 4401
    assert frames[-1]["error"] == "session ended: log in again"
