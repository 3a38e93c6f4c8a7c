"""With several server processes on one database, each trigger runs in exactly one of them, and
another takes over when that one stops."""

from __future__ import annotations

import asyncio

from jarvis import Trigger, hookimpl
from jarvis.keys import SUPERVISOR
from jarvis.testing.clients import start_client
from jarvis.testing.polling import eventually


class Listener(Trigger):
    name = "listener"

    def __init__(self, running: set[str], label: str):
        self.running = running
        self.label = label

    async def run(self, emit):
        self.running.add(self.label)
        try:
            await asyncio.Event().wait()
        finally:
            self.running.discard(self.label)


def plugin(running: set[str], label: str):
    class ListenerPlugin:
        @hookimpl
        def register_triggers(self, settings):
            return [Listener(running, label)]

    return ListenerPlugin()


async def _first_of_two_running(make_app, running: set[str]):
    """Two apps ("one", "two") sharing the trigger's lease, renewed often; "one" started and
    running the trigger."""
    apps = [make_app(plugin(running, label)) for label in ("one", "two")]
    for app in apps:
        app[SUPERVISOR].lease_renew = 0.05
    first = await start_client(apps[0])
    await eventually(lambda: running == {"one"})
    return apps, first


async def test_a_trigger_runs_in_one_process_and_fails_over(make_app):
    running: set[str] = set()
    apps, first = await _first_of_two_running(make_app, running)
    second = await start_client(apps[1])
    await eventually(lambda: apps[1][SUPERVISOR].states["listener"].state == "standby")
    await asyncio.sleep(0.3)  # several renewals later, still only one runs
    assert running == {"one"}

    await first.close()  # gives the lease back
    await eventually(lambda: running == {"two"})
    assert apps[1][SUPERVISOR].states["listener"].state == "running"
    await second.close()
    assert running == set()


async def test_an_expired_lease_is_taken_over(make_app):
    running: set[str] = set()
    apps, first = await _first_of_two_running(make_app, running)
    apps[0][SUPERVISOR].leases.ttl = 0.2
    await apps[0][SUPERVISOR].leases.acquire("trigger:listener")  # now expires in 0.2 s
    apps[0][SUPERVISOR].lease_renew = 60  # as if the process hung: no more renewals
    second = await start_client(apps[1])
    await eventually(lambda: "two" in running)
    await second.close()
    await first.close()
