"""Runs each plugin trigger as a supervised task: a crash is logged under the plugin's name and
the trigger restarts with backoff; the server keeps serving."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ..timeutil import iso, utcnow
from ..triggers import Trigger

log = logging.getLogger("jarvis.triggers")

RunStarter = Callable[[Trigger, Any], Awaitable[Any]]


@dataclass(slots=True)
class TriggerState:
    """What ``GET /api/plugins`` shows of one trigger."""

    state: str = "starting"  # starting | running | retrying | stopped | failed
    detail: str | None = None
    restarts: int = 0
    last_error: str | None = None
    next_attempt: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state, "detail": self.detail, "restarts": self.restarts,
            "last_error": self.last_error, "next_attempt": self.next_attempt,
        }


class Emitter:
    """Handed to ``Trigger.run``: starts runs through the runtime and reports the state."""

    def __init__(self, app: web.Application, trigger: Trigger, state: TriggerState, starter: RunStarter | None):
        self.app = app
        self.trigger = trigger
        self._state = state
        self._starter = starter

    async def __call__(self, request: Any) -> Any:
        if self._starter is None:
            raise RuntimeError("the runtime is not available to start runs")
        return await self._starter(self.trigger, request)

    def status(self, state: str, detail: str | None = None) -> None:
        self._state.state = state
        self._state.detail = detail


class TriggerSupervisor:
    """Starts, restarts and stops the triggers of one app."""

    def __init__(self, app: web.Application, triggers: list[Trigger], *,
                 backoff_base: float = 1.0, backoff_max: float = 300.0):
        self.app = app
        self.triggers = triggers
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.states: dict[str, TriggerState] = {t.name: TriggerState() for t in triggers}
        self.run_starter: RunStarter | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        for trigger in self.triggers:
            task = asyncio.create_task(self._supervise(trigger), name=f"trigger:{trigger.name}")
            self._tasks.append(task)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for state in self.states.values():
            state.state = "stopped"

    async def _supervise(self, trigger: Trigger) -> None:
        state = self.states[trigger.name]
        failures = 0
        while True:
            state.state, state.next_attempt = "running", None
            started = time.monotonic()
            try:
                await trigger.run(Emitter(self.app, trigger, state, self.run_starter))
            except asyncio.CancelledError:
                raise
            except Exception as err:  # a plugin's bug must not take the server down
                log.exception("plugin %s: trigger %s failed", trigger.plugin, trigger.name)
                state.last_error = f"{type(err).__name__}: {err}"
            else:
                state.state = "stopped"
                return
            # A trigger that ran a good while before failing starts its backoff afresh.
            failures = 1 if time.monotonic() - started > self.backoff_max else failures + 1
            delay = min(self.backoff_base * 2 ** (failures - 1), self.backoff_max)
            state.restarts += 1
            state.state = "retrying"
            state.next_attempt = iso(utcnow()) if delay <= 0 else _after(delay)
            await asyncio.sleep(delay)


def _after(seconds: float) -> str | None:
    from datetime import timedelta

    return iso(utcnow() + timedelta(seconds=seconds))
