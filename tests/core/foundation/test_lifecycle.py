"""One owner for shutdown: each resource closes once, after the runs it serves have stopped."""

from __future__ import annotations

from collections.abc import AsyncIterator

from jarvis.keys import RUNTIME
from jarvis.testing.clients import create_user, running
from jarvis.testing.plugins import ModelPlugin, agent_run
from jarvis.testing.polling import eventually
from jarvis.testing.scripted import ScriptedProvider, hang


class ClosingProvider(ScriptedProvider):
    """Counts its streams in flight and notes, at each close, how many were still going."""

    def __init__(self) -> None:
        super().__init__(id="fake", models=("echo",))
        self.streaming = 0
        self.closed_with: list[int] = []

    async def stream(self, request, ctx) -> AsyncIterator:
        self.streaming += 1
        try:
            async for event in super().stream(request, ctx):
                yield event
        finally:
            self.streaming -= 1

    async def close(self) -> None:
        self.closed_with.append(self.streaming)


async def test_a_provider_closes_once_after_the_run_in_flight_stopped(make_app):
    provider = ClosingProvider()
    provider.script(hang())  # the answer never comes: the run is in flight at shutdown
    app = make_app(ModelPlugin(provider))
    async with running(app) as client:
        user = await create_user(client, "ann")
        run_id = await app[RUNTIME].start(agent_run(user, prompt="Take your time."))
        await eventually(lambda: provider.streaming == 1)
        handle = app[RUNTIME].active[run_id]
    assert handle.task is not None and handle.task.done()
    assert provider.closed_with == [0]


async def test_a_provider_without_runs_closes_once(make_app):
    provider = ClosingProvider()
    async with running(make_app(ModelPlugin(provider))):
        pass
    assert provider.closed_with == [0]
